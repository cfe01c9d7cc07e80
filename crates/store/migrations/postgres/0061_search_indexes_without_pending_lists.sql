-- Every search read each GIN index's pending list to its end (migration 0056 made the lists
-- small, 256 kB): with the list of the search documents full, a search without a hit read 72
-- pages of it where the index itself needs 8 (0.43 ms against 0.08 ms at 1,000,000 signals;
-- BENCHMARKS.md, issue 13). New entries now go into the indexes at once: a signal's write pays
-- for its own words (about 65 µs per document instead of 34 in bulk), searches pay nothing.
ALTER INDEX signal_search_document SET (fastupdate = off);
ALTER INDEX signal_name_word_near SET (fastupdate = off);
SELECT gin_clean_pending_list('signal_search_document'::regclass);
SELECT gin_clean_pending_list('signal_name_word_near'::regclass);
