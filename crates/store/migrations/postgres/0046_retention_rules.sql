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

-- Append-only, but deleted under a permit for the record named by one of the columns given.
CREATE FUNCTION baken_append_only_unless_permitted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner TEXT;
    i INT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        FOR i IN 0 .. TG_NARGS - 1 LOOP
            EXECUTE format('SELECT ($1).%I::text', TG_ARGV[i]) USING OLD INTO owner;
            IF EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = owner) THEN
                RETURN OLD;
            END IF;
        END LOOP;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

DROP TRIGGER case_status_history_append_only ON case_status_history;
CREATE TRIGGER case_status_history_append_only BEFORE UPDATE OR DELETE ON case_status_history
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('case_id');
DROP TRIGGER decision_append_only ON decision;
CREATE TRIGGER decision_append_only BEFORE UPDATE OR DELETE ON decision
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('case_id');
DROP TRIGGER disclosure_append_only ON disclosure;
CREATE TRIGGER disclosure_append_only BEFORE UPDATE OR DELETE ON disclosure
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('case_id');
DROP TRIGGER disclosure_recipient_append_only ON disclosure_recipient;
CREATE TRIGGER disclosure_recipient_append_only BEFORE UPDATE OR DELETE ON disclosure_recipient
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('disclosure_id');
DROP TRIGGER case_action_history_append_only ON case_action_history;
CREATE TRIGGER case_action_history_append_only BEFORE UPDATE OR DELETE ON case_action_history
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('action_id');
DROP TRIGGER case_lineage_append_only ON case_lineage;
CREATE TRIGGER case_lineage_append_only BEFORE UPDATE OR DELETE ON case_lineage
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('from_case', 'to_case');
DROP TRIGGER intervention_step_append_only ON intervention_step;
CREATE TRIGGER intervention_step_append_only BEFORE UPDATE OR DELETE ON intervention_step
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('intervention_id');
DROP TRIGGER intervention_change_append_only ON intervention_change;
CREATE TRIGGER intervention_change_append_only BEFORE UPDATE OR DELETE ON intervention_change
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('intervention_id');
DROP TRIGGER bibob_disclosure_append_only ON bibob_disclosure;
CREATE TRIGGER bibob_disclosure_append_only BEFORE UPDATE OR DELETE ON bibob_disclosure
    FOR EACH ROW EXECUTE FUNCTION baken_append_only_unless_permitted('intervention_id');

-- The processing log's lines go under the log's permit.
CREATE FUNCTION baken_processing_log_purged_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = 'processing-log') THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
DROP TRIGGER processing_log_append_only ON processing_log;
CREATE TRIGGER processing_log_append_only BEFORE UPDATE OR DELETE ON processing_log
    FOR EACH ROW EXECUTE FUNCTION baken_processing_log_purged_only();

-- Whether an event's content was emptied (its own hash is then taken as recorded; the next
-- event's hash still covers it), and the keyed seal over its hash and what it keeps.
ALTER TABLE audit_event ADD COLUMN emptied BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_event ADD COLUMN emptied_seal TEXT;

-- An audit event's content may be emptied under the permit; what happened to which object,
-- when, with what result, and its place in the chain never change.
CREATE FUNCTION baken_audit_content_emptied_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND EXISTS (SELECT 1 FROM record_permit p WHERE p.record_id = 'audit-log')
       AND NEW.seq = OLD.seq AND NEW.hash = OLD.hash AND NEW.prev_hash = OLD.prev_hash
       AND NEW.occurred_at = OLD.occurred_at AND NEW.action = OLD.action
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
       AND NEW.result = OLD.result THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
DROP TRIGGER audit_event_append_only ON audit_event;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION baken_audit_content_emptied_only();
