//! `resource.Quantity` (k8s.io/apimachinery/pkg/api/resource): how the API reads "500m",
//! "1.5", "256Mi" or "1e3", and the canonical form it writes back (`1.5` is stored and shown
//! as `1500m`, `1024Mi` as `1Gi`).
//!
//! A quantity is kept as a decimal: digits × 10^exponent, with no size limit on the digits,
//! so an absurd request (`1e18` CPUs, `1e999` bytes) is parsed and printed without big
//! arithmetic and without freezing. The scheduler reads quantities as whole milli-units or
//! units through [`Quantity::milli_value`] and [`Quantity::value`], saturated at `i64::MAX`
//! where Go would overflow.

use std::cmp::Ordering;
use std::fmt;

/// The format a quantity was written in, which its canonical form keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityFormat {
    /// `1e3`, `12E-3`.
    DecimalExponent,
    /// `1Ki`, `256Mi`: powers of two.
    BinarySi,
    /// `500m`, `2`, `1k`, `4G`: powers of ten.
    DecimalSi,
}

/// Why a string is not a quantity, in apimachinery's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    FormatWrong,
    Numeric,
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Numeric => "unable to parse numeric part of quantity",
            QuantityError::Suffix => "unable to parse quantity's suffix",
        })
    }
}

/// A parsed quantity: `(-1)^negative × digits × 10^exponent`, normalised (no leading or
/// trailing zeros in `digits`; zero is empty digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
    format: QuantityFormat,
}

/// The largest BinarySI value apimachinery keeps (`maxAllowed`, int64's maximum).
const MAX_ALLOWED: &str = "9223372036854775807";

impl Quantity {
    /// `resource.ParseQuantity`.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        let mut pos = 0;
        let mut negative = false;
        if let Some(&sign) = bytes.first() {
            if sign == b'+' || sign == b'-' {
                negative = sign == b'-';
                pos = 1;
            }
        }
        // The number: digits, an optional point, digits.
        let number_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos < bytes.len() && bytes[pos] == b'.' {
            pos += 1;
            while pos < bytes.len() && bytes[pos].is_ascii_digit() {
                pos += 1;
            }
        }
        let number = &text[number_start..pos];
        // The suffix: letters of the suffix alphabet, then an optional signed integer.
        let suffix_start = pos;
        while pos < bytes.len() && b"eEinumkKMGTP".contains(&bytes[pos]) {
            pos += 1;
        }
        if pos < bytes.len() && (bytes[pos] == b'+' || bytes[pos] == b'-') {
            pos += 1;
        }
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos < bytes.len() || number.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        let suffix = &text[suffix_start..];
        let (base, power, format) = interpret_suffix(suffix).ok_or(QuantityError::Suffix)?;

        let (mut digits, mut exponent) = parse_decimal(number).ok_or(QuantityError::Numeric)?;
        if base == 10 {
            exponent += power;
        } else {
            for _ in 0..power {
                double_vec(&mut digits);
            }
        }
        let mut quantity = Quantity {
            negative,
            digits,
            exponent,
            format,
        };
        quantity.normalise();
        // Non-zero amounts below a nano-unit round up to one: asking for some resource gets
        // some.
        quantity.round_up_to_nano();
        if quantity.format == QuantityFormat::BinarySi {
            let max = Quantity::parse_plain(MAX_ALLOWED);
            if quantity.magnitude_cmp(&max) == Ordering::Greater {
                quantity.digits = max.digits;
                quantity.exponent = max.exponent;
            }
            if quantity.is_fraction() {
                quantity.format = QuantityFormat::DecimalSi;
            }
        }
        if quantity.digits.is_empty() {
            quantity.negative = false;
        }
        Ok(quantity)
    }

    fn parse_plain(integer: &str) -> Quantity {
        let (digits, exponent) = parse_decimal(integer).unwrap_or_default();
        let mut q = Quantity {
            negative: false,
            digits,
            exponent,
            format: QuantityFormat::DecimalSi,
        };
        q.normalise();
        q
    }

    /// A whole number of units (`resource.NewQuantity(n, DecimalSI)`).
    pub fn from_units(value: i64) -> Quantity {
        let mut q = Quantity::parse_plain(&value.unsigned_abs().to_string());
        q.negative = value < 0;
        q
    }

    /// A number of milli-units (`resource.NewMilliQuantity(n, DecimalSI)`).
    pub fn from_milli(value: i64) -> Quantity {
        let mut q = Quantity::from_units(value);
        if !q.digits.is_empty() {
            q.exponent -= 3;
        }
        q.normalise();
        q
    }

    /// A number of bytes shown in powers of two (`resource.NewQuantity(n, BinarySI)`).
    pub fn from_bytes(value: i64) -> Quantity {
        let mut q = Quantity::from_units(value);
        q.format = QuantityFormat::BinarySi;
        q
    }

    /// A number of milli-units shown in `format` (a sum of quantities keeps the first one's
    /// format, as `Quantity.Add` does).
    pub fn from_milli_in(value: i64, format: QuantityFormat) -> Quantity {
        let mut q = Quantity::from_milli(value);
        if format != QuantityFormat::DecimalSi && !q.is_fraction() {
            q.format = format;
        }
        q
    }

    pub fn format(&self) -> QuantityFormat {
        self.format
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    pub fn is_negative(&self) -> bool {
        self.negative && !self.is_zero()
    }

    fn normalise(&mut self) {
        let leading = self.digits.iter().take_while(|&&d| d == 0).count();
        self.digits.drain(..leading);
        while self.digits.last() == Some(&0) {
            self.digits.pop();
            self.exponent += 1;
        }
        if self.digits.is_empty() {
            self.exponent = 0;
        }
    }

    fn round_up_to_nano(&mut self) {
        if self.exponent >= -9 || self.digits.is_empty() {
            return;
        }
        let drop = (-9 - self.exponent) as usize;
        let keep = self.digits.len().saturating_sub(drop);
        let dropped_non_zero = self.digits[keep..].iter().any(|&d| d != 0);
        self.digits.truncate(keep);
        self.exponent = -9;
        if dropped_non_zero {
            increment(&mut self.digits);
        }
        self.normalise();
    }

    /// True when the value is not a whole number.
    fn is_fraction(&self) -> bool {
        self.exponent < 0 && !self.digits.is_empty()
    }

    /// The number of digits before the point (can be ≤ 0 for values under 1).
    fn integer_digits(&self) -> i64 {
        self.digits.len() as i64 + self.exponent
    }

    fn magnitude_cmp(&self, other: &Quantity) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.integer_digits()
            .cmp(&other.integer_digits())
            .then_with(|| {
                let len = self.digits.len().max(other.digits.len());
                let at = |q: &Quantity, i: usize| q.digits.get(i).copied().unwrap_or(0);
                (0..len)
                    .map(|i| at(self, i).cmp(&at(other, i)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
    }

    /// `Quantity.Cmp`.
    pub fn compare(&self, other: &Quantity) -> Ordering {
        match (self.is_negative(), other.is_negative()) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.magnitude_cmp(other),
            (true, true) => other.magnitude_cmp(self),
        }
    }

    /// The value scaled by 10^scale, rounded up, saturated to `i64`.
    fn scaled(&self, scale: i64) -> i64 {
        if self.digits.is_empty() {
            return 0;
        }
        let saturated = if self.negative { i64::MIN } else { i64::MAX };
        let shift = self.exponent + scale;
        let whole = self.digits.len() as i64 + shift;
        if whole > 19 {
            return saturated;
        }
        let mut value: i128 = 0;
        let integer_len = whole.clamp(0, self.digits.len() as i64) as usize;
        for &d in &self.digits[..integer_len] {
            value = value * 10 + i128::from(d);
        }
        for _ in 0..shift.max(0) {
            value *= 10;
        }
        if self.digits[integer_len..].iter().any(|&d| d != 0) {
            value += 1;
        }
        let value = if self.negative { -value } else { value };
        i64::try_from(value).unwrap_or(saturated)
    }

    /// `MilliValue()`: thousandths, rounded up (how the scheduler counts CPU).
    pub fn milli_value(&self) -> i64 {
        self.scaled(3)
    }

    /// `Value()`: whole units, rounded up (how the scheduler counts bytes and pods).
    pub fn value(&self) -> i64 {
        self.scaled(0)
    }

    /// `Quantity.String()`: the canonical form the API server stores and prints.
    pub fn canonical(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_string();
        }
        let sign = if self.negative { "-" } else { "" };
        let mut format = self.format;
        if format == QuantityFormat::BinarySi
            && self.magnitude_cmp(&Quantity::from_units(1024)).is_lt()
        {
            format = QuantityFormat::DecimalSi;
        }
        if format == QuantityFormat::BinarySi {
            // Whole bytes (BinarySI values are whole, or were made DecimalSI on parsing),
            // shown with the largest power of 1024 that divides them.
            let value = self.scaled(0).unsigned_abs();
            let mut mantissa = value;
            let mut power = 0;
            while power < 6 && mantissa.is_multiple_of(1024) {
                mantissa /= 1024;
                power += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
            return format!("{sign}{mantissa}{suffix}");
        }
        let mut digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let mut exponent = self.exponent;
        while exponent.rem_euclid(3) != 0 {
            digits.push('0');
            exponent -= 1;
        }
        let suffix = match (format, exponent) {
            (QuantityFormat::DecimalExponent, 0) => String::new(),
            (QuantityFormat::DecimalExponent, e) => format!("e{e}"),
            (_, -9) => "n".into(),
            (_, -6) => "u".into(),
            (_, -3) => "m".into(),
            (_, 0) => String::new(),
            (_, 3) => "k".into(),
            (_, 6) => "M".into(),
            (_, 9) => "G".into(),
            (_, 12) => "T".into(),
            (_, 15) => "P".into(),
            (_, 18) => "E".into(),
            (_, e) => format!("e{e}"),
        };
        format!("{sign}{digits}{suffix}")
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// A JSON value where a quantity belongs: a string, or a number written without quotes
/// (`cpu: 1`, `cpu: 0.5`), as `Quantity.UnmarshalJSON` takes it.
pub fn quantity_of_json(value: &serde_json::Value) -> Result<Quantity, QuantityError> {
    match value {
        serde_json::Value::String(text) => Quantity::parse(text.trim()),
        serde_json::Value::Number(number) => Quantity::parse(&number.to_string()),
        serde_json::Value::Null => Ok(Quantity::from_units(0)),
        _ => Err(QuantityError::FormatWrong),
    }
}

/// Base, power and format of a suffix (`quantitySuffixer.interpret`).
fn interpret_suffix(suffix: &str) -> Option<(u32, i64, QuantityFormat)> {
    use QuantityFormat::*;
    let decimal = |power| Some((10, power, DecimalSi));
    let binary = |power| Some((2, power, BinarySi));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E'])?;
            // apimachinery reads the exponent as an int32.
            let power: i32 = rest.parse().ok()?;
            Some((10, i64::from(power), DecimalExponent))
        }
    }
}

/// "12.50" → digits [1,2,5,0], exponent -2. `None` without a digit or with two points.
fn parse_decimal(number: &str) -> Option<(Vec<u8>, i64)> {
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    if fraction.contains('.') || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let digits: Vec<u8> = whole
        .bytes()
        .chain(fraction.bytes())
        .map(|b| b - b'0')
        .collect();
    Some((digits, -(fraction.len() as i64)))
}

fn double(digits: &mut [u8]) -> Option<u8> {
    let mut carry = 0;
    for d in digits.iter_mut().rev() {
        let v = *d * 2 + carry;
        *d = v % 10;
        carry = v / 10;
    }
    (carry > 0).then_some(carry)
}

fn double_vec(digits: &mut Vec<u8>) {
    if let Some(carry) = double(digits) {
        digits.insert(0, carry);
    }
}

fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        Quantity::parse(text).map_or_else(|e| e.to_string(), |q| q.canonical())
    }

    #[test]
    fn quantities_print_in_the_api_servers_canonical_form() {
        for (input, output) in [
            ("500m", "500m"),
            ("0.5", "500m"),
            ("1.5", "1500m"),
            ("2", "2"),
            ("2000m", "2"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("256Mi", "256Mi"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Ki", "512"),
            ("100Ki", "100Ki"),
            ("1e3", "1e3"),
            ("12e2", "1200"),
            ("1E", "1E"),
            ("0", "0"),
            ("-0", "0"),
            ("+1", "1"),
            (".5", "500m"),
            ("5.", "5"),
            ("0.0000000001", "1n"),
            ("1e18", "1e18"),
            ("1e999", "1e999"),
            ("-100m", "-100m"),
            ("4G", "4G"),
            ("1Ei", "1Ei"),
            ("16Ei", "9223372036854775807"),
        ] {
            assert_eq!(canonical(input), output, "{input}");
        }
    }

    #[test]
    fn malformed_quantities_get_apimachinerys_errors() {
        assert_eq!(Quantity::parse(""), Err(QuantityError::FormatWrong));
        assert_eq!(Quantity::parse("abc"), Err(QuantityError::FormatWrong));
        assert_eq!(Quantity::parse("1.2.3"), Err(QuantityError::FormatWrong));
        assert_eq!(Quantity::parse("1Mb"), Err(QuantityError::FormatWrong));
        assert_eq!(Quantity::parse("1Q"), Err(QuantityError::FormatWrong));
        assert_eq!(Quantity::parse("1e"), Err(QuantityError::Suffix));
        assert_eq!(Quantity::parse("1iM"), Err(QuantityError::Suffix));
        assert_eq!(Quantity::parse("."), Err(QuantityError::Numeric));
        assert_eq!(Quantity::parse("1e99999999999"), Err(QuantityError::Suffix));
    }

    #[test]
    fn the_scheduler_reads_milli_cpu_and_bytes_rounded_up_and_saturated() {
        let q = |t: &str| Quantity::parse(t).unwrap();
        assert_eq!(q("500m").milli_value(), 500);
        assert_eq!(q("1.5").milli_value(), 1500);
        assert_eq!(q("100u").milli_value(), 1);
        assert_eq!(q("256Mi").value(), 268_435_456);
        assert_eq!(q("1e18").milli_value(), i64::MAX);
        assert_eq!(q("1e999").value(), i64::MAX);
        assert_eq!(q("0.1").value(), 1);
        assert!(q("2").compare(&q("1500m")).is_gt());
        assert!(q("-1").compare(&q("0")).is_lt());
        assert_eq!(Quantity::from_milli(1500).canonical(), "1500m");
        assert_eq!(Quantity::from_bytes(4 << 30).canonical(), "4Gi");
    }
}
