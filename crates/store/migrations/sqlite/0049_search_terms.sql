-- The search's vocabulary as a table of its own (issue 13): every word of the search index
-- with the number of signals that hold it, keyed by its first letter and length, so that the
-- near-miss spellings of a searched word are one range of this table. Before, they came from
-- the FTS5 vocabulary table, which reads the whole document list of every word it returns:
-- at 1,000,000 signals tens of milliseconds a search, most of a search's cost.
CREATE TABLE signal_term (
    head TEXT NOT NULL,
    len INTEGER NOT NULL,
    term TEXT NOT NULL,
    docs INTEGER NOT NULL,
    PRIMARY KEY (head, len, term)
) WITHOUT ROWID;

INSERT INTO signal_term (head, len, term, docs)
SELECT substr(term, 1, 1), length(term), term, doc FROM signal_fts_vocab WHERE doc > 0;
-- The words a prefix begins (a search for "drugs" also finds "drugslab"): one range.
CREATE INDEX signal_term_by_term ON signal_term (term);
