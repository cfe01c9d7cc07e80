-- The audience stored in the order of its key (issue 13). A search, an area's or a theme's
-- list and every other read that starts from signals tests each against the caller's
-- audience by its key (signal, organisation, first day). As a table with row ids that test
-- read the key's index and then the row (the days, the classification); a frequent word
-- counted its first 1,001 visible matches in 8 ms, half of it in these second reads. Stored
-- without row ids the key's tree holds the row: one read per test, and no second copy of the
-- key (BENCHMARKS.md, "The audience stored in the order of its key").
CREATE TABLE signal_audience_by_key (
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    visible_from TEXT NOT NULL,
    visible_until TEXT,
    owned INTEGER NOT NULL,
    classification_rank INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    triage_deadline TEXT,
    PRIMARY KEY (signal_id, org_id, visible_from)
) WITHOUT ROWID;
INSERT INTO signal_audience_by_key
    (signal_id, org_id, visible_from, visible_until, owned, classification_rank, received_at,
     triage_deadline)
SELECT signal_id, org_id, visible_from, visible_until, owned, classification_rank, received_at,
       triage_deadline
FROM signal_audience ORDER BY signal_id, org_id, visible_from;
DROP TABLE signal_audience;
ALTER TABLE signal_audience_by_key RENAME TO signal_audience;
-- As before (migrations 0018 and 0053).
CREATE INDEX signal_audience_list ON signal_audience
    (org_id, received_at, signal_id, visible_from, visible_until, owned, classification_rank);
CREATE INDEX signal_audience_awaiting ON signal_audience
    (org_id, received_at, signal_id, triage_deadline, visible_from, visible_until, owned,
     classification_rank)
    WHERE triage_deadline IS NOT NULL;
