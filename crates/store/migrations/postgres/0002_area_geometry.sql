-- Area polygons (GeoJSON geometry text) and the areas a signal lies in, of every kind.

ALTER TABLE area ADD COLUMN geometry TEXT;

CREATE TABLE signal_area (
    signal_id TEXT NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
    area_code TEXT NOT NULL,
    area_kind TEXT NOT NULL,
    PRIMARY KEY (signal_id, area_code)
);
CREATE INDEX signal_area_code ON signal_area(area_code);

INSERT INTO signal_area (signal_id, area_code, area_kind)
    SELECT id, gemeente_code, 'gemeente' FROM signal WHERE gemeente_code IS NOT NULL;
INSERT INTO signal_area (signal_id, area_code, area_kind)
    SELECT id, wijk_code, 'wijk' FROM signal WHERE wijk_code IS NOT NULL;
INSERT INTO signal_area (signal_id, area_code, area_kind)
    SELECT id, buurt_code, 'buurt' FROM signal WHERE buurt_code IS NOT NULL;

DROP INDEX signal_wijk;
DROP INDEX signal_buurt;
ALTER TABLE signal DROP COLUMN gemeente_code;
ALTER TABLE signal DROP COLUMN wijk_code;
ALTER TABLE signal DROP COLUMN buurt_code;
