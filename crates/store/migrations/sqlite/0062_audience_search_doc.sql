-- A search meets the caller's audience rows by its matches' row ids (issue 13). Until now each
-- match was looked up by its signal: the signal's id from the search table's content (a row
-- read per match) and the audience row by (signal, organisation) — a frequent word's bounded
-- count spent 5 ms on 1,001 matches at a million signals. An audience row now keeps the row id
-- of its signal's search document (`signal_fts`, in the order of receipt, migration 0051), set
-- when the row is made and when its signal is indexed again, and this index holds the
-- caller's rows in that order with what decides whether the caller sees them: the matches,
-- read in row-id order, meet one range of it (0.6 ms for the same count).
ALTER TABLE signal_audience ADD COLUMN doc INTEGER;
UPDATE signal_audience
   SET doc = (SELECT c.id FROM signal_fts_content c WHERE c.c0 = signal_audience.signal_id);
CREATE INDEX signal_audience_doc ON signal_audience
    (org_id, doc, visible_from, visible_until, classification_rank, owned, received_at);
