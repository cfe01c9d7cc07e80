-- The status history is append-only: neither changed (0001) nor deleted.
DROP TRIGGER signal_status_history_append_only ON signal_status_history;
CREATE TRIGGER signal_status_history_append_only BEFORE UPDATE OR DELETE ON signal_status_history
    FOR EACH ROW EXECUTE FUNCTION baken_append_only();
