-- Single sign-on (issue 18, pt 1): an account that signs in through the municipality's
-- identity provider is known there as (issuer, subject). The link is made once, at the first
-- sign-in, and is never changed or deleted; it is part of the account's guarded state digest,
-- so a link written into the database by hand is found by `baken audit verify`.
CREATE TABLE external_identity (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL UNIQUE REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE TRIGGER external_identity_guard_u BEFORE UPDATE ON external_identity FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER external_identity_guard_d BEFORE DELETE ON external_identity FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER external_identity_guard_t BEFORE TRUNCATE ON external_identity
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
