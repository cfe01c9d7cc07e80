-- An assignment in a signal's history is recorded as data (to whom: the assignee's name at the
-- time and/or the team), not as a sentence; the pages word it. Older rows keep their text in
-- `reason` and have neither column.
ALTER TABLE signal_status_history ADD COLUMN assigned_name TEXT;
ALTER TABLE signal_status_history ADD COLUMN assigned_team TEXT;
