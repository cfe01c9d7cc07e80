-- The status in the audience (issue 13): each audience row carries its signal's status, kept
-- by intake, status changes and every recomputation of the audience (as the triage deadline,
-- migration 0053). A list of one status is then one range of an index of the organisation's
-- rows of that status, newest first, however rare the status — before, it walked the
-- organisation's whole list and looked up every signal's status (5 s at 1,000,000 signals
-- for a status none had), and a list of open signals no longer reads the signal's own row.
ALTER TABLE signal_audience ADD COLUMN status TEXT NOT NULL DEFAULT '';
UPDATE signal_audience SET status = (
    SELECT s.status FROM signal s WHERE s.id = signal_audience.signal_id);
CREATE INDEX signal_audience_status ON signal_audience
    (org_id, status, received_at, signal_id, visible_from, visible_until, owned,
     classification_rank);
