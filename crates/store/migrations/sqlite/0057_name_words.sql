-- PostgreSQL's vocabulary of name words (its migration 0057); SQLite's search has its own
-- vocabulary of every word (`signal_term`, migration 0049). Numbered on both engines alike.
SELECT 1;
