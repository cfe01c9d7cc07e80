-- A signal's themes know when it was received (issue 13), as its areas do (migration 0047):
-- a list of one theme walks the theme's signals newest first from one index and looks up the
-- caller's audience row of each, instead of walking the caller's audience rows and looking up
-- the theme of each (a theme of one signal in eight read eight rows for every one listed).
ALTER TABLE signal_theme ADD COLUMN received_at TEXT NOT NULL DEFAULT '';
UPDATE signal_theme SET received_at = (SELECT s.received_at FROM signal s WHERE s.id = signal_theme.signal_id);
-- Every row is written with its receipt from now on: one written without would fall outside
-- the theme's list, so it is refused.
ALTER TABLE signal_theme ALTER COLUMN received_at DROP DEFAULT;
CREATE INDEX signal_theme_newest ON signal_theme (theme, received_at, signal_id);
