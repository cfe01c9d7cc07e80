-- What an intervention led to or carries (issue 15, pt 3): the signals and interventions
-- that followed an integrated control, and the field visits (with their checklists) made
-- during it. Shown only as far as the reader may see both ends.
CREATE TABLE intervention_link (
    id TEXT PRIMARY KEY,
    intervention_id TEXT NOT NULL REFERENCES intervention(id),
    signal_id TEXT REFERENCES signal(id),
    followup_id TEXT REFERENCES intervention(id),
    visit_id TEXT REFERENCES field_visit(id),
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    CHECK ((CASE WHEN signal_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN followup_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN visit_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX intervention_link_of ON intervention_link(intervention_id);
CREATE INDEX intervention_link_followup ON intervention_link(followup_id);
