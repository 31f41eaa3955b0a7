use serde::{Deserialize, Serialize};
use std::fmt;

/// A count that is either absolute (`3`) or relative to a total (`"25%"`), as used by
/// `maxSurge` and `maxUnavailable`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

/// Why an [`IntOrString`] could not be turned into a number. The message matches the one
/// apimachinery's `GetScaledValueFromIntOrPercent` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrStringError {
    /// A string without a trailing `%`, e.g. `"urg"`.
    NotAPercentage(String),
    /// A `%` string whose number does not parse, e.g. `"x%"`.
    InvalidPercentage(String),
}

impl fmt::Display for IntOrStringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrStringError::NotAPercentage(_) => {
                write!(
                    f,
                    "invalid value for IntOrString: invalid type: string is not a percentage"
                )
            }
            IntOrStringError::InvalidPercentage(value) => {
                write!(
                    f,
                    "invalid value for IntOrString: invalid value {value:?}: invalid syntax"
                )
            }
        }
    }
}

impl std::error::Error for IntOrStringError {}

impl IntOrString {
    /// Resolves the value against `total`. Percentages round up for surge (so a rollout can
    /// always add at least one pod) and down for unavailability (so it never removes more
    /// than allowed).
    pub fn scaled_value(&self, total: i32, round_up: bool) -> Result<i32, IntOrStringError> {
        match self {
            IntOrString::Int(value) => Ok(*value),
            IntOrString::String(text) => {
                let Some(number) = text.strip_suffix('%') else {
                    return Err(IntOrStringError::NotAPercentage(text.clone()));
                };
                let percent: i64 = number
                    .parse()
                    .map_err(|_| IntOrStringError::InvalidPercentage(text.clone()))?;
                // Float math like upstream, so 39% of 10 is 3.9 and rounds the same way.
                let exact = percent as f64 * f64::from(total) / 100.0;
                let rounded = if round_up {
                    exact.ceil()
                } else {
                    exact.floor()
                };
                // `as` saturates: an absurd percentage pins at the i32 range instead of wrapping.
                Ok(rounded as i32)
            }
        }
    }
}

impl From<i32> for IntOrString {
    fn from(value: i32) -> Self {
        IntOrString::Int(value)
    }
}

impl From<&str> for IntOrString {
    fn from(value: &str) -> Self {
        IntOrString::String(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_up_for_surge_and_down_for_unavailability() {
        let value = IntOrString::from("39%");
        assert_eq!(value.scaled_value(10, true), Ok(4));
        assert_eq!(value.scaled_value(10, false), Ok(3));
    }

    #[test]
    fn a_string_without_percent_sign_is_an_error() {
        let err = IntOrString::from("urg").scaled_value(10, true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid value for IntOrString: invalid type: string is not a percentage"
        );
    }

    #[test]
    fn absurd_percentages_saturate() {
        let value = IntOrString::from("9223372036854775807%");
        assert_eq!(value.scaled_value(i32::MAX, true), Ok(i32::MAX));
    }
}
