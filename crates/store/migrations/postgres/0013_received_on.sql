-- The Dutch calendar day on which a signal was received (Europe/Amsterdam), for month grouping
-- and date filters. New rows get it from baken_core::calendar; existing rows are filled here.
ALTER TABLE signal ADD COLUMN received_on TEXT;
UPDATE signal SET received_on = to_char(received_at::timestamptz AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD');
ALTER TABLE signal ALTER COLUMN received_on SET NOT NULL;
CREATE INDEX signal_received_on ON signal(received_on);
