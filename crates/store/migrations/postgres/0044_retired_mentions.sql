-- A mention a correction took out of its signal keeps its row for the record; it now also
-- keeps which signal it was taken out of, so that the purge of that signal deletes it too
-- (issue 18, pt 6). Mentions retired before this migration do not say it.
ALTER TABLE subject ADD COLUMN retired_from TEXT;
CREATE INDEX subject_retired_from ON subject (retired_from);
