-- Counts of signals kept current with every intake, status change and agreement (`tally.rs`):
-- per audience (organisation, window of days, owned or shared, Bibob or below), owner,
-- status, theme ('' = every theme), area ('' = anywhere) and month of receipt. The overview,
-- maps, deviation tables, area pages and list totals sum a few of these rows instead of
-- counting signals. Rows of existing signals are made when the store opens (meta key
-- `tally` absent).
CREATE TABLE signal_tally (
    org_id TEXT NOT NULL,
    visible_from TEXT NOT NULL,
    visible_until TEXT NOT NULL,
    owned INTEGER NOT NULL,
    bibob INTEGER NOT NULL,
    owner_org TEXT NOT NULL,
    status TEXT NOT NULL,
    theme TEXT NOT NULL,
    area_code TEXT NOT NULL,
    area_kind TEXT NOT NULL,
    month TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, theme, area_code, month, status, visible_from, visible_until, owned, bibob, owner_org)
);
CREATE INDEX signal_tally_by_kind ON signal_tally (org_id, theme, area_kind, month);
-- Per theme everywhere (the overview): one range of the organisation's rows.
CREATE INDEX signal_tally_by_area ON signal_tally (org_id, area_code, theme, month);

DELETE FROM meta WHERE key = 'tally';
