-- Figures published before (issue 16, pt 2): what an earlier report or plan said, per figure
-- (and breakdown value) and period, so that the report computed from records can state
-- where it differs and where the publication contradicted itself.
CREATE TABLE published_figure (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    figure_key TEXT NOT NULL,
    dimension TEXT,
    breakdown_value TEXT,
    period_from TEXT NOT NULL,
    period_until TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    source TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL,
    CHECK ((dimension IS NULL) = (breakdown_value IS NULL))
);
CREATE INDEX published_figure_of ON published_figure(org_id, period_from, period_until);
