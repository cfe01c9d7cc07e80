-- TRUNCATE fires no row triggers: the guarded tables refuse it by statement triggers.
-- (PostgreSQL has no INSERT OR REPLACE; ON CONFLICT DO UPDATE fires the update triggers.)
CREATE TRIGGER app_user_guard_t BEFORE TRUNCATE ON app_user
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER api_token_guard_t BEFORE TRUNCATE ON api_token
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER sharing_agreement_guard_t BEFORE TRUNCATE ON sharing_agreement
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER agreement_party_guard_t BEFORE TRUNCATE ON agreement_party
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER agreement_theme_guard_t BEFORE TRUNCATE ON agreement_theme
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER signal_guard_t BEFORE TRUNCATE ON signal
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER signal_status_history_guard_t BEFORE TRUNCATE ON signal_status_history
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER audit_event_guard_t BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
