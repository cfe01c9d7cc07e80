-- Activities (issue 15, pt 8): awareness sessions, trainings, campaigns and school classes of
-- an organisation, with how many people and sessions they reached.
CREATE TABLE activity (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    audience TEXT NOT NULL,
    theme TEXT NOT NULL REFERENCES theme(code),
    reached INTEGER NOT NULL,
    sessions INTEGER NOT NULL,
    notes TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX activity_of ON activity(org_id, held_on);
