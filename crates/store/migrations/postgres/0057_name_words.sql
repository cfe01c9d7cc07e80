-- The words of the names a search compares near-miss spellings with (`signal_search.names`),
-- each with the number of search documents that hold it. A misspelled name is first looked up
-- among these words (tens of thousands, not a million documents): comparing it with every
-- document's names through their trigram index read the long trigram lists of common names
-- ("pieter…") for every search, 26 ms at 1,000,000 signals (BENCHMARKS.md, issue 13). Kept
-- with the search documents: a word no document holds any more leaves (a purged signal's
-- names are not kept here either).
CREATE TABLE signal_name_word (
    word TEXT PRIMARY KEY,
    docs BIGINT NOT NULL
);
INSERT INTO signal_name_word (word, docs)
SELECT w.word, COUNT(*)
FROM signal_search sx
CROSS JOIN LATERAL (
    SELECT DISTINCT t.word FROM regexp_split_to_table(sx.names, ' ') AS t(word) WHERE t.word <> ''
) AS w
GROUP BY w.word;
CREATE INDEX signal_name_word_near ON signal_name_word USING gin (word gin_trgm_ops);
ANALYZE signal_name_word;
-- Searches no longer read the names through their trigram index (they test the names of the
-- documents the near words found): it goes, and with it its upkeep on every write.
DROP INDEX signal_search_names;
