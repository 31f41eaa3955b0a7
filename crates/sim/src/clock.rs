//! Virtual time. The simulation never reads the wall clock: every timestamp is a [`Time`] on
//! the cluster's own clock, which only moves when the caller advances it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Sub};

/// An instant on the virtual clock, in milliseconds.
///
/// Kubernetes stores timestamps with second (metadata) or nanosecond (conditions) precision;
/// milliseconds are fine enough for every rule the controllers apply and keep arithmetic in
/// `i64` far from overflow.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Time(pub i64);

/// The calendar instant that virtual [`Time`] 0 stands for, in Unix seconds
/// (2026-11-23T09:00:00Z, a Monday morning lab session). Only printing uses it
/// (`CreationTimestamp`, `restartedAt`); the simulation itself never needs a date.
pub const EPOCH_UNIX_SECONDS: i64 = 1_795_424_400;

/// A span of virtual time, in milliseconds (may be negative, like Go's `time.Duration`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Duration(pub i64);

impl Time {
    /// Milliseconds since the clock's origin.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Go's `t.Before(u)`: strictly earlier.
    pub fn before(self, other: Time) -> bool {
        self.0 < other.0
    }

    /// Go's `t.After(u)`: strictly later.
    pub fn after(self, other: Time) -> bool {
        self.0 > other.0
    }
}

/// A virtual instant as a UTC calendar date, for printing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1..=12
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    /// 0 = Sunday.
    pub weekday: i64,
}

impl Civil {
    /// `Mon`, `Tue`, … as HTTP dates and RFC 1123 print them.
    pub fn weekday_name(&self) -> &'static str {
        ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][self.weekday.rem_euclid(7) as usize]
    }

    /// `Jan`, `Feb`, …
    pub fn month_name(&self) -> &'static str {
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][(self.month - 1).clamp(0, 11) as usize]
    }
}

impl Time {
    /// The calendar date of this instant ([`EPOCH_UNIX_SECONDS`] is time 0), in UTC.
    pub fn civil(self) -> Civil {
        let unix = EPOCH_UNIX_SECONDS.saturating_add(self.0.div_euclid(1000));
        let days = unix.div_euclid(86_400);
        let secs = unix.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days.saturating_add(719_468);
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        Civil {
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7),
        }
    }

    /// RFC 3339 in UTC with second precision, as the API server writes timestamps
    /// (`2026-11-23T09:00:05Z`).
    pub fn rfc3339(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

impl Duration {
    pub const ZERO: Duration = Duration(0);

    /// Go's `time.ParseDuration` (flags such as `--timeout=30s`, Argo's `interval: 5m`), to
    /// the virtual clock's milliseconds (finer parts are dropped). Errors are Go's texts.
    pub fn parse_go(text: &str) -> Result<Duration, String> {
        let quoted = crate::strconv::quote(text);
        let invalid = || format!("time: invalid duration {quoted}");
        let (negative, mut rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        if rest == "0" {
            return Ok(Duration(0));
        }
        if rest.is_empty() {
            return Err(invalid());
        }
        let mut total_ns: f64 = 0.0;
        while !rest.is_empty() {
            let number_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let number = &rest[..number_len];
            if number.is_empty() || number == "." {
                return Err(invalid());
            }
            let value: f64 = number.parse().map_err(|_| invalid())?;
            rest = &rest[number_len..];
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit() || c == '.')
                .unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let ns_per_unit = match unit {
                "" => return Err(format!("time: missing unit in duration {quoted}")),
                "ns" => 1.0,
                "us" | "µs" | "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                other => {
                    return Err(format!(
                        "time: unknown unit {} in duration {quoted}",
                        crate::strconv::quote(other)
                    ))
                }
            };
            total_ns += value * ns_per_unit;
        }
        if total_ns > 9.223_372_036_854_776e18 {
            return Err(invalid());
        }
        let millis = (total_ns / 1e6) as i64;
        Ok(Duration(if negative { -millis } else { millis }))
    }

    pub fn from_secs(secs: i64) -> Duration {
        Duration(secs.saturating_mul(1000))
    }

    pub fn from_millis(millis: i64) -> Duration {
        Duration(millis)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    /// Whole seconds, truncated toward zero like Go's `int(d.Seconds())`.
    pub fn whole_secs(self) -> i64 {
        self.0 / 1000
    }
}

impl Add<Duration> for Time {
    type Output = Time;
    fn add(self, rhs: Duration) -> Time {
        Time(self.0.saturating_add(rhs.0))
    }
}

impl Sub<Duration> for Time {
    type Output = Time;
    fn sub(self, rhs: Duration) -> Time {
        Time(self.0.saturating_sub(rhs.0))
    }
}

impl Sub<Time> for Time {
    type Output = Duration;
    fn sub(self, rhs: Time) -> Duration {
        Duration(self.0.saturating_sub(rhs.0))
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, rhs: Duration) -> Duration {
        Duration(self.0.saturating_add(rhs.0))
    }
}

impl Duration {
    /// Go's `time.Duration.String()`: `500ms`, `20s`, `1m30.5s`, `2h0m0s`.
    pub fn go_string(self) -> String {
        let millis = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        if millis == 0 {
            return "0s".to_string();
        }
        if millis < 1000 {
            return format!("{sign}{millis}ms");
        }
        let secs = millis / 1000;
        let fraction = match millis % 1000 {
            0 => String::new(),
            ms => format!(".{ms:03}").trim_end_matches('0').to_string(),
        };
        let seconds = format!("{}{fraction}s", secs % 60);
        let (hours, minutes) = (secs / 3600, secs / 60 % 60);
        if hours > 0 {
            format!("{sign}{hours}h{minutes}m{seconds}")
        } else if minutes > 0 {
            format!("{sign}{minutes}m{seconds}")
        } else {
            format!("{sign}{seconds}")
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 1000 == 0 {
            write!(f, "{}s", self.0 / 1000)
        } else {
            write!(f, "{}ms", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zero_is_the_epoch_date() {
        assert_eq!(Time(0).rfc3339(), "2026-11-23T09:00:00Z");
        assert_eq!(Time(0).civil().weekday, 1);
        assert_eq!(
            Time(86_400_000 * 40 + 5_999).rfc3339(),
            "2027-01-02T09:00:05Z"
        );
    }

    #[test]
    fn durations_print_as_go_prints_them() {
        let go = |millis| Duration(millis).go_string();
        assert_eq!(go(0), "0s");
        assert_eq!(go(500), "500ms");
        assert_eq!(go(20_000), "20s");
        assert_eq!(go(90_500), "1m30.5s");
        assert_eq!(go(7_200_000), "2h0m0s");
        assert_eq!(go(-1_000), "-1s");
    }

    #[test]
    fn adding_a_duration_moves_time_forward() {
        assert_eq!(Time(1_000) + Duration::from_secs(2), Time(3_000));
        assert_eq!(Time(3_000) - Time(1_000), Duration(2_000));
    }

    #[test]
    fn absurd_times_saturate_instead_of_overflowing() {
        assert_eq!(Time(i64::MAX) + Duration::from_secs(1), Time(i64::MAX));
        assert_eq!(Duration::from_secs(i64::MAX), Duration(i64::MAX));
    }
}
