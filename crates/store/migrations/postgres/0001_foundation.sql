-- Baken foundation schema (PostgreSQL). Ids are UUIDv7 text; times are UTC RFC 3339 text with
-- fixed precision so that text order is time order; dates are YYYY-MM-DD.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE organisation (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE app_user (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    roles TEXT NOT NULL,
    password_hash TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE api_token (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user(id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE web_session (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE theme (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);

CREATE TABLE indicator (
    code TEXT PRIMARY KEY,
    theme TEXT NOT NULL REFERENCES theme(code),
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);

CREATE TABLE sharing_agreement (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    purposes TEXT NOT NULL,
    max_classification TEXT NOT NULL,
    max_classification_rank BIGINT NOT NULL CHECK (max_classification_rank < 3),
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE agreement_party (
    agreement_id TEXT NOT NULL REFERENCES sharing_agreement(id),
    org_id TEXT NOT NULL REFERENCES organisation(id),
    PRIMARY KEY (agreement_id, org_id)
);
CREATE INDEX agreement_party_org ON agreement_party(org_id);

CREATE TABLE agreement_theme (
    agreement_id TEXT NOT NULL REFERENCES sharing_agreement(id),
    theme TEXT NOT NULL REFERENCES theme(code),
    PRIMARY KEY (agreement_id, theme)
);

CREATE TABLE area (
    code TEXT NOT NULL,
    year BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_code TEXT,
    PRIMARY KEY (code, year)
);

CREATE TABLE signal (
    id TEXT PRIMARY KEY,
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    created_by TEXT NOT NULL REFERENCES app_user(id),
    received_at TEXT NOT NULL,
    observed_on TEXT,
    source_kind TEXT NOT NULL,
    source_reliability TEXT NOT NULL,
    information_credibility TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    area_code TEXT,
    gemeente_code TEXT,
    wijk_code TEXT,
    buurt_code TEXT,
    lat_micro BIGINT,
    lon_micro BIGINT,
    address TEXT,
    classification TEXT NOT NULL,
    classification_rank BIGINT NOT NULL,
    sharing TEXT NOT NULL,
    status TEXT NOT NULL,
    retention_until TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX signal_owner_received ON signal(owner_org, received_at);
CREATE INDEX signal_wijk ON signal(wijk_code);
CREATE INDEX signal_buurt ON signal(buurt_code);

CREATE TABLE signal_theme (
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    theme TEXT NOT NULL REFERENCES theme(code),
    PRIMARY KEY (signal_id, theme)
);
CREATE INDEX signal_theme_theme ON signal_theme(theme);

CREATE TABLE signal_indicator (
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL REFERENCES indicator(code),
    PRIMARY KEY (signal_id, indicator)
);

CREATE TABLE signal_status_history (
    id TEXT PRIMARY KEY,
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES app_user(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX signal_status_history_signal ON signal_status_history(signal_id, at);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_event (
    seq BIGINT PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_user TEXT,
    actor_org TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    result TEXT NOT NULL,
    origin TEXT NOT NULL,
    purpose TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE FUNCTION baken_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
CREATE TRIGGER signal_status_history_append_only BEFORE UPDATE ON signal_status_history
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
