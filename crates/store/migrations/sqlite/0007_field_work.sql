-- Field work: checklists per kind of visit (configuration data), the objects whose coverage
-- counts (farms, business premises), visits with their answers and findings.

CREATE TABLE checklist_item (
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    PRIMARY KEY (kind, position)
);

CREATE TABLE field_object (
    id TEXT PRIMARY KEY,
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT,
    area_code TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX field_object_kind ON field_object(owner_org, kind);

CREATE TABLE field_visit (
    id TEXT PRIMARY KEY,
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    created_by TEXT NOT NULL REFERENCES app_user(id),
    kind TEXT NOT NULL,
    object_id TEXT REFERENCES field_object(id),
    location TEXT,
    area_code TEXT,
    visited_on TEXT NOT NULL,
    notes TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX field_visit_kind ON field_visit(owner_org, kind, visited_on);

CREATE TABLE visit_answer (
    visit_id TEXT NOT NULL REFERENCES field_visit(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT,
    PRIMARY KEY (visit_id, position)
);

CREATE TABLE visit_finding (
    visit_id TEXT NOT NULL REFERENCES field_visit(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    finding TEXT NOT NULL,
    signal_id TEXT REFERENCES signal(id),
    PRIMARY KEY (visit_id, position)
);
