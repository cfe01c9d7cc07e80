-- Cases of the case table (issue 14): a case bundles signals, has themes, an owning
-- organisation and owner, members (organisations and people), a classification, a status with
-- its history and a follow-up date. ("case" is an SQL keyword: the table is case_file.)
CREATE TABLE case_file (
    id TEXT PRIMARY KEY,
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    owner_user TEXT NOT NULL REFERENCES app_user(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    classification TEXT NOT NULL,
    classification_rank BIGINT NOT NULL,
    status TEXT NOT NULL,
    follow_up_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX case_file_owner ON case_file(owner_org, updated_at);

CREATE TABLE case_theme (
    case_id TEXT NOT NULL REFERENCES case_file(id),
    theme TEXT NOT NULL,
    PRIMARY KEY (case_id, theme)
);

-- A member is an organisation (all its staff with a content role) or one person.
CREATE TABLE case_member (
    case_id TEXT NOT NULL REFERENCES case_file(id),
    org_id TEXT REFERENCES organisation(id),
    user_id TEXT REFERENCES app_user(id),
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    CHECK ((org_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX case_member_org ON case_member(org_id, case_id) WHERE org_id IS NOT NULL;
CREATE UNIQUE INDEX case_member_user ON case_member(user_id, case_id) WHERE user_id IS NOT NULL;
CREATE INDEX case_member_case ON case_member(case_id);

CREATE TABLE case_signal (
    case_id TEXT NOT NULL REFERENCES case_file(id),
    signal_id TEXT NOT NULL REFERENCES signal(id),
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, signal_id)
);
CREATE INDEX case_signal_signal ON case_signal(signal_id);

CREATE TABLE case_status_history (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id),
    at TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES app_user(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX case_status_history_case ON case_status_history(case_id, at);
CREATE TRIGGER case_status_history_append_only BEFORE UPDATE OR DELETE ON case_status_history
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
