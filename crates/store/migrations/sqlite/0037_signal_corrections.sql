-- Correcting a signal after intake (issue 17, pt 1). Every correction keeps its history here,
-- one row per changed field (old → new, canonical text), grouped by correction; the history
-- is append-only. A signal's classification and sharing now change through Baken's own
-- correction, which advances `guard_version` with them and records the signal's new guarded
-- state in the audit chain; the database still refuses any other change of them (and of id
-- and owner), and `baken audit verify` finds a change made past the guard.
ALTER TABLE signal ADD COLUMN guard_version INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER signal_guard_u;
CREATE TRIGGER signal_guard_u BEFORE UPDATE ON signal
WHEN NEW.id IS NOT OLD.id OR NEW.owner_org IS NOT OLD.owner_org
  OR ((NEW.classification IS NOT OLD.classification
       OR NEW.classification_rank IS NOT OLD.classification_rank OR NEW.sharing IS NOT OLD.sharing)
      AND NEW.guard_version IS NOT OLD.guard_version + 1)
  OR (NEW.classification IS OLD.classification AND NEW.classification_rank IS OLD.classification_rank
      AND NEW.sharing IS OLD.sharing AND NEW.guard_version IS NOT OLD.guard_version)
BEGIN SELECT RAISE(ABORT, 'a signal''s owner, classification and sharing change only through Baken'); END;

CREATE TABLE signal_change (
    id TEXT PRIMARY KEY,
    signal_id TEXT NOT NULL REFERENCES signal(id),
    correction TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES app_user(id),
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX signal_change_signal ON signal_change(signal_id, at);
CREATE TRIGGER signal_change_append_only_u BEFORE UPDATE ON signal_change
BEGIN SELECT RAISE(ABORT, 'the correction history is append-only'); END;
CREATE TRIGGER signal_change_append_only_d BEFORE DELETE ON signal_change
BEGIN SELECT RAISE(ABORT, 'the correction history is append-only'); END;

-- A corrected signal's search entry is replaced: found by its signal without a scan.
CREATE INDEX signal_fts_content_signal ON signal_fts_content(c0);
