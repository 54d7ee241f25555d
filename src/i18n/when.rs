//! Times for people: the stored RFC 3339 UTC times shown in the desk's local time with the
//! zone named, so nobody has to add the offset in their head. JSON keeps UTC.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The desk's zone: the system's (TZ, /etc/localtime), UTC when none can be read.
pub fn system_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

fn formatted(rfc3339: &str, zone: &TimeZone, format: &str) -> String {
    match rfc3339.trim().parse::<Timestamp>() {
        Ok(ts) => ts.to_zoned(zone.clone()).strftime(format).to_string(),
        // Not a time (a bare date, or damaged): shown as it is rather than hidden.
        Err(_) => rfc3339.to_string(),
    }
}

/// "2026-12-03 17:05:12 CET".
pub fn date_time(rfc3339: &str, zone: &TimeZone) -> String {
    formatted(rfc3339, zone, "%Y-%m-%d %H:%M:%S %Z")
}

/// "17:05 CET".
pub fn clock(rfc3339: &str, zone: &TimeZone) -> String {
    formatted(rfc3339, zone, "%H:%M %Z")
}

/// "2026-12-03": the local day, which can differ from the UTC one near midnight.
pub fn date(rfc3339: &str, zone: &TimeZone) -> String {
    match rfc3339.trim().parse::<Timestamp>() {
        Ok(ts) => ts.to_zoned(zone.clone()).strftime("%Y-%m-%d").to_string(),
        Err(_) => rfc3339.get(..10).unwrap_or(rfc3339).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rome() -> TimeZone {
        TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").expect("posix zone")
    }

    #[test]
    fn utc_times_show_in_local_time_with_the_zone() {
        assert_eq!(
            date_time("2026-12-03T16:05:12Z", &rome()),
            "2026-12-03 17:05:12 CET"
        );
        assert_eq!(
            date_time("2026-07-03T16:05:12Z", &rome()),
            "2026-07-03 18:05:12 CEST"
        );
        assert_eq!(clock("2026-12-03T16:05:12Z", &rome()), "17:05 CET");
    }

    #[test]
    fn the_local_day_is_shown() {
        assert_eq!(date("2026-12-03T23:30:00Z", &rome()), "2026-12-04");
    }

    #[test]
    fn text_that_is_not_a_time_is_shown_as_is() {
        assert_eq!(date_time("2026-12-03", &rome()), "2026-12-03");
        assert_eq!(date("2026-12-03", &rome()), "2026-12-03");
        assert_eq!(clock("", &rome()), "");
    }
}
