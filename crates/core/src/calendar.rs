//! Calendar days as the municipality lives them: in Europe/Amsterdam, with daylight saving.
//!
//! Deadlines, month grouping, "today", dates shown to people and retention all count in
//! local calendar days, never in UTC dates (a signal received at 00:30 on a Monday in
//! Groningen is received on Monday, although it is still Sunday in UTC). Instants stay
//! [`OffsetDateTime`] in UTC everywhere else; this module is the only place that turns an
//! instant into a Dutch day or a Dutch day into an instant. The time-zone rules come from the
//! IANA database bundled with `jiff` (no system files, no downloads).

use std::sync::OnceLock;
use time::{Date, OffsetDateTime, UtcOffset};

/// The time zone of every calendar day in Baken.
pub const TIME_ZONE: &str = "Europe/Amsterdam";

fn zone() -> &'static jiff::tz::TimeZone {
    static ZONE: OnceLock<jiff::tz::TimeZone> = OnceLock::new();
    // The database is compiled in; should a future build lack it, fixed UTC+1 (CET) keeps days
    // right outside summer time rather than failing every request.
    ZONE.get_or_init(|| {
        jiff::tz::TimeZone::get(TIME_ZONE)
            .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(1)))
    })
}

/// The offset from UTC in the Netherlands at instant `t` (+01:00 or, in summer, +02:00).
pub fn offset_at(t: OffsetDateTime) -> UtcOffset {
    let seconds = jiff::Timestamp::from_second(t.unix_timestamp())
        .map(|ts| zone().to_offset(ts).seconds())
        .unwrap_or(3600);
    UtcOffset::from_whole_seconds(seconds).unwrap_or(UtcOffset::UTC)
}

/// The instant `t` as a Dutch wall-clock time (same instant, local offset).
pub fn local(t: OffsetDateTime) -> OffsetDateTime {
    t.checked_to_offset(offset_at(t)).unwrap_or(t)
}

/// The Dutch calendar day of instant `t`.
pub fn local_date(t: OffsetDateTime) -> Date {
    local(t).date()
}

/// The first day of the month `months` months before `date`'s month.
pub fn months_before(date: Date, months: i32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 - months;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    time::Month::try_from(month as u8)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, 1).ok())
        .unwrap_or(date)
}

/// The instant at which Dutch calendar day `day` begins (local midnight), in UTC; `None` for
/// days at the very ends of the calendar, whose start has no UTC instant.
pub fn start_of_day(day: Date) -> Option<OffsetDateTime> {
    // Midnight is never skipped or repeated in Europe/Amsterdam (the switches are at 02:00 and
    // 03:00 local time), so the offset an hour before midnight UTC is the offset at local midnight.
    let before = day
        .midnight()
        .assume_utc()
        .checked_sub(time::Duration::HOUR)?;
    day.midnight()
        .assume_offset(offset_at(before))
        .checked_to_offset(UtcOffset::UTC)
}

/// The instant of a Dutch wall-clock time on day `day`, in UTC (a time the clocks skip in
/// spring is taken after the switch, a repeated one in autumn the first time).
pub fn local_moment(day: Date, clock: time::Time) -> Option<OffsetDateTime> {
    let civil = jiff::civil::DateTime::new(
        i16::try_from(day.year()).ok()?,
        i8::try_from(u8::from(day.month())).ok()?,
        i8::try_from(day.day()).ok()?,
        i8::try_from(clock.hour()).ok()?,
        i8::try_from(clock.minute()).ok()?,
        i8::try_from(clock.second()).ok()?,
        0,
    )
    .ok()?;
    let instant = zone().to_timestamp(civil).ok()?;
    OffsetDateTime::from_unix_timestamp(instant.as_second()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn months_before_counts_whole_months_across_years() {
        assert_eq!(
            months_before(date!(2026 - 01 - 15), 1),
            date!(2025 - 12 - 01)
        );
        assert_eq!(
            months_before(date!(2026 - 03 - 31), 23),
            date!(2024 - 04 - 01)
        );
        assert_eq!(
            months_before(date!(2026 - 03 - 31), 0),
            date!(2026 - 03 - 01)
        );
    }

    #[test]
    fn a_dutch_wall_clock_time_is_an_instant_in_utc() {
        assert_eq!(
            local_moment(date!(2026 - 10 - 15), time::macros::time!(14:30)),
            Some(datetime!(2026-10-15 12:30 UTC))
        );
        assert_eq!(
            local_moment(date!(2026 - 12 - 05), time::macros::time!(00:30)),
            Some(datetime!(2026-12-04 23:30 UTC))
        );
    }
    use time::macros::{date, datetime};

    #[test]
    fn half_past_midnight_on_monday_is_monday() {
        // 2026-11-30 is a Monday; 00:30 local is 23:30 UTC on Sunday (winter time).
        assert_eq!(
            local_date(datetime!(2026-11-29 23:30 UTC)),
            date!(2026 - 11 - 30)
        );
        // Summer time: 00:30 local on Monday 2026-06-01 is 22:30 UTC on Sunday.
        assert_eq!(
            local_date(datetime!(2026-05-31 22:30 UTC)),
            date!(2026 - 06 - 01)
        );
        assert_eq!(
            local_date(datetime!(2026-05-31 21:59 UTC)),
            date!(2026 - 05 - 31)
        );
    }

    #[test]
    fn the_offset_follows_both_switches() {
        // Spring forward: Sunday 29 March 2026, 02:00 CET becomes 03:00 CEST (01:00 UTC).
        assert_eq!(offset_at(datetime!(2026-03-29 00:59 UTC)).whole_hours(), 1);
        assert_eq!(offset_at(datetime!(2026-03-29 01:00 UTC)).whole_hours(), 2);
        // Fall back: Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET (01:00 UTC).
        assert_eq!(offset_at(datetime!(2026-10-25 00:59 UTC)).whole_hours(), 2);
        assert_eq!(offset_at(datetime!(2026-10-25 01:00 UTC)).whole_hours(), 1);
        // Around the switches the day is still right at both ends.
        assert_eq!(
            local_date(datetime!(2026-03-28 23:00 UTC)),
            date!(2026 - 03 - 29)
        );
        assert_eq!(
            local_date(datetime!(2026-03-29 21:59 UTC)),
            date!(2026 - 03 - 29)
        );
        assert_eq!(
            local_date(datetime!(2026-03-29 22:00 UTC)),
            date!(2026 - 03 - 30)
        );
        assert_eq!(
            local_date(datetime!(2026-10-24 21:59 UTC)),
            date!(2026 - 10 - 24)
        );
        assert_eq!(
            local_date(datetime!(2026-10-24 22:00 UTC)),
            date!(2026 - 10 - 25)
        );
        assert_eq!(
            local_date(datetime!(2026-10-25 22:59 UTC)),
            date!(2026 - 10 - 25)
        );
        assert_eq!(
            local_date(datetime!(2026-10-25 23:00 UTC)),
            date!(2026 - 10 - 26)
        );
    }

    #[test]
    fn a_day_starts_at_local_midnight() {
        let start = |d: Date| start_of_day(d).unwrap();
        assert_eq!(
            start(date!(2026 - 01 - 15)),
            datetime!(2026-01-14 23:00 UTC)
        );
        assert_eq!(
            start(date!(2026 - 07 - 15)),
            datetime!(2026-07-14 22:00 UTC)
        );
        // The short and the long day.
        assert_eq!(
            start(date!(2026 - 03 - 30)) - start(date!(2026 - 03 - 29)),
            time::Duration::hours(23)
        );
        assert_eq!(
            start(date!(2026 - 10 - 26)) - start(date!(2026 - 10 - 25)),
            time::Duration::hours(25)
        );
        // The ends of the calendar have no start, and nothing panics on them.
        assert_eq!(start_of_day(Date::MIN), None);
        assert_eq!(
            local(OffsetDateTime::new_utc(Date::MAX, time::Time::MIDNIGHT)).date(),
            Date::MAX
        );
    }

    proptest! {
        #[test]
        fn every_instant_lies_in_its_local_day(secs in 946_684_800i64..4_102_444_800i64) {
            let t = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let day = local_date(t);
            prop_assert!(start_of_day(day).unwrap() <= t);
            prop_assert!(t < start_of_day(day.next_day().unwrap()).unwrap());
            let hours = offset_at(t).whole_hours();
            prop_assert!(hours == 1 || hours == 2);
        }
    }
}
