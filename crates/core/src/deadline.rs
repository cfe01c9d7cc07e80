//! Deadlines in working days. Weekends never count; the Dutch public holidays of the Algemene
//! termijnenwet (art. 3: Nieuwjaarsdag, tweede Paasdag, Hemelvaartsdag, Koningsdag,
//! Bevrijdingsdag, tweede Pinksterdag, Eerste en Tweede Kerstdag) do not count either when
//! the configuration says so.

use time::{Date, Duration, Month, Weekday};

/// Easter Sunday (Gregorian calendar; the anonymous "Meeus/Jones/Butcher" algorithm).
pub fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_calendar_date(year, Month::try_from(month as u8).ok()?, day as u8).ok()
}

/// The public holidays of the Algemene termijnenwet in `year`.
pub fn public_holidays(year: i32) -> Vec<Date> {
    let mut days = Vec::new();
    let fixed = |m: Month, d: u8| Date::from_calendar_date(year, m, d).ok();
    days.extend(fixed(Month::January, 1));
    if let Some(e) = easter(year) {
        days.push(e + Duration::days(1)); // tweede Paasdag
        days.push(e + Duration::days(39)); // Hemelvaartsdag
        days.push(e + Duration::days(50)); // tweede Pinksterdag
    }
    // Koningsdag: 27 April, or the 26th when the 27th is a Sunday.
    if let Some(k) = fixed(Month::April, 27) {
        days.push(if k.weekday() == Weekday::Sunday {
            k - Duration::days(1)
        } else {
            k
        });
    }
    days.extend(fixed(Month::May, 5));
    days.extend(fixed(Month::December, 25));
    days.extend(fixed(Month::December, 26));
    days
}

pub fn is_working_day(d: Date, holidays: bool) -> bool {
    let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
    let holiday = holidays && public_holidays(d.year()).contains(&d);
    !weekend && !holiday
}

/// The day `working_days` working days after `start` (the start day itself does not count).
pub fn add_working_days(start: Date, working_days: u32, holidays: bool) -> Date {
    let mut d = start;
    let mut left = working_days;
    while left > 0 {
        match d.next_day() {
            Some(next) => d = next,
            None => return d,
        }
        if is_working_day(d, holidays) {
            left -= 1;
        }
    }
    d
}

/// How triage deadlines are computed: the theme's own number of working days, or this default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlinePolicy {
    pub default_working_days: u32,
    pub public_holidays: bool,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        Self {
            default_working_days: 10,
            public_holidays: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn easter_in_known_years() {
        assert_eq!(easter(2024), Some(date!(2024 - 03 - 31)));
        assert_eq!(easter(2025), Some(date!(2025 - 04 - 20)));
        assert_eq!(easter(2026), Some(date!(2026 - 04 - 05)));
    }

    #[test]
    fn holidays_of_2025() {
        let h = public_holidays(2025);
        for d in [
            date!(2025 - 01 - 01),
            date!(2025 - 04 - 21),
            date!(2025 - 04 - 26), // 27 April 2025 is a Sunday
            date!(2025 - 05 - 05),
            date!(2025 - 05 - 29),
            date!(2025 - 06 - 09),
            date!(2025 - 12 - 25),
            date!(2025 - 12 - 26),
        ] {
            assert!(h.contains(&d), "{d}");
        }
        assert!(
            !h.contains(&date!(2025 - 04 - 18)),
            "Goede Vrijdag is not in the Algemene termijnenwet"
        );
    }

    #[test]
    fn working_days_skip_weekends_and_optionally_holidays() {
        // Friday 2 May 2025 + 3 working days: Mon 5 May is Bevrijdingsdag.
        assert_eq!(
            add_working_days(date!(2025 - 05 - 02), 3, false),
            date!(2025 - 05 - 07)
        );
        assert_eq!(
            add_working_days(date!(2025 - 05 - 02), 3, true),
            date!(2025 - 05 - 08)
        );
        // Christmas week.
        assert_eq!(
            add_working_days(date!(2025 - 12 - 24), 1, true),
            date!(2025 - 12 - 29)
        );
        assert_eq!(
            add_working_days(date!(2025 - 12 - 24), 0, true),
            date!(2025 - 12 - 24)
        );
    }
}
