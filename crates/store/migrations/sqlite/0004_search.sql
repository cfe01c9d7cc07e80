-- Full-text search over signal text and the subjects a signal names (FTS5, diacritics folded).
-- The vocabulary table lets the store find near-miss spellings of names and addresses.

CREATE VIRTUAL TABLE signal_fts USING fts5(
    signal_id UNINDEXED,
    title,
    description,
    subjects,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE signal_fts_vocab USING fts5vocab(signal_fts, row);

INSERT INTO signal_fts (signal_id, title, description, subjects)
SELECT s.id, s.title, s.description,
       COALESCE((SELECT group_concat(su.original || ' ' || su.normalised, ' ')
                 FROM signal_subject ss JOIN subject su ON su.id = ss.subject_id
                 WHERE ss.signal_id = s.id), '')
FROM signal s;
