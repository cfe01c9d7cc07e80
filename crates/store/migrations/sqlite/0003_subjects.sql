-- Subjects named in signals, with their role there, and the relations between them.

CREATE TABLE subject (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    original TEXT NOT NULL,
    normalised TEXT NOT NULL,
    details TEXT NOT NULL,
    owner_org TEXT NOT NULL REFERENCES organisation(id),
    created_at TEXT NOT NULL
);
CREATE INDEX subject_kind_normalised ON subject(kind, normalised);

CREATE TABLE signal_subject (
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL REFERENCES subject(id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (signal_id, subject_id)
);
CREATE INDEX signal_subject_subject ON signal_subject(subject_id);

CREATE TABLE relation (
    id TEXT PRIMARY KEY,
    from_subject TEXT NOT NULL REFERENCES subject(id),
    to_subject TEXT NOT NULL REFERENCES subject(id),
    kind TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    source_signal TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE
);
CREATE INDEX relation_source ON relation(source_signal);
