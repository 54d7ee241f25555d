//! Times for people: the stored RFC 3339 UTC times shown in the desk's local time with the
//! zone named, so nobody has to add the offset in their head. JSON keeps UTC.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// `--at`: RFC 3339, or `YYYY-MM-DD` meaning the end of that day (UTC): a document registered
/// that day existed by then, and a certificate that expired during it is not given the benefit.
pub fn parse_when(text: &str) -> Result<time::OffsetDateTime, String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .map(|d| d.with_hms(23, 59, 59).unwrap_or(d.midnight()).assume_utc())
        .map_err(|_| format!("«{text}» is not a date (YYYY-MM-DD) or an RFC 3339 time"))
}

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
