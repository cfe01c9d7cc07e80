-- Retention rules per record kind (issue 18, pt 6): closed cases and Bibob screenings are
-- deleted some years after they were closed or decided, the processing log's lines after
-- theirs, and the audit trail's content (who, from where, why, the detail) is emptied while
-- its events and hashes stay. Append-only rows go only while the purge's own transaction holds
-- a permit for their record (a case, one of its actions or disclosures, an intervention), or
-- for the whole log ('processing-log', 'audit-log'); `record_permit` is empty outside it.
CREATE TABLE record_permit (
    record_id TEXT PRIMARY KEY
);

CREATE INDEX case_status_closed ON case_status_history(to_status, case_id, at);
CREATE INDEX processing_log_time ON processing_log(start_time);
CREATE INDEX commitment_link_target ON commitment_link(kind, target_id);

DROP TRIGGER case_status_history_append_only_d;
CREATE TRIGGER case_status_history_append_only_d BEFORE DELETE ON case_status_history
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.case_id)
BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
DROP TRIGGER decision_append_only_d;
CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.case_id)
BEGIN SELECT RAISE(ABORT, 'decision is append-only'); END;
DROP TRIGGER disclosure_append_only_d;
CREATE TRIGGER disclosure_append_only_d BEFORE DELETE ON disclosure
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.case_id)
BEGIN SELECT RAISE(ABORT, 'disclosure is append-only'); END;
DROP TRIGGER disclosure_recipient_append_only_d;
CREATE TRIGGER disclosure_recipient_append_only_d BEFORE DELETE ON disclosure_recipient
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.disclosure_id)
BEGIN SELECT RAISE(ABORT, 'disclosure_recipient is append-only'); END;
DROP TRIGGER case_action_history_append_only_d;
CREATE TRIGGER case_action_history_append_only_d BEFORE DELETE ON case_action_history
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.action_id)
BEGIN SELECT RAISE(ABORT, 'case_action_history is append-only'); END;
DROP TRIGGER case_lineage_append_only_d;
CREATE TRIGGER case_lineage_append_only_d BEFORE DELETE ON case_lineage
WHEN NOT EXISTS (SELECT 1 FROM record_permit p
                 WHERE p.record_id = OLD.from_case OR p.record_id = OLD.to_case)
BEGIN SELECT RAISE(ABORT, 'case_lineage is append-only'); END;
DROP TRIGGER intervention_step_append_only_d;
CREATE TRIGGER intervention_step_append_only_d BEFORE DELETE ON intervention_step
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.intervention_id)
BEGIN SELECT RAISE(ABORT, 'intervention_step is append-only'); END;
DROP TRIGGER intervention_change_append_only_d;
CREATE TRIGGER intervention_change_append_only_d BEFORE DELETE ON intervention_change
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.intervention_id)
BEGIN SELECT RAISE(ABORT, 'intervention_change is append-only'); END;
DROP TRIGGER bibob_disclosure_append_only_d;
CREATE TRIGGER bibob_disclosure_append_only_d BEFORE DELETE ON bibob_disclosure
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = OLD.intervention_id)
BEGIN SELECT RAISE(ABORT, 'bibob_disclosure is append-only'); END;
DROP TRIGGER processing_log_append_only_d;
CREATE TRIGGER processing_log_append_only_d BEFORE DELETE ON processing_log
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = 'processing-log')
BEGIN SELECT RAISE(ABORT, 'the processing log is append-only'); END;
-- An audit event's content may be emptied under the permit; what happened to which object,
-- when, with what result, and its place in the chain never change.
DROP TRIGGER audit_event_append_only_u;
CREATE TRIGGER audit_event_append_only_u BEFORE UPDATE ON audit_event
WHEN NOT EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = 'audit-log')
  OR NEW.seq IS NOT OLD.seq OR NEW.hash IS NOT OLD.hash OR NEW.prev_hash IS NOT OLD.prev_hash
  OR NEW.occurred_at IS NOT OLD.occurred_at OR NEW.action IS NOT OLD.action
  OR NEW.object_type IS NOT OLD.object_type OR NEW.object_id IS NOT OLD.object_id
  OR NEW.result IS NOT OLD.result
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
-- Whether an event's content was emptied (its own hash is then taken as recorded; the next
-- event's hash still covers it), and the keyed seal over its hash and what it keeps.
ALTER TABLE audit_event ADD COLUMN emptied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_event ADD COLUMN emptied_seal TEXT;
