-- An area's name by its code, newest year first, from the index alone: a list names each
-- signal's areas (`engine::SIGNAL_COLUMNS`, `rows::code_columns`), and on a table of a few
-- pages PostgreSQL preferred reading the whole table to probing the primary key and the row
-- (0.5 ms of a page of 25 signals). An index-only scan wins once the table's pages are
-- marked all-visible, which `postgres::after_areas_written` sees to.
CREATE INDEX area_named ON area (code, year) INCLUDE (name);
