-- Correcting a signal after intake (issue 17, pt 1). Every correction keeps its history here,
-- one row per changed field (old → new, canonical text), grouped by correction; the history
-- is append-only. A signal's classification and sharing now change through Baken's own
-- correction, which advances `guard_version` with them and records the signal's new guarded
-- state in the audit chain; the database still refuses any other change of them (and of id
-- and owner), and `baken audit verify` finds a change made past the guard.
ALTER TABLE signal ADD COLUMN guard_version BIGINT NOT NULL DEFAULT 0;
DROP TRIGGER signal_guard_u ON signal;
CREATE TRIGGER signal_guard_u BEFORE UPDATE ON signal FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.owner_org IS DISTINCT FROM OLD.owner_org
          OR ((NEW.classification IS DISTINCT FROM OLD.classification
               OR NEW.classification_rank IS DISTINCT FROM OLD.classification_rank
               OR NEW.sharing IS DISTINCT FROM OLD.sharing)
              AND NEW.guard_version IS DISTINCT FROM OLD.guard_version + 1)
          OR (NEW.classification IS NOT DISTINCT FROM OLD.classification
              AND NEW.classification_rank IS NOT DISTINCT FROM OLD.classification_rank
              AND NEW.sharing IS NOT DISTINCT FROM OLD.sharing
              AND NEW.guard_version IS DISTINCT FROM OLD.guard_version))
    EXECUTE FUNCTION baken_guarded();

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
CREATE TRIGGER signal_change_append_only BEFORE UPDATE OR DELETE ON signal_change
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
CREATE TRIGGER signal_change_guard_t BEFORE TRUNCATE ON signal_change
    FOR EACH STATEMENT EXECUTE FUNCTION baken_append_only();
