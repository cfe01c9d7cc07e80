-- The version of the blocking keys a kind's stored keys were written with
-- (`baken_link::block::KEY_SCHEME`). Keys of an older version are written anew by a relink,
-- which `baken serve` starts by itself; until then a bulk import relinks instead of linking
-- against them. Models stored before this column were estimated with the first version.
ALTER TABLE link_model ADD COLUMN key_scheme BIGINT NOT NULL DEFAULT 1;
