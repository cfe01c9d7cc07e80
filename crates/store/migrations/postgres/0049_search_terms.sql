-- The embedded engine's search vocabulary (its migration 0049). PostgreSQL finds near-miss
-- spellings through the trigram index of `signal_search` (migration 0004): nothing to do.
SELECT 1;
