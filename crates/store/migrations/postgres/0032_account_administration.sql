-- Administration in the browser (issue 17, pt 3). An account's roles now change through
-- Baken's own change of roles, which advances `roles_version` with them and records the
-- account's new state digest in the audit chain. The database still refuses any other change
-- of roles (and of id and organisation); a change past the guard is found by
-- `baken audit verify`, as before. A password reset by the beheerder makes the user choose a
-- new password at the next login; accounts remember their last login and API tokens their
-- last use.
ALTER TABLE app_user ADD COLUMN roles_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN password_change_required BIGINT NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN last_login_at TEXT;
ALTER TABLE api_token ADD COLUMN last_used_at TEXT;
DROP TRIGGER app_user_guard_u ON app_user;
CREATE TRIGGER app_user_guard_u BEFORE UPDATE ON app_user FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.org_id IS DISTINCT FROM OLD.org_id
          OR (NEW.roles IS DISTINCT FROM OLD.roles
              AND NEW.roles_version IS DISTINCT FROM OLD.roles_version + 1)
          OR (NEW.roles IS NOT DISTINCT FROM OLD.roles
              AND NEW.roles_version IS DISTINCT FROM OLD.roles_version))
    EXECUTE FUNCTION baken_guarded();
