-- New search entries wait in each GIN index's pending list until it is full (4 MB by default)
-- or autovacuum merges it, and every search reads the whole list: at 100,000 signals a full
-- list made a search without a hit take 15 ms instead of 4 ms (BENCHMARKS.md, issue 13).
-- With 256 kB the list is merged sixteen times as often, in smaller pieces.
ALTER INDEX signal_search_document SET (gin_pending_list_limit = 256);
ALTER INDEX signal_search_names SET (gin_pending_list_limit = 256);
