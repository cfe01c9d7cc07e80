-- Retention that deletes (issue 18, pt 6). A purge deletes a signal past its "bewaren tot"
-- day that nothing followed up and no legal hold keeps, with everything of it, and leaves a
-- tombstone. The append-only and guard triggers let a row go only while the purge's own
-- transaction holds a permit for its signal (`purge_permit` is empty outside it).
CREATE TABLE purge_permit (
    signal_id TEXT PRIMARY KEY
);

-- What was deleted, when, under which rule: no content.
CREATE TABLE purged_record (
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    purged_at TEXT NOT NULL,
    rule TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
);

-- Legal holds (objection, appeal, a data subject's request): while one is not lifted, the
-- record is not deleted.
CREATE TABLE legal_hold (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    ground TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    lifted_at TEXT
);
CREATE INDEX legal_hold_record ON legal_hold(kind, record_id);

CREATE INDEX signal_retention ON signal(retention_until);
CREATE INDEX intervention_link_signal ON intervention_link(signal_id);
CREATE INDEX visit_finding_signal ON visit_finding(signal_id);

DROP TRIGGER signal_guard_d;
CREATE TRIGGER signal_guard_d BEFORE DELETE ON signal
WHEN NOT EXISTS (SELECT 1 FROM purge_permit p WHERE p.signal_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'signals are not deleted by hand'); END;

DROP TRIGGER signal_status_history_append_only_d;
CREATE TRIGGER signal_status_history_append_only_d BEFORE DELETE ON signal_status_history
WHEN NOT EXISTS (SELECT 1 FROM purge_permit p WHERE p.signal_id = OLD.signal_id)
BEGIN SELECT RAISE(ABORT, 'signal history is append-only'); END;

DROP TRIGGER signal_change_append_only_d;
CREATE TRIGGER signal_change_append_only_d BEFORE DELETE ON signal_change
WHEN NOT EXISTS (SELECT 1 FROM purge_permit p WHERE p.signal_id = OLD.signal_id)
BEGIN SELECT RAISE(ABORT, 'the correction history is append-only'); END;
