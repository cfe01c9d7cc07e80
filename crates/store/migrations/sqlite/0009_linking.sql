-- Linking: subjects (one per mention) are grouped into entities with stable ids; blocking
-- keys and value counts make linking one new subject cheap; scored pairs keep their
-- explanation; human judgements are kept and can be undone.

CREATE TABLE entity (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    merged_into TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE entity_member (
    subject_id TEXT PRIMARY KEY REFERENCES subject(id),
    entity_id TEXT NOT NULL REFERENCES entity(id)
);
CREATE INDEX entity_member_entity ON entity_member(entity_id);

-- Every existing subject starts as an entity of its own; `baken link` links them.
INSERT INTO entity (id, kind, merged_into, created_at) SELECT id, kind, NULL, created_at FROM subject;
INSERT INTO entity_member (subject_id, entity_id) SELECT id, id FROM subject;

CREATE TABLE subject_key (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    subject_id TEXT NOT NULL REFERENCES subject(id),
    PRIMARY KEY (kind, key, subject_id)
);
CREATE INDEX subject_key_subject ON subject_key(subject_id);

CREATE TABLE subject_term (
    kind TEXT NOT NULL,
    slot TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, slot, value)
);

CREATE TABLE subject_term_total (
    kind TEXT NOT NULL,
    slot TEXT NOT NULL,
    total INTEGER NOT NULL,
    sum_squares INTEGER NOT NULL,
    PRIMARY KEY (kind, slot)
);

CREATE TABLE subject_link (
    left_subject TEXT NOT NULL REFERENCES subject(id),
    right_subject TEXT NOT NULL REFERENCES subject(id),
    kind TEXT NOT NULL,
    probability REAL NOT NULL,
    weight REAL NOT NULL,
    explanation TEXT NOT NULL,
    PRIMARY KEY (left_subject, right_subject)
);
CREATE INDEX subject_link_right ON subject_link(right_subject);
CREATE INDEX subject_link_kind ON subject_link(kind);

CREATE TABLE link_judgement (
    id TEXT PRIMARY KEY,
    left_subject TEXT NOT NULL REFERENCES subject(id),
    right_subject TEXT NOT NULL REFERENCES subject(id),
    judgement TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES app_user(id),
    at TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT REFERENCES app_user(id)
);
CREATE INDEX link_judgement_left ON link_judgement(left_subject);
CREATE INDEX link_judgement_right ON link_judgement(right_subject);

CREATE TABLE link_model (
    kind TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    estimated_at TEXT NOT NULL
);

CREATE TABLE link_threshold (
    kind TEXT PRIMARY KEY,
    threshold REAL NOT NULL
);
