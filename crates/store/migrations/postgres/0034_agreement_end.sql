-- Ending a sharing agreement on a date (issue 17, pt 3). Agreements stay append-only: an end
-- is a row of its own (one per agreement, never changed or removed, recorded in the audit
-- chain with its digest), and every reader takes an agreement's effective last day from the
-- view `sharing_agreement_effective`: the earlier of its own `valid_until` and its end.
CREATE TABLE sharing_agreement_end (
    agreement_id TEXT PRIMARY KEY REFERENCES sharing_agreement(id),
    ends_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TRIGGER sharing_agreement_end_guard_u BEFORE UPDATE ON sharing_agreement_end FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER sharing_agreement_end_guard_d BEFORE DELETE ON sharing_agreement_end FOR EACH ROW
    EXECUTE FUNCTION baken_guarded();
CREATE TRIGGER sharing_agreement_end_guard_t BEFORE TRUNCATE ON sharing_agreement_end
    FOR EACH STATEMENT EXECUTE FUNCTION baken_guarded();
CREATE VIEW sharing_agreement_effective AS
SELECT a.id, a.name, a.legal_basis, a.purposes, a.max_classification, a.max_classification_rank,
       a.valid_from,
       CASE WHEN e.ends_on IS NOT NULL AND (a.valid_until IS NULL OR e.ends_on < a.valid_until)
            THEN e.ends_on ELSE a.valid_until END AS valid_until,
       a.created_at, e.ends_on AS ended_on
FROM sharing_agreement a LEFT JOIN sharing_agreement_end e ON e.agreement_id = a.id;
