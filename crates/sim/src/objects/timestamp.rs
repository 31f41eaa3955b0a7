//! Timestamps on the wire: RFC 3339 in UTC with second precision (`2026-11-23T09:00:05Z`), as
//! `metav1.Time` marshals them. Virtual [`Time`] 0 is [`EPOCH_UNIX_SECONDS`].
//!
//! Parsing accepts fractions and offsets so that anything kubectl prints can be read back
//! (`kubectl edit`); sub-second precision is dropped on output, as the API server does.

use crate::clock::{Time, EPOCH_UNIX_SECONDS};
use serde::{Deserialize, Deserializer, Serializer};

/// (year, month, day) → days since 1970-01-01 (`days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-23T09:00:05Z` for a virtual instant (whole seconds, rounded down).
pub fn format_rfc3339(time: Time) -> String {
    time.rfc3339()
}

/// Parses RFC 3339 (`Z` or `±hh:mm`, optional fraction) into virtual time. Go's message for
/// anything else is `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse …`;
/// we return the whole message.
pub fn parse_rfc3339(text: &str) -> Result<Time, String> {
    let fail = || {
        format!(
            "parsing time {} as \"2006-01-02T15:04:05Z07:00\": cannot parse {} as \"2006\"",
            crate::strconv::quote(text),
            crate::strconv::quote(text)
        )
    };
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(fail());
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(min), Some(sec)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return Err(fail());
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return Err(fail());
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let fraction = &text[start..i];
        if fraction.is_empty() {
            return Err(fail());
        }
        let padded = format!("{fraction:0<3}");
        millis = padded[..3].parse().map_err(|_| fail())?;
    }
    let offset_secs = match &text[i..] {
        "Z" | "z" => 0,
        zone if zone.len() == 6
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone.as_bytes()[3] == b':' =>
        {
            let (Some(h), Some(m)) = (num(i + 1..i + 3), num(i + 4..i + 6)) else {
                return Err(fail());
            };
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (h * 3600 + m * 60)
        }
        _ => return Err(fail()),
    };
    let days = days_from_civil(year, month as u32, day as u32);
    let unix = days * 86_400 + hour * 3600 + min * 60 + sec - offset_secs;
    Ok(Time((unix - EPOCH_UNIX_SECONDS) * 1000 + millis))
}

/// Serde for `Option<Time>` fields: RFC 3339 string or `null`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<Time>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(time) => serializer.serialize_str(&format_rfc3339(*time)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Time>, D::Error> {
        let text: Option<String> = Option::deserialize(deserializer)?;
        match text {
            None => Ok(None),
            Some(text) => parse_rfc3339(&text)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Serde for required `Time` fields.
pub mod required {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Time, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_rfc3339(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_zero_is_the_lab_sessions_monday_morning() {
        assert_eq!(format_rfc3339(Time(0)), "2026-11-23T09:00:00Z");
        assert_eq!(format_rfc3339(Time(5_999)), "2026-11-23T09:00:05Z");
        assert_eq!(
            format_rfc3339(Time(86_400_000 * 40)),
            "2027-01-02T09:00:00Z"
        );
    }

    #[test]
    fn printed_timestamps_parse_back() {
        for millis in [0, 5_000, -3_600_000, 86_400_000 * 400] {
            assert_eq!(
                parse_rfc3339(&format_rfc3339(Time(millis))),
                Ok(Time(millis))
            );
        }
        assert_eq!(
            parse_rfc3339("2026-11-23T10:00:00.250+01:00"),
            Ok(Time(250))
        );
        assert!(parse_rfc3339("yesterday").is_err());
    }
}
