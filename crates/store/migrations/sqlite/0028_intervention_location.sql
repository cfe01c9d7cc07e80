-- Where an intervention is (WGS84 micro-degrees, as signals keep theirs), to show closures
-- and controls on the map (issue 15, pt 9).
ALTER TABLE intervention ADD COLUMN lat_micro INTEGER;
ALTER TABLE intervention ADD COLUMN lon_micro INTEGER;
