-- The processing log (issue 18, pt 8) after Logius' Logboek Dataverwerkingen: one line per
-- data subject per processing operation, apart from the audit trail. No user (that is the
-- audit trail's), the data subject only as a keyed identifier (HMAC with the installation's
-- key). Lines are never changed or deleted.
CREATE TABLE processing_log (
    operation_id TEXT PRIMARY KEY,
    trace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    -- 0 unknown, 1 ok, 2 error (the standard's status codes)
    status_code BIGINT NOT NULL,
    processing_activity TEXT NOT NULL,
    data_subject_id TEXT NOT NULL,
    data_subject_id_type TEXT NOT NULL,
    -- The controller: the organisation that processed.
    organisation TEXT NOT NULL
);
CREATE INDEX processing_log_subject ON processing_log (data_subject_id, start_time);
CREATE TRIGGER processing_log_append_only BEFORE UPDATE OR DELETE ON processing_log
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
CREATE TRIGGER processing_log_guard_t BEFORE TRUNCATE ON processing_log
    FOR EACH STATEMENT EXECUTE FUNCTION baken_append_only();
