-- Imports that cannot double (issue 17, pt 2): per owning organisation, the key of every
-- imported row — the hash of the mapping's natural key (source and value) or, without one,
-- of the row's content — so that a row imported before is reported and skipped, never
-- stored twice. The key goes with its signal.
CREATE TABLE signal_import_key (
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    key_hash TEXT NOT NULL,
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    PRIMARY KEY (owner_org, key_hash)
);
CREATE INDEX signal_import_key_signal ON signal_import_key(signal_id);
