-- Keeps the numbering in step with PostgreSQL's 0055 (its near-miss names hold each spelled
-- word once): SQLite's near-miss spellings come from its search vocabulary (0052).
SELECT 1;
