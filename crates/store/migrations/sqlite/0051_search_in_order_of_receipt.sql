-- The search table in the order of receipt (issue 13): a document's row id is the second its
-- signal was received (Unix time) shifted left by 24 bits, plus its place among that second's
-- signals (`sqlite.rs`, DOC_SECOND_BITS). FTS5 yields a word's matches in row-id order without
-- reading them all, so a page of the newest matches of a frequent word reads about a page of
-- them; before, every match was read and sorted by date (a word in a sixth of 1,000,000
-- signals: a second per request).
CREATE VIRTUAL TABLE signal_fts_ordered USING fts5(
    signal_id UNINDEXED,
    title,
    description,
    subjects,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO signal_fts_ordered (rowid, signal_id, title, description, subjects)
SELECT (CAST(strftime('%s', s.received_at) AS INTEGER) << 24)
           + row_number() OVER (PARTITION BY strftime('%s', s.received_at) ORDER BY c.c0) - 1,
       c.c0, c.c1, c.c2, c.c3
FROM signal_fts_content c JOIN signal s ON s.id = c.c0;
DROP TABLE signal_fts_vocab;
DROP TABLE signal_fts;
ALTER TABLE signal_fts_ordered RENAME TO signal_fts;
CREATE VIRTUAL TABLE signal_fts_vocab USING fts5vocab(signal_fts, row);
-- A corrected or purged signal's document is found by its signal (as migration 0037).
CREATE INDEX signal_fts_content_signal ON signal_fts_content(c0);
