-- A person's BSN (issue 17, pt 6), recorded only by organisations and roles with a configured
-- legal basis: kept as its keyed hash (HMAC-SHA256 with the installation's key, never the
-- number), used by linking as a strong identifier, with the legal basis it was recorded under.
ALTER TABLE subject ADD COLUMN bsn_hash TEXT;
ALTER TABLE subject ADD COLUMN bsn_basis TEXT;
