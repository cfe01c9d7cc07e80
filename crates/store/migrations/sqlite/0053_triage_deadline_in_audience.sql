-- The triage deadline in the audience (issue 13): each audience row carries its signal's
-- triage deadline while the signal awaits triage (`SignalStatus::triage_deadline`; NULL once
-- it has been assessed), kept by intake, status changes and every recomputation of the
-- audience. The overdue signals an organisation may see are then one range of an index of
-- its own rows (newest first), however few of its signals are overdue — before, the overdue
-- view walked the organisation's whole list and looked up every signal's status and deadline.
ALTER TABLE signal_audience ADD COLUMN triage_deadline TEXT;
UPDATE signal_audience SET triage_deadline = (
    SELECT s.deadline FROM signal s
    WHERE s.id = signal_audience.signal_id AND s.status IN ('nieuw', 'in-triage'));
-- The rows that await triage, newest first as a list is (`signal_audience_list`), with what
-- the visibility test and the overdue test need: a list of overdue signals skips only the
-- newest that are not overdue yet, and needs no sort.
CREATE INDEX signal_audience_awaiting ON signal_audience
    (org_id, received_at, signal_id, triage_deadline, visible_from, visible_until, owned,
     classification_rank)
    WHERE triage_deadline IS NOT NULL;
