-- The audit-log viewer (issue 17, pt 3) filters by user, action and object, newest first:
-- indexes that let those filters read only the events they show.
CREATE INDEX audit_event_by_user ON audit_event(actor_user, seq);
CREATE INDEX audit_event_by_action ON audit_event(action, seq);
CREATE INDEX audit_event_by_object ON audit_event(object_type, object_id, seq);
