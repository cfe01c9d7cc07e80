-- Security-relevant records are changed only as the product changes them (issue 12): an
-- account's organisation and roles, API tokens (only a revocation, once), sharing agreements
-- with their parties and themes, and a signal's owner, classification and sharing. Nothing
-- of them is deleted. `baken audit verify` checks that these guards are in place and that each
-- account, token and agreement is the one the keyed audit chain recorded.
CREATE TRIGGER app_user_guard_u BEFORE UPDATE ON app_user
WHEN NEW.id IS NOT OLD.id OR NEW.org_id IS NOT OLD.org_id OR NEW.roles IS NOT OLD.roles
BEGIN SELECT RAISE(ABORT, 'an account''s organisation and roles change only through Baken'); END;
CREATE TRIGGER app_user_guard_d BEFORE DELETE ON app_user
BEGIN SELECT RAISE(ABORT, 'accounts are not deleted'); END;

CREATE TRIGGER api_token_guard_u BEFORE UPDATE ON api_token
WHEN OLD.revoked_at IS NOT NULL OR NEW.token_hash IS NOT OLD.token_hash
  OR NEW.user_id IS NOT OLD.user_id OR NEW.label IS NOT OLD.label
  OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'a token is only ever revoked'); END;
CREATE TRIGGER api_token_guard_d BEFORE DELETE ON api_token
BEGIN SELECT RAISE(ABORT, 'tokens are revoked, not deleted'); END;

CREATE TRIGGER sharing_agreement_guard_u BEFORE UPDATE ON sharing_agreement
BEGIN SELECT RAISE(ABORT, 'sharing agreements are append-only'); END;
CREATE TRIGGER sharing_agreement_guard_d BEFORE DELETE ON sharing_agreement
BEGIN SELECT RAISE(ABORT, 'sharing agreements are append-only'); END;
CREATE TRIGGER agreement_party_guard_u BEFORE UPDATE ON agreement_party
BEGIN SELECT RAISE(ABORT, 'sharing agreements are append-only'); END;
CREATE TRIGGER agreement_party_guard_d BEFORE DELETE ON agreement_party
BEGIN SELECT RAISE(ABORT, 'sharing agreements are append-only'); END;
CREATE TRIGGER agreement_theme_guard_u BEFORE UPDATE ON agreement_theme
BEGIN SELECT RAISE(ABORT, 'sharing agreements are append-only'); END;
CREATE TRIGGER agreement_theme_guard_d BEFORE DELETE ON agreement_theme
BEGIN SELECT RAISE(ABORT, 'sharing agreements are append-only'); END;

CREATE TRIGGER signal_guard_u BEFORE UPDATE ON signal
WHEN NEW.id IS NOT OLD.id OR NEW.owner_org IS NOT OLD.owner_org
  OR NEW.classification IS NOT OLD.classification
  OR NEW.classification_rank IS NOT OLD.classification_rank OR NEW.sharing IS NOT OLD.sharing
BEGIN SELECT RAISE(ABORT, 'a signal''s owner, classification and sharing change only through Baken'); END;
CREATE TRIGGER signal_guard_d BEFORE DELETE ON signal
BEGIN SELECT RAISE(ABORT, 'signals are not deleted by hand'); END;
