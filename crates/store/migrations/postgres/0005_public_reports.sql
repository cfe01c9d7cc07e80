-- Reports from the public form: the reference number the reporter got and, only with their
-- consent, contact details that are wiped after a set day.

CREATE TABLE public_report (
    signal_id TEXT PRIMARY KEY REFERENCES signal(id) ON DELETE CASCADE,
    reference TEXT NOT NULL UNIQUE,
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    wipe_after TEXT
);
CREATE INDEX public_report_wipe ON public_report(wipe_after);
