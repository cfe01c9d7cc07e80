-- `INSERT OR REPLACE` deletes the row it replaces without firing delete triggers (unless a
-- connection turns recursive triggers on), so a guarded row could be swapped for another:
-- an insert over an existing key is refused as well. (A replacement over another unique
-- column, such as an account's e-mail address, removes a recorded row: verify finds that.)
CREATE TRIGGER app_user_guard_i BEFORE INSERT ON app_user
WHEN EXISTS (SELECT 1 FROM app_user WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'accounts are not replaced'); END;
CREATE TRIGGER api_token_guard_i BEFORE INSERT ON api_token
WHEN EXISTS (SELECT 1 FROM api_token WHERE token_hash = NEW.token_hash)
BEGIN SELECT RAISE(ABORT, 'tokens are not replaced'); END;
CREATE TRIGGER sharing_agreement_guard_i BEFORE INSERT ON sharing_agreement
WHEN EXISTS (SELECT 1 FROM sharing_agreement WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'sharing agreements are append-only'); END;
CREATE TRIGGER signal_guard_i BEFORE INSERT ON signal
WHEN EXISTS (SELECT 1 FROM signal WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'signals are not replaced'); END;
