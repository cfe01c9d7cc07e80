-- The Dutch calendar day on which a signal was received (Europe/Amsterdam), for month grouping
-- and date filters. New rows get it from baken_core::calendar; existing rows are filled here
-- with the EU summer-time rule (last Sunday of March 01:00 UTC to last Sunday of October
-- 01:00 UTC: +2 hours, otherwise +1), which is Europe/Amsterdam's rule since 1996.
ALTER TABLE signal ADD COLUMN received_on TEXT;
UPDATE signal SET received_on = date(received_at,
    CASE WHEN received_at >= (date(substr(received_at, 1, 4) || '-04-01', 'weekday 0', '-7 days') || 'T01:00:00')
          AND received_at < (date(substr(received_at, 1, 4) || '-11-01', 'weekday 0', '-7 days') || 'T01:00:00')
         THEN '+2 hours' ELSE '+1 hours' END);
CREATE INDEX signal_received_on ON signal(received_on);
