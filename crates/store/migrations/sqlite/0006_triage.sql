-- Triage: a deadline per signal (working days per theme), and assignment to a person or team.

ALTER TABLE theme ADD COLUMN deadline_days INTEGER;
ALTER TABLE signal ADD COLUMN deadline TEXT;
ALTER TABLE signal ADD COLUMN assigned_user TEXT REFERENCES app_user(id);
ALTER TABLE signal ADD COLUMN assigned_team TEXT;
CREATE INDEX signal_deadline ON signal(deadline);
CREATE INDEX signal_assigned_user ON signal(assigned_user);
UPDATE theme SET deadline_days = 5 WHERE code IN ('drugs', 'mensenhandel');
