//! Ages as kubectl prints them: apimachinery's `util/duration.HumanDuration`, the
//! `translateTimestampSince` wrapper every printer uses, and the RFC 1123Z dates `describe`
//! shows (`Mon, 23 Nov 2026 09:00:00 +0000`).

use rollout_sim::clock::{Duration, Time};

/// apimachinery `HumanDuration`: a short, lossy age such as `90s`, `2m50s`, `10m`, `3h5m`,
/// `21h`, `3d4h`, `45d`, `2y30d`. Every division truncates, exactly like the Go code, so
/// 119 seconds is still `119s` (not `1m59s`) and 179 minutes is `179m`.
///
/// A small negative span (clock skew up to one second) reads `0s`; anything more negative
/// is `<invalid>`.
pub fn human_duration(d: Duration) -> String {
    // Go: `int(d.Seconds())` truncates toward zero, as does `whole_secs`.
    let seconds = d.whole_secs();
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{h}h", hours / 24);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let days = (hours / 24) % 365;
        if days == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{days}d", hours / 24 / 365);
    }
    format!("{}y", hours / 24 / 365)
}

/// kubectl's `translateTimestampSince`: `<unknown>` for a zero (unset) timestamp, otherwise
/// the [`human_duration`] from `timestamp` to `now`.
pub fn translate_timestamp_since(timestamp: Option<Time>, now: Time) -> String {
    match timestamp {
        None => "<unknown>".to_string(),
        // The API stores these with second precision, so kubectl counts from the second.
        Some(t) => human_duration(now - Time(t.0.saturating_sub(t.0.rem_euclid(1000)))),
    }
}

/// Go's `time.RFC1123Z` layout (`Mon, 02 Jan 2006 15:04:05 -0700`), in UTC: the zone a
/// browser sandbox reports. Virtual time 0 is `rollout_sim::clock::EPOCH_UNIX_SECONDS`; an unset timestamp
/// prints Go's zero time, as kubectl does for objects that were never persisted.
pub fn rfc1123z(timestamp: Option<Time>) -> String {
    let Some(t) = timestamp else {
        return "Mon, 01 Jan 0001 00:00:00 +0000".to_string();
    };
    let c = t.civil();
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
        c.weekday_name(),
        c.day,
        c.month_name(),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollout_sim::clock::EPOCH_UNIX_SECONDS;

    fn check(seconds: i64, expected: &str) {
        assert_eq!(
            human_duration(Duration::from_secs(seconds)),
            expected,
            "{seconds}s"
        );
    }

    #[test]
    fn human_duration_follows_the_apimachinery_table() {
        check(-5, "<invalid>");
        check(-2, "<invalid>");
        check(-1, "0s");
        check(0, "0s");
        check(5, "5s");
        check(59, "59s");
        check(90, "90s");
        check(119, "119s");
        check(120, "2m");
        check(170, "2m50s");
        check(180, "3m");
        check(599, "9m59s");
        check(600, "10m");
        check(95 * 60, "95m");
        check(179 * 60 + 59, "179m");
        check(3 * 3600, "3h");
        check(3 * 3600 + 5 * 60, "3h5m");
        check(5 * 3600, "5h");
        check(8 * 3600, "8h");
        check(21 * 3600, "21h");
        check(47 * 3600, "47h");
        check(48 * 3600, "2d");
        check(3 * 86_400 + 4 * 3600, "3d4h");
        check(6 * 86_400 + 19 * 3600, "6d19h");
        check(8 * 86_400, "8d");
        check(45 * 86_400, "45d");
        check(400 * 86_400, "400d");
        check(730 * 86_400, "2y");
        check(760 * 86_400, "2y30d");
        check(8 * 365 * 86_400, "8y");
    }

    #[test]
    fn a_sub_second_skew_is_zero_not_invalid() {
        assert_eq!(human_duration(Duration::from_millis(-1_999)), "0s");
        assert_eq!(human_duration(Duration::from_millis(1_999)), "1s");
    }

    #[test]
    fn absurd_durations_do_not_panic() {
        assert_eq!(human_duration(Duration(i64::MIN)), "<invalid>");
        assert!(human_duration(Duration(i64::MAX)).ends_with('y'));
        assert_eq!(
            translate_timestamp_since(Some(Time(i64::MIN)), Time(i64::MAX)),
            human_duration(Duration(i64::MAX))
        );
        let _ = rfc1123z(Some(Time(i64::MAX)));
        let _ = rfc1123z(Some(Time(i64::MIN)));
    }

    #[test]
    fn an_unset_timestamp_is_unknown() {
        assert_eq!(translate_timestamp_since(None, Time(5_000)), "<unknown>");
        assert_eq!(
            translate_timestamp_since(Some(Time(0)), Time(90_000)),
            "90s"
        );
    }

    #[test]
    fn creation_timestamps_print_as_rfc1123z() {
        assert_eq!(rfc1123z(Some(Time(0))), "Mon, 23 Nov 2026 09:00:00 +0000");
        assert_eq!(
            rfc1123z(Some(Time(86_400_000 * 9 + 3_723_000))),
            "Wed, 02 Dec 2026 10:02:03 +0000"
        );
        assert_eq!(
            rfc1123z(Some(Time(-(EPOCH_UNIX_SECONDS * 1000)))),
            "Thu, 01 Jan 1970 00:00:00 +0000"
        );
    }
}
