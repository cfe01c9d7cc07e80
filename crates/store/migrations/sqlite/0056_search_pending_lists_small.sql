-- Keeps the numbering in step with PostgreSQL's 0056 (smaller pending lists for its search
-- indexes): SQLite's full-text index has none.
SELECT 1;
