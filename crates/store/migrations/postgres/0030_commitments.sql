-- Commitments of the plan (issue 16, pt 1): per theme what was promised and what is planned,
-- with owner, due day, status with its history (append-only) and links to the records that
-- show progress.
CREATE TABLE commitment (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    theme TEXT NOT NULL REFERENCES theme(code),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX commitment_of ON commitment(org_id, theme);

CREATE TABLE commitment_history (
    id TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES commitment(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES app_user(id),
    at TEXT NOT NULL
);
CREATE INDEX commitment_history_of ON commitment_history(commitment_id, at);

CREATE TABLE commitment_link (
    commitment_id TEXT NOT NULL REFERENCES commitment(id),
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (commitment_id, kind, target_id)
);

CREATE TRIGGER commitment_history_append_only BEFORE UPDATE OR DELETE ON commitment_history
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
