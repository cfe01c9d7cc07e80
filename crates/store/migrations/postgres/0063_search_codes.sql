-- A search within a theme or an area tested the theme's or area's rows against the matches of
-- the words, or each match against them: "woning" (166,624 of 1,000,000 signals) within the
-- theme drugs took 33 ms alone, within a wijk 210 ms, and 58 requests a second under load
-- (BENCHMARKS.md, issue 13). Each search document now also holds its signal's theme codes
-- and area codes as lexemes of their own, '#t:' and '#a:' before the code (the text's
-- lexemes are made by the parser, which never starts one with '#'; the words of a search
-- are letters and digits, so neither they nor their prefixes meet a code), so that the
-- document index meets the words' and the codes' lists itself. The codes are the same
-- expression as `index_signals` writes.
--
-- The index goes first and comes back after: updating a million documents through it costs
-- an insert into the GIN index per lexeme.
DROP INDEX signal_search_document;

UPDATE signal_search sx
SET document = sx.document || array_to_tsvector(ARRAY(
        SELECT '#t:' || t.theme FROM signal_theme t WHERE t.signal_id = sx.signal_id
        UNION ALL
        SELECT '#a:' || a.area_code FROM signal_area a WHERE a.signal_id = sx.signal_id));

CREATE INDEX signal_search_document ON signal_search USING GIN (document)
    WITH (fastupdate = off, gin_pending_list_limit = 256);
ANALYZE signal_search;
