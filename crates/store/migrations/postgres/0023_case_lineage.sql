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
CREATE TRIGGER case_lineage_append_only BEFORE UPDATE OR DELETE ON case_lineage
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
