-- Keeps the numbering in step with SQLite's 0052 (identifiers out of the spelling lookup of
-- its search vocabulary): PostgreSQL's near-miss spellings come from trigrams of names, and
-- leave identifiers out in the query (`postgres::push_match`).
SELECT 1;
