-- Bases for rates per area (inhabitants, addresses, businesses) per reference year, with the
-- source of each figure.

CREATE TABLE area_base (
    area_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    source TEXT NOT NULL,
    PRIMARY KEY (area_code, kind, year)
);

CREATE INDEX field_visit_area ON field_visit(area_code);
