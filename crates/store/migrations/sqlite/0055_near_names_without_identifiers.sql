-- Keeps the numbering in step with PostgreSQL's 0055 (its near-miss names leave identifiers
-- out): SQLite's near-miss spellings come from its search vocabulary (0052).
SELECT 1;
