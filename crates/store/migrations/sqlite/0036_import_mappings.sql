-- Column mappings saved per source (issue 17, pt 2): the mapping an organisation last used
-- for files from one source, offered again the next time.
CREATE TABLE import_mapping (
    org_id TEXT NOT NULL REFERENCES organisation(id),
    source TEXT NOT NULL,
    mapping TEXT NOT NULL,
    saved_by TEXT NOT NULL REFERENCES app_user(id),
    saved_at TEXT NOT NULL,
    PRIMARY KEY (org_id, source)
);
