-- Barrier models (issue 15, pt 7): per organisation, phases of a criminal process with the
-- barriers against it (text, owner, instrument; the beheerder edits them), assessments per
-- barrier (append-only: the latest counts) and the interventions and signals tagged with a
-- barrier.
CREATE TABLE barrier_model (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    template TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (org_id, template)
);

CREATE TABLE barrier_phase (
    id TEXT PRIMARY KEY,
    model_id TEXT NOT NULL REFERENCES barrier_model(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (model_id, position)
);

CREATE TABLE barrier (
    id TEXT PRIMARY KEY,
    phase_id TEXT NOT NULL REFERENCES barrier_phase(id),
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    instrument TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (phase_id, position)
);

CREATE TABLE barrier_assessment (
    id TEXT PRIMARY KEY,
    barrier_id TEXT NOT NULL REFERENCES barrier(id),
    status TEXT NOT NULL,
    owner TEXT NOT NULL,
    evidence TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    assessed_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX barrier_assessment_of ON barrier_assessment(barrier_id, recorded_at);

CREATE TABLE barrier_tag (
    barrier_id TEXT NOT NULL REFERENCES barrier(id),
    intervention_id TEXT REFERENCES intervention(id),
    signal_id TEXT REFERENCES signal(id),
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    CHECK ((intervention_id IS NULL) <> (signal_id IS NULL))
);
CREATE UNIQUE INDEX barrier_tag_intervention ON barrier_tag(barrier_id, intervention_id) WHERE intervention_id IS NOT NULL;
CREATE UNIQUE INDEX barrier_tag_signal ON barrier_tag(barrier_id, signal_id) WHERE signal_id IS NOT NULL;
CREATE INDEX barrier_tag_of_intervention ON barrier_tag(intervention_id);
CREATE INDEX barrier_tag_of_signal ON barrier_tag(signal_id);

CREATE TRIGGER barrier_assessment_append_only BEFORE UPDATE OR DELETE ON barrier_assessment
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
