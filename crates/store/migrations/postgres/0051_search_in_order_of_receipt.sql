-- The embedded engine's search table in the order of receipt (its migration 0051).
-- PostgreSQL walks the newest signals for a frequent word instead (`postgres.rs`): nothing to do.
SELECT 1;
