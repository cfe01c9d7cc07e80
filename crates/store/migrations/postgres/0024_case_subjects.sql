-- The persons, organisations, addresses and vehicles a case is about beyond those its signals
-- mention (issue 14, pt 1): a mention an analyst added from a dossier. The case shows the
-- entity each belongs to now, so relinking never loses one.
CREATE TABLE case_subject (
    case_id TEXT NOT NULL REFERENCES case_file(id),
    subject_id TEXT NOT NULL REFERENCES subject(id),
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, subject_id)
);
CREATE INDEX case_subject_subject ON case_subject(subject_id);
