-- Copies on each signal of what every read of it used to gather from four other tables: the
-- name of its own area and its themes, indicators and areas (kind, code and newest name),
-- each list joined into one text. Kept by the store in the transaction that changes what
-- they copy (`engine/code_copies.rs`), filled for existing signals when the store opens.
-- A page of the list gathered them with seven subqueries per signal (BENCHMARKS.md, issue 13).
ALTER TABLE signal ADD COLUMN area_name TEXT;
ALTER TABLE signal ADD COLUMN codes_themes TEXT;
ALTER TABLE signal ADD COLUMN codes_indicators TEXT;
ALTER TABLE signal ADD COLUMN codes_areas TEXT;
