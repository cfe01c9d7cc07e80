-- The kept counts as a clustered table (WITHOUT ROWID): the rows of one organisation and
-- theme lie together in the primary key's leaves, so a sum reads a few pages in order. As a
-- rowid table written at the end of a bulk import, a sum looked up every row in a page of
-- its own, past the memory map: the deviation table, map and overview read thousands of
-- pages per request (BENCHMARKS.md, issue 13).
CREATE TABLE signal_tally_clustered (
    org_id TEXT NOT NULL,
    visible_from TEXT NOT NULL,
    visible_until TEXT NOT NULL,
    owned INTEGER NOT NULL,
    bibob INTEGER NOT NULL,
    owner_org TEXT NOT NULL,
    status TEXT NOT NULL,
    theme TEXT NOT NULL,
    area_code TEXT NOT NULL,
    area_kind TEXT NOT NULL,
    month TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, theme, area_code, month, status, visible_from, visible_until, owned, bibob, owner_org)
) WITHOUT ROWID;
INSERT INTO signal_tally_clustered SELECT org_id, visible_from, visible_until, owned, bibob,
    owner_org, status, theme, area_code, area_kind, month, n FROM signal_tally;
DROP TABLE signal_tally;
ALTER TABLE signal_tally_clustered RENAME TO signal_tally;
-- Both other orders cover every column a sum reads, so a sum never leaves its index.
CREATE INDEX signal_tally_by_kind ON signal_tally (org_id, theme, area_kind, month, area_code,
    status, visible_from, visible_until, owned, bibob, owner_org, n);
CREATE INDEX signal_tally_by_area ON signal_tally (org_id, area_code, theme, month, status,
    visible_from, visible_until, owned, bibob, owner_org, area_kind, n);
