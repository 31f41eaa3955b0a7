//! `kubectl set resources RESOURCE --limits=cpu=200m,memory=512Mi --requests=…`: sets the
//! resource requests and limits of containers in pod templates (`-c` picks containers).
//! Quantities are checked and written in the API's canonical form (`0.5` is `500m`).

use super::pod_template::{self, container_matches};
use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use serde_json::{Map, Value};

const COMMAND: &str = "kubectl set resources";

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("limits", None),
            value("requests", None),
            value("containers", Some('c')),
            boolean("all", None),
            value("selector", Some('l')),
            value("filename", Some('f')),
            boolean("local", None),
            value("output", Some('o')),
            value("dry-run", None),
        ],
    )?;
    if args.positional.is_empty() && !args.is_set("filename") {
        return Err(KubectlError::plain(super::NO_RESOURCES));
    }
    let limits = resource_list(args.value("limits").unwrap_or(""))?;
    let requests = resource_list(args.value("requests").unwrap_or(""))?;
    if limits.is_empty() && requests.is_empty() {
        return Err(KubectlError::plain(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    if args.is_set("filename") {
        return Err(KubectlError::plain(
            "\"kubectl set resources -f\" is not simulated in Rollout Lab (name the objects instead)",
        ));
    }
    let pattern = args.value("containers").unwrap_or("*").to_string();
    let (objects, mut failures) = pod_template::visit(ctx, &args, &args.positional)?;
    for live in objects {
        let (kind, name) = (live.kind(), live.metadata().name.clone());
        let mut object = live.clone();
        let containers = pod_template::containers_mut(&mut object).unwrap_or_default();
        let mut found = false;
        for (container, _) in containers {
            if !container_matches(&pattern, &container.name) {
                continue;
            }
            found = true;
            let mut resources = match container.resources.take() {
                Some(Value::Object(map)) => map,
                _ => Map::new(),
            };
            for (field, list) in [("limits", &limits), ("requests", &requests)] {
                if list.is_empty() {
                    continue;
                }
                let entry = resources
                    .entry(field)
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                if let Value::Object(quantities) = entry {
                    for (resource, quantity) in list {
                        quantities.insert(resource.clone(), Value::String(quantity.clone()));
                    }
                }
            }
            container.resources = Some(Value::Object(resources));
        }
        if !found {
            failures.push(format!("unable to find container named {pattern}"));
            continue;
        }
        match pod_template::write(ctx, &live, object) {
            Ok(true) => {
                ctx.out
                    .stdout
                    .push_str(&success_line(kind, &name, "resource requirements updated"))
            }
            Ok(false) => {}
            Err(error) => failures.push(format!(
                "failed to patch resource update to pod template {}",
                error.message()
            )),
        }
    }
    crate::error::aggregate(failures)?;
    Ok(Flow::Done)
}

/// `cpu=200m,memory=512Mi` as (resource, canonical quantity) pairs.
fn resource_list(text: &str) -> Result<Vec<(String, String)>, KubectlError> {
    let mut list = Vec::new();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let Some((resource, quantity)) = pair.split_once('=') else {
            return Err(KubectlError::plain(format!(
                "Invalid argument syntax {pair}, expected <resource>=<value>"
            )));
        };
        let canonical = canonical_quantity(quantity).ok_or_else(|| {
            KubectlError::plain(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            )
        })?;
        list.push((resource.to_string(), canonical));
    }
    Ok(list)
}

/// The decimal suffixes by power of ten, and the binary ones by power of 1024.
const DECIMAL: [(i32, &str); 10] = [
    (18, "E"),
    (15, "P"),
    (12, "T"),
    (9, "G"),
    (6, "M"),
    (3, "k"),
    (0, ""),
    (-3, "m"),
    (-6, "u"),
    (-9, "n"),
];
const BINARY: [(u32, &str); 7] = [
    (6, "Ei"),
    (5, "Pi"),
    (4, "Ti"),
    (3, "Gi"),
    (2, "Mi"),
    (1, "Ki"),
    (0, ""),
];

/// A quantity as the API server stores it (apimachinery's `Quantity.String()`), for the
/// forms people type: a number with an optional fraction and an SI (`m`, `k`, `M`, `G`…)
/// or binary (`Ki`, `Mi`, `Gi`…) suffix. `None` when it is no quantity. Amounts finer than
/// a nano-unit, exponents (`1e3`) and other rare forms are kept as typed.
pub fn canonical_quantity(text: &str) -> Option<String> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let number_len = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_len);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return None;
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if let Some((_, binary)) = BINARY.iter().find(|(_, s)| !s.is_empty() && *s == suffix) {
        let power = BINARY.iter().find(|(_, s)| s == binary).map(|(p, _)| *p)?;
        // In bytes; a fraction of a byte is a form kept as typed.
        let scale = 1024u128.checked_pow(power)?;
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let digits = u32::try_from(fraction.len()).ok()?;
        let fraction_value: u128 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().ok()?
        };
        let denominator = 10u128.checked_pow(digits)?;
        let bytes_times = fraction_value.checked_mul(scale)?;
        if !bytes_times.is_multiple_of(denominator) {
            return Some(text.to_string());
        }
        let bytes = whole
            .checked_mul(scale)?
            .checked_add(bytes_times / denominator)?;
        return Some(sign(negative && bytes != 0, binary_form(bytes)));
    }
    let exponent = match DECIMAL.iter().find(|(_, s)| *s == suffix) {
        Some((exponent, _)) => *exponent,
        // Exponent forms (`1e3`, `5E-2`): valid, kept as typed.
        None => {
            let rest = suffix.strip_prefix(['e', 'E'])?;
            let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            return (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
                .then(|| text.to_string());
        }
    };
    // In nano-units.
    let digits = i32::try_from(fraction.len()).ok()?;
    let shift = exponent + 9 - digits;
    if shift < 0 {
        return Some(text.to_string());
    }
    let mantissa: u128 = format!("{whole}{fraction}").parse().ok()?;
    let nanos = mantissa.checked_mul(10u128.checked_pow(u32::try_from(shift).ok()?)?)?;
    Some(sign(negative && nanos != 0, decimal_form(nanos)))
}

fn sign(negative: bool, form: String) -> String {
    if negative {
        format!("-{form}")
    } else {
        form
    }
}

fn decimal_form(nanos: u128) -> String {
    if nanos == 0 {
        return "0".to_string();
    }
    for (exponent, suffix) in DECIMAL {
        let unit = 10u128.pow(u32::try_from(exponent + 9).unwrap_or(0));
        if nanos.is_multiple_of(unit) {
            return format!("{}{suffix}", nanos / unit);
        }
    }
    format!("{nanos}n")
}

fn binary_form(bytes: u128) -> String {
    if bytes == 0 {
        return "0".to_string();
    }
    for (power, suffix) in BINARY {
        let unit = 1024u128.pow(power);
        if bytes.is_multiple_of(unit) {
            return format!("{}{suffix}", bytes / unit);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_written_in_canonical_form() {
        for (typed, stored) in [
            ("200m", "200m"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1.5", "1500m"),
            ("2", "2"),
            ("512Mi", "512Mi"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("2000k", "2M"),
            ("0", "0"),
            ("1e3", "1e3"),
        ] {
            assert_eq!(
                canonical_quantity(typed).as_deref(),
                Some(stored),
                "{typed}"
            );
        }
        for bad in ["abc", "", "1.2.3", "5x", "Mi", "."] {
            assert_eq!(canonical_quantity(bad), None, "{bad}");
        }
    }

    #[test]
    fn resource_lists_need_a_value_each() {
        assert_eq!(
            resource_list("cpu=0.5,memory=512Mi").unwrap(),
            vec![
                ("cpu".to_string(), "500m".to_string()),
                ("memory".to_string(), "512Mi".to_string())
            ]
        );
        assert_eq!(
            resource_list("cpu").unwrap_err().to_string(),
            "error: Invalid argument syntax cpu, expected <resource>=<value>"
        );
        assert!(resource_list("cpu=abc").is_err());
    }
}
