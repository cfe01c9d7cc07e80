-- Security-relevant records are changed only as the product changes them (issue 12): an
-- account's organisation and roles, API tokens (only a revocation, once), sharing agreements
-- with their parties and themes, and a signal's owner, classification and sharing. Nothing
-- of them is deleted. `baken audit verify` checks that these guards are in place and that each
-- account, token and agreement is the one the keyed audit chain recorded.
CREATE FUNCTION baken_guarded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% changes only through Baken', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER app_user_guard_u BEFORE UPDATE ON app_user FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.org_id IS DISTINCT FROM OLD.org_id
          OR NEW.roles IS DISTINCT FROM OLD.roles)
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER app_user_guard_d BEFORE DELETE ON app_user FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();

CREATE TRIGGER api_token_guard_u BEFORE UPDATE ON api_token FOR EACH ROW
    WHEN (OLD.revoked_at IS NOT NULL OR NEW.token_hash IS DISTINCT FROM OLD.token_hash
          OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.label IS DISTINCT FROM OLD.label
          OR NEW.created_at IS DISTINCT FROM OLD.created_at)
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER api_token_guard_d BEFORE DELETE ON api_token FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();

CREATE TRIGGER sharing_agreement_guard_u BEFORE UPDATE ON sharing_agreement FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER sharing_agreement_guard_d BEFORE DELETE ON sharing_agreement FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER agreement_party_guard_u BEFORE UPDATE ON agreement_party FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER agreement_party_guard_d BEFORE DELETE ON agreement_party FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER agreement_theme_guard_u BEFORE UPDATE ON agreement_theme FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER agreement_theme_guard_d BEFORE DELETE ON agreement_theme FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();

CREATE TRIGGER signal_guard_u BEFORE UPDATE ON signal FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.owner_org IS DISTINCT FROM OLD.owner_org
          OR NEW.classification IS DISTINCT FROM OLD.classification
          OR NEW.classification_rank IS DISTINCT FROM OLD.classification_rank
          OR NEW.sharing IS DISTINCT FROM OLD.sharing)
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER signal_guard_d BEFORE DELETE ON signal FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
