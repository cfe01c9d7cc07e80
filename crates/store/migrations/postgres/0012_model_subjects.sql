-- How many subjects a stored model was estimated on: an import that brings no more than that
-- is linked with it inside the import; a larger one is followed by a relink.
ALTER TABLE link_model ADD COLUMN subjects BIGINT;
