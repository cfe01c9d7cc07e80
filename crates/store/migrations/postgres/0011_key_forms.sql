-- Each blocking key row carries the subject's comparable form, so linking a new subject reads
-- its candidates as ranges of this table instead of looking each candidate up in `subject`.
-- Rows written before this migration have none (read from `subject` until `baken link` runs).
ALTER TABLE subject_key ADD COLUMN form TEXT;
