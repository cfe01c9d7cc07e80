-- Cases merged and split (issue 14, pt 1): which case went into which, when, by whom and
-- why. Append-only: the lineage is the cases' history.
CREATE TABLE case_lineage (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('samengevoegd', 'afgesplitst')),
    from_case TEXT NOT NULL REFERENCES case_file(id),
    to_case TEXT NOT NULL REFERENCES case_file(id),
    by_user TEXT NOT NULL REFERENCES app_user(id),
    at TEXT NOT NULL,
    reason TEXT NOT NULL,
    signals TEXT NOT NULL
);
CREATE INDEX case_lineage_from ON case_lineage(from_case);
CREATE INDEX case_lineage_to ON case_lineage(to_case);
CREATE TRIGGER case_lineage_append_only_u BEFORE UPDATE ON case_lineage
BEGIN SELECT RAISE(ABORT, 'case_lineage is append-only'); END;
CREATE TRIGGER case_lineage_append_only_d BEFORE DELETE ON case_lineage
BEGIN SELECT RAISE(ABORT, 'case_lineage is append-only'); END;
