-- Meetings of the case table (issue 14, pts 2–3): participants, the agenda (cases with why
-- they are on it and the discussion), what each partner brought in under which legal basis,
-- decisions with their full motivation (never edited: a later one supersedes with a
-- reference) and the actions that carry them out.
CREATE TABLE meeting (
    id TEXT PRIMARY KEY,
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    chair_user TEXT NOT NULL REFERENCES app_user(id),
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX meeting_owner ON meeting(owner_org, held_on);
CREATE INDEX meeting_chair ON meeting(chair_user);

CREATE TABLE meeting_participant (
    meeting_id TEXT NOT NULL REFERENCES meeting(id),
    org_id TEXT REFERENCES organisation(id),
    user_id TEXT REFERENCES app_user(id),
    CHECK ((org_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX meeting_participant_org ON meeting_participant(org_id, meeting_id) WHERE org_id IS NOT NULL;
CREATE UNIQUE INDEX meeting_participant_user ON meeting_participant(user_id, meeting_id) WHERE user_id IS NOT NULL;
CREATE INDEX meeting_participant_meeting ON meeting_participant(meeting_id);

-- reasons: the agenda reasons' machine names, comma-separated.
CREATE TABLE meeting_item (
    meeting_id TEXT NOT NULL REFERENCES meeting(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    position INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    discussion TEXT NOT NULL,
    PRIMARY KEY (meeting_id, case_id)
);
CREATE INDEX meeting_item_case ON meeting_item(case_id);

CREATE TABLE disclosure (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    basis TEXT NOT NULL,
    agreement_id TEXT REFERENCES sharing_agreement(id),
    summary TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL,
    FOREIGN KEY (meeting_id, case_id) REFERENCES meeting_item(meeting_id, case_id)
);
CREATE INDEX disclosure_item ON disclosure(meeting_id, case_id, recorded_at);

CREATE TABLE disclosure_recipient (
    disclosure_id TEXT NOT NULL REFERENCES disclosure(id),
    org_id TEXT NOT NULL REFERENCES organisation(id),
    PRIMARY KEY (disclosure_id, org_id)
);

-- care_considered: 'ja' or 'nee'; approaches: machine names, comma-separated.
CREATE TABLE decision (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    approaches TEXT NOT NULL,
    decision TEXT NOT NULL,
    suitable TEXT NOT NULL,
    necessary TEXT NOT NULL,
    balanced TEXT NOT NULL,
    care_considered TEXT NOT NULL CHECK (care_considered IN ('ja', 'nee')),
    care_reason TEXT NOT NULL,
    not_chosen TEXT NOT NULL,
    supersedes TEXT REFERENCES decision(id),
    recorded_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL,
    FOREIGN KEY (meeting_id, case_id) REFERENCES meeting_item(meeting_id, case_id)
);
CREATE INDEX decision_case ON decision(case_id, recorded_at);
CREATE INDEX decision_meeting ON decision(meeting_id);
-- A decision is superseded at most once.
CREATE UNIQUE INDEX decision_supersedes ON decision(supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE case_action (
    id TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES decision(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    description TEXT NOT NULL,
    owner_org TEXT REFERENCES organisation(id),
    owner_user TEXT REFERENCES app_user(id),
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    intervention TEXT,
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((owner_org IS NULL) <> (owner_user IS NULL))
);
CREATE INDEX case_action_case ON case_action(case_id, due_on);
CREATE INDEX case_action_owner_user ON case_action(owner_user, status, due_on);
CREATE INDEX case_action_owner_org ON case_action(owner_org, status, due_on);

CREATE TABLE case_action_history (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES case_action(id),
    at TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES app_user(id),
    from_status TEXT,
    to_status TEXT NOT NULL
);
CREATE INDEX case_action_history_action ON case_action_history(action_id, at);

-- A member asks for a case to be discussed; the next meeting that takes it up answers it.
CREATE TABLE agenda_request (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id),
    requested_by TEXT NOT NULL REFERENCES app_user(id),
    requested_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    meeting_id TEXT REFERENCES meeting(id)
);
CREATE INDEX agenda_request_case ON agenda_request(case_id, meeting_id);
CREATE TRIGGER disclosure_append_only_u BEFORE UPDATE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosure is append-only'); END;
CREATE TRIGGER disclosure_append_only_d BEFORE DELETE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosure is append-only'); END;
CREATE TRIGGER disclosure_recipient_append_only_u BEFORE UPDATE ON disclosure_recipient
BEGIN SELECT RAISE(ABORT, 'disclosure_recipient is append-only'); END;
CREATE TRIGGER disclosure_recipient_append_only_d BEFORE DELETE ON disclosure_recipient
BEGIN SELECT RAISE(ABORT, 'disclosure_recipient is append-only'); END;
CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision
BEGIN SELECT RAISE(ABORT, 'decision is append-only'); END;
CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision
BEGIN SELECT RAISE(ABORT, 'decision is append-only'); END;
CREATE TRIGGER case_action_history_append_only_u BEFORE UPDATE ON case_action_history
BEGIN SELECT RAISE(ABORT, 'case_action_history is append-only'); END;
CREATE TRIGGER case_action_history_append_only_d BEFORE DELETE ON case_action_history
BEGIN SELECT RAISE(ABORT, 'case_action_history is append-only'); END;
