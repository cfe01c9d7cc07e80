-- Blocking keys live in one B-tree (no rowid table beside the key index) and without an index
-- nobody reads: linking a new subject writes fewer pages.
CREATE TABLE subject_key_new (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    subject_id TEXT NOT NULL REFERENCES subject(id),
    PRIMARY KEY (kind, key, subject_id)
) WITHOUT ROWID;
INSERT INTO subject_key_new SELECT kind, key, subject_id FROM subject_key;
DROP TABLE subject_key;
ALTER TABLE subject_key_new RENAME TO subject_key;

-- The normalised form the linker compares, written with the subject, so that linking a new
-- subject reads its candidates without parsing and normalising each again.
ALTER TABLE subject ADD COLUMN link_form TEXT;
