-- The register of interventions (issue 15): Bibob screenings, 13b closures, last onder
-- dwangsom and bestuursdwang, integrated controls, referrals. The procedure's steps are
-- append-only; `state` is what replaying them gives (kept for lists, rewritten with each
-- step). `details` is the kind's typed details as JSON (baken_core::intervention::details).
-- A Bibob screening is never on a case: the compartment stays closed.
CREATE TABLE intervention (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    case_id TEXT REFERENCES case_file(id),
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    owner_user TEXT NOT NULL REFERENCES app_user(id),
    object TEXT,
    address TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    state TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (kind <> 'bibob' OR case_id IS NULL)
);
CREATE INDEX intervention_owner ON intervention(owner_org, kind, opened_on);
CREATE INDEX intervention_owner_user ON intervention(owner_user);
CREATE INDEX intervention_case ON intervention(case_id);
CREATE INDEX intervention_object ON intervention(object);

CREATE TABLE intervention_step (
    id TEXT PRIMARY KEY,
    intervention_id TEXT NOT NULL REFERENCES intervention(id),
    seq INTEGER NOT NULL,
    step TEXT NOT NULL,
    on_day TEXT NOT NULL,
    length_count INTEGER,
    length_unit TEXT,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL,
    UNIQUE (intervention_id, seq)
);

-- Each change of title, object or details: what it was before.
CREATE TABLE intervention_change (
    id TEXT PRIMARY KEY,
    intervention_id TEXT NOT NULL REFERENCES intervention(id),
    title_before TEXT NOT NULL,
    object_before TEXT,
    address_before TEXT NOT NULL,
    details_before TEXT NOT NULL,
    changed_by TEXT NOT NULL REFERENCES app_user(id),
    changed_at TEXT NOT NULL
);
CREATE INDEX intervention_change_of ON intervention_change(intervention_id);

CREATE TABLE intervention_party (
    id TEXT PRIMARY KEY,
    intervention_id TEXT NOT NULL REFERENCES intervention(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    entity_id TEXT REFERENCES entity(id),
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL
);
CREATE INDEX intervention_party_of ON intervention_party(intervention_id);
CREATE INDEX intervention_party_entity ON intervention_party(entity_id);

-- Disclosures of Bibob information under an exception of art. 28 Wet Bibob.
CREATE TABLE bibob_disclosure (
    id TEXT PRIMARY KEY,
    intervention_id TEXT NOT NULL REFERENCES intervention(id),
    exception TEXT NOT NULL,
    recipient TEXT NOT NULL,
    reason TEXT NOT NULL,
    disclosed_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX bibob_disclosure_of ON bibob_disclosure(intervention_id);

CREATE TRIGGER intervention_step_append_only_u BEFORE UPDATE ON intervention_step
BEGIN SELECT RAISE(ABORT, 'intervention_step is append-only'); END;
CREATE TRIGGER intervention_step_append_only_d BEFORE DELETE ON intervention_step
BEGIN SELECT RAISE(ABORT, 'intervention_step is append-only'); END;
CREATE TRIGGER intervention_change_append_only_u BEFORE UPDATE ON intervention_change
BEGIN SELECT RAISE(ABORT, 'intervention_change is append-only'); END;
CREATE TRIGGER intervention_change_append_only_d BEFORE DELETE ON intervention_change
BEGIN SELECT RAISE(ABORT, 'intervention_change is append-only'); END;
CREATE TRIGGER bibob_disclosure_append_only_u BEFORE UPDATE ON bibob_disclosure
BEGIN SELECT RAISE(ABORT, 'bibob_disclosure is append-only'); END;
CREATE TRIGGER bibob_disclosure_append_only_d BEFORE DELETE ON bibob_disclosure
BEGIN SELECT RAISE(ABORT, 'bibob_disclosure is append-only'); END;
