-- Second factor and sessions a user can see and end (issue 18, pt 2). Sessions made before
-- this migration are ended: they carry no handle, no last use and no stage.
DELETE FROM web_session;
ALTER TABLE web_session ADD COLUMN handle TEXT NOT NULL DEFAULT '';
ALTER TABLE web_session ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
ALTER TABLE web_session ADD COLUMN client TEXT NOT NULL DEFAULT '';
-- 'complete', or 'second-factor' while the code after the password is awaited.
ALTER TABLE web_session ADD COLUMN stage TEXT NOT NULL DEFAULT 'complete';
-- The secret offered while a user sets up their authenticator, until they confirm a code.
ALTER TABLE web_session ADD COLUMN enrol_secret TEXT;
CREATE INDEX web_session_user ON web_session (user_id);

-- A local account's TOTP secret (RFC 6238) and the last time step a code was accepted for,
-- so no code is accepted twice.
CREATE TABLE second_factor (
    user_id TEXT PRIMARY KEY REFERENCES app_user(id),
    secret TEXT NOT NULL,
    last_step BIGINT NOT NULL,
    enrolled_at TEXT NOT NULL
);

-- Recovery codes, as SHA-256 of the code; each works once.
CREATE TABLE recovery_code (
    user_id TEXT NOT NULL REFERENCES app_user(id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);
