-- Who may see a signal, resolved ahead of time (baken_core::audience): one row per signal and
-- organisation that may see it on some days — the owner (always: visible_from is the first
-- day there is, visible_until open) and every other party of an agreement that carries it,
-- with the days on which it does (windows of one organisation never overlap, so on any day
-- at most one row per signal and organisation holds). Kept by the store on every intake and
-- every new agreement; the rows of existing signals are made when the store opens (meta key
-- `audience` absent).
CREATE TABLE signal_audience (
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisation(id),
    visible_from TEXT NOT NULL,
    visible_until TEXT,
    owned INTEGER NOT NULL,
    classification_rank INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (signal_id, org_id, visible_from)
);
-- A list is a range of this index, newest first, carrying what the visibility test needs.
CREATE INDEX signal_audience_list ON signal_audience
    (org_id, received_at, signal_id, visible_from, visible_until, owned, classification_rank);

-- Filters as joins that either side can drive.
CREATE INDEX signal_theme_by_theme ON signal_theme (theme, signal_id);
DROP INDEX signal_theme_theme;
CREATE INDEX signal_area_by_code ON signal_area (area_code, signal_id);
DROP INDEX signal_area_code;

DELETE FROM meta WHERE key = 'audience';
