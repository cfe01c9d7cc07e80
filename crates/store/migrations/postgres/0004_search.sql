-- Full-text search over signal text (Dutch configuration) and the subjects a signal names,
-- with trigram matching (pg_trgm) for near-miss spellings of names and addresses.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE signal_search (
    signal_id TEXT PRIMARY KEY REFERENCES signal(id) ON DELETE CASCADE,
    document tsvector NOT NULL,
    names TEXT NOT NULL
);
CREATE INDEX signal_search_document ON signal_search USING GIN (document);
CREATE INDEX signal_search_names ON signal_search USING GIN (names gin_trgm_ops);

INSERT INTO signal_search (signal_id, document, names)
SELECT s.id,
       setweight(to_tsvector('dutch', s.title), 'A') || to_tsvector('dutch', s.description)
           || to_tsvector('simple', COALESCE(n.names, '')),
       lower(COALESCE(n.names, ''))
FROM signal s
LEFT JOIN (
    SELECT ss.signal_id, string_agg(su.original || ' ' || su.normalised, ' ') AS names
    FROM signal_subject ss JOIN subject su ON su.id = ss.subject_id
    GROUP BY ss.signal_id
) n ON n.signal_id = s.id;
