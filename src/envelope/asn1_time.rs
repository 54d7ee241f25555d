//! UTCTime and GeneralizedTime as found in signing-time attributes and TSTInfo.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::ber::{tags, Tlv};

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    part.iter()
        .try_fold(0u32, |acc, d| Some(acc * 10 + u32::from(d - b'0')))
}

/// Reads a UTCTime or GeneralizedTime element; `None` when it is not a valid time.
/// Fractions of a second are dropped; only the `Z` zone is accepted, as CMS requires.
pub fn parse_time(tlv: &Tlv<'_>) -> Option<OffsetDateTime> {
    let s = tlv.value;
    let (year, rest) = if tlv.tag.is_universal(tags::UTC_TIME) {
        // RFC 5280: YY >= 50 means 19YY.
        let yy = digits(s, 0, 2)?;
        (if yy >= 50 { 1900 + yy } else { 2000 + yy }, 2)
    } else if tlv.tag.is_universal(tags::GENERALIZED_TIME) {
        (digits(s, 0, 4)?, 4)
    } else {
        return None;
    };
    let month = digits(s, rest, 2)?;
    let day = digits(s, rest + 2, 2)?;
    let hour = digits(s, rest + 4, 2)?;
    let minute = digits(s, rest + 6, 2)?;
    let second = digits(s, rest + 8, 2).unwrap_or(0);
    if s.last() != Some(&b'Z') {
        return None;
    }
    let date = Date::from_calendar_date(
        i32::try_from(year).ok()?,
        Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let time = Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

/// RFC 3339 in UTC, for reports.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, text: &str) -> Vec<u8> {
        let mut v = vec![tag, text.len() as u8];
        v.extend_from_slice(text.as_bytes());
        v
    }

    #[test]
    fn utc_and_generalized() {
        let u = tlv(0x17, "150312101500Z");
        let (t, _) = Tlv::parse_prefix(&u).unwrap();
        assert_eq!(rfc3339(parse_time(&t).unwrap()), "2015-03-12T10:15:00Z");
        let g = tlv(0x18, "20230102030405.123Z");
        let (t, _) = Tlv::parse_prefix(&g).unwrap();
        assert_eq!(rfc3339(parse_time(&t).unwrap()), "2023-01-02T03:04:05Z");
        let bad = tlv(0x17, "151312101500Z");
        let (t, _) = Tlv::parse_prefix(&bad).unwrap();
        assert!(parse_time(&t).is_none());
    }
}
