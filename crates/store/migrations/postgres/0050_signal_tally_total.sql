-- The tally without months and statuses (issue 13): a count over all time and every status
-- (the deviation table, the map, an area among the others, the overview's themes) sums a few
-- rows per area instead of one per area, month and status — at 1,000,000 signals a
-- hundredfold fewer. Kept in step with `signal_tally` by the same statements (`tally.rs`).
CREATE TABLE signal_tally_total (
    org_id TEXT NOT NULL,
    visible_from TEXT NOT NULL,
    visible_until TEXT NOT NULL,
    owned INTEGER NOT NULL,
    bibob INTEGER NOT NULL,
    owner_org TEXT NOT NULL,
    theme TEXT NOT NULL,
    area_code TEXT NOT NULL,
    area_kind TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, theme, area_code, visible_from, visible_until, owned, bibob, owner_org)
);
-- Per area of a kind (the deviation table): one range, every column a sum reads.
CREATE INDEX signal_tally_total_by_kind ON signal_tally_total (org_id, theme, area_kind,
    area_code, visible_from, visible_until, owned, bibob, owner_org, n);

INSERT INTO signal_tally_total (org_id, visible_from, visible_until, owned, bibob, owner_org,
    theme, area_code, area_kind, n)
SELECT org_id, visible_from, visible_until, owned, bibob, owner_org, theme, area_code,
    MAX(area_kind), SUM(n)
FROM signal_tally
GROUP BY org_id, theme, area_code, visible_from, visible_until, owned, bibob, owner_org;
