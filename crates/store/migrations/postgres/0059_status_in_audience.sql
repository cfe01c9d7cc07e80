-- The status in the audience (issue 13): each audience row carries its signal's status, kept
-- by intake, status changes and every recomputation of the audience (as the triage deadline,
-- migration 0053). A list of one status is then one range of an index of the organisation's
-- rows of that status, newest first, however rare the status — before, it walked the
-- organisation's whole list and looked up every signal's status (0.2–0.8 s at 1,000,000
-- signals for a status none had), and a list of open signals no longer reads the signal's
-- own row.
ALTER TABLE signal_audience ADD COLUMN status TEXT;
UPDATE signal_audience va SET status = s.status FROM signal s WHERE s.id = va.signal_id;
ALTER TABLE signal_audience ALTER COLUMN status SET NOT NULL;
CREATE INDEX signal_audience_status ON signal_audience
    (org_id, status, received_at, signal_id, visible_from, visible_until, owned,
     classification_rank);
