-- Purpose binding (issue 18, pt 4): the reason a user stated in this session for reading a
-- case they are not named on, so the case's pages within the session carry it in the audit
-- trail. Gone with the session.
CREATE TABLE session_purpose (
    session_hash TEXT NOT NULL REFERENCES web_session(id_hash) ON DELETE CASCADE,
    object TEXT NOT NULL,
    reason TEXT NOT NULL,
    stated_at TEXT NOT NULL,
    PRIMARY KEY (session_hash, object)
);
