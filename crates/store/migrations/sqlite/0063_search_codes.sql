-- A search within a theme or an area asks the search index for both (issue 13). The index
-- yielded every match of the words and each was tested for the theme or area: a frequent word
-- ("woning", a sixth of 1,000,000 signals) within a buurt of 228 signals read all 166,624
-- matches (1.8 s). Each document now also holds its signal's theme and area codes, in columns
-- of their own (`themes`, `areas`) that the words typed are never matched against: the index
-- meets the two document lists itself. The row ids (the order of receipt, migration 0051) stay
-- what they were, so the audience rows' copies (migration 0062) still point at their documents.
CREATE VIRTUAL TABLE signal_fts_coded USING fts5(
    signal_id UNINDEXED,
    title,
    description,
    subjects,
    themes,
    areas,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO signal_fts_coded (rowid, signal_id, title, description, subjects, themes, areas)
SELECT c.id, c.c0, c.c1, c.c2, c.c3,
       (SELECT group_concat(t.theme, ' ') FROM signal_theme t WHERE t.signal_id = c.c0),
       (SELECT group_concat(a.area_code, ' ') FROM signal_area a WHERE a.signal_id = c.c0)
FROM signal_fts_content c;
-- One segment: a table filled in one statement is left in many (17 at 1,000,000 signals), and
-- every match of a word was merged from each (a frequent word's search ran a third slower).
INSERT INTO signal_fts_coded (signal_fts_coded) VALUES ('optimize');
DROP TABLE signal_fts_vocab;
DROP TABLE signal_fts;
ALTER TABLE signal_fts_coded RENAME TO signal_fts;
-- The vocabulary by column: the words' counts are those of the three text columns.
CREATE VIRTUAL TABLE signal_fts_vocab USING fts5vocab(signal_fts, instance);
-- A corrected or purged signal's document is found by its signal (as migrations 0037, 0051).
CREATE INDEX signal_fts_content_signal ON signal_fts_content(c0);
