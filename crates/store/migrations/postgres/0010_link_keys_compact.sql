-- The subject index on blocking keys is read by nothing; linking writes one index less.
DROP INDEX subject_key_subject;

-- The normalised form the linker compares, written with the subject, so that linking a new
-- subject reads its candidates without parsing and normalising each again.
ALTER TABLE subject ADD COLUMN link_form TEXT;
