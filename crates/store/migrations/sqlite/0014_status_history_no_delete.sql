-- The status history is append-only: neither changed (0001) nor deleted.
CREATE TRIGGER signal_status_history_append_only_d BEFORE DELETE ON signal_status_history
BEGIN SELECT RAISE(ABORT, 'signal history is append-only'); END;
