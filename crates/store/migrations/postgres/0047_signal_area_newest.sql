-- A signal's areas know when it was received (issue 13): a list filtered by area walks the
-- area's signals newest first from one index, as a list of all signals walks
-- `signal_audience`, instead of reading every signal of the area and sorting them.
ALTER TABLE signal_area ADD COLUMN received_at TEXT NOT NULL DEFAULT '';
UPDATE signal_area SET received_at = (SELECT s.received_at FROM signal s WHERE s.id = signal_area.signal_id);
CREATE INDEX signal_area_newest ON signal_area (area_code, received_at, signal_id);
