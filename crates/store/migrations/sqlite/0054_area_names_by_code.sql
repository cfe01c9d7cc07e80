-- Keeps the numbering in step with PostgreSQL's 0054 (an index that names areas by code from
-- the index alone): SQLite probes the primary key (code, year) for these already.
SELECT 1;
