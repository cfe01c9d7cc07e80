-- The names a search compares near-miss spellings with leave out identifiers (words with a
-- digit, which a search never matches by spelling): the comparison's cost grows with the text,
-- and a frequent word's walk pays it for every row it looks at (BENCHMARKS.md, issue 13). New
-- rows also hold each word once within a subject (`text::near_names`); the rows here keep
-- their words' order and repeats, since the text no longer says where a subject ends.
UPDATE signal_search SET names = COALESCE((
    SELECT string_agg(t.w, ' ' ORDER BY t.n)
    FROM regexp_split_to_table(signal_search.names, ' ') WITH ORDINALITY AS t(w, n)
    WHERE t.w <> '' AND t.w !~ '[0-9]'
), '');
-- The rewritten rows wait in the indexes' pending lists, which every search would read to the
-- end until autovacuum comes by; merged now. The names' statistics change with them.
SELECT gin_clean_pending_list('signal_search_names'::regclass);
SELECT gin_clean_pending_list('signal_search_document'::regclass);
ANALYZE signal_search;
