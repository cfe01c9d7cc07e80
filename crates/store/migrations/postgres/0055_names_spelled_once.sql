-- The names a search compares near-miss spellings with hold each word that has spellings
-- once, in the order it first appears (`text::spelled_words`): no identifiers (words with a
-- digit, which a search never matches by spelling), no repeats (a subjects text names each
-- person as typed, canonical and readable). The comparison's cost grows with the text; a
-- frequent word's walk pays it for every row it looks at (BENCHMARKS.md, issue 13).
UPDATE signal_search SET names = COALESCE((
    SELECT string_agg(d.w, ' ' ORDER BY d.first)
    FROM (
        SELECT t.w, MIN(t.n) AS first
        FROM regexp_split_to_table(signal_search.names, ' ') WITH ORDINALITY AS t(w, n)
        WHERE t.w <> '' AND t.w !~ '[0-9]'
        GROUP BY t.w
    ) d
), '');
-- The rewritten rows wait in the indexes' pending lists, which every search would read to the
-- end until autovacuum comes by; merged now. The names' statistics change with them.
SELECT gin_clean_pending_list('signal_search_names'::regclass);
SELECT gin_clean_pending_list('signal_search_document'::regclass);
ANALYZE signal_search;
