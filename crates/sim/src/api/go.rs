//! Rendering values the way Go's `fmt` does inside API error messages (apimachinery 1.30
//! prints `Invalid value:` with `%q` for strings and `%#v` for composite values).

use crate::objects::{IntOrString, LabelSelector, LabelSelectorOperator, PodDisruptionBudgetSpec};
pub use crate::strconv::quote as go_quote;
use std::collections::BTreeMap;

/// `%#v` of a `map[string]string`: keys sorted, `map[string]string(nil)` when empty.
pub fn string_map(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let pairs: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

/// `%#v` of a `[]string`.
pub fn string_slice(items: &[String]) -> String {
    if items.is_empty() {
        return "[]string(nil)".to_string();
    }
    let quoted: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

/// `%#v` of a `v1.LabelSelector` (what "field is immutable" shows for `spec.selector`).
pub fn label_selector(selector: &LabelSelector) -> String {
    let expressions = if selector.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = selector
            .match_expressions
            .iter()
            .map(|r| {
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                    go_quote(&r.key),
                    go_quote(operator(r.operator)),
                    string_slice(&r.values)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{expressions}}}",
        string_map(&selector.match_labels)
    )
}

pub fn operator(op: LabelSelectorOperator) -> &'static str {
    match op {
        LabelSelectorOperator::In => "In",
        LabelSelectorOperator::NotIn => "NotIn",
        LabelSelectorOperator::Exists => "Exists",
        LabelSelectorOperator::DoesNotExist => "DoesNotExist",
    }
}

/// `%#v` of an `intstr.IntOrString` (apimachinery ≤1.33 prints the struct).
pub fn int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}"),
        IntOrString::String(s) => {
            format!(
                "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
                go_quote(s)
            )
        }
    }
}

/// How `encoding/json` writes a float64: shortest form, exponent only outside
/// [1e-6, 1e21) and then with an explicit sign (`1e+21`).
pub fn json_float(f: f64) -> String {
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        format!("{f}")
    } else {
        let text = format!("{f:e}");
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        }
    }
}

/// `%#v` of the internal `policy.PodDisruptionBudgetSpec`, which is all pointers: a real API
/// server prints their heap addresses, different on every call; these stand in for them.
pub fn pod_disruption_budget_spec(spec: &PodDisruptionBudgetSpec) -> String {
    fn pointer(set: bool, go_type: &str, address: &str) -> String {
        let address = if set { address } else { "nil" };
        format!("(*{go_type})({address})")
    }
    format!(
        "policy.PodDisruptionBudgetSpec{{MinAvailable:{}, Selector:{}, MaxUnavailable:{}, UnhealthyPodEvictionPolicy:{}}}",
        pointer(spec.min_available.is_some(), "intstr.IntOrString", "0xc000a1e2c0"),
        pointer(spec.selector.is_some(), "v1.LabelSelector", "0xc000a1e2e0"),
        pointer(spec.max_unavailable.is_some(), "intstr.IntOrString", "0xc000a1e300"),
        pointer(
            spec.unhealthy_pod_eviction_policy.is_some(),
            "policy.UnhealthyPodEvictionPolicyType",
            "0xc000a1e320"
        ),
    )
}

/// `%#v` of what JSON decoding makes of a document (`map[string]interface {}`, `[]interface {}`,
/// `int64`, `float64`, …): how kubectl shows the object a template failed on.
pub fn unstructured(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "interface {}(nil)".to_string(),
        Value::String(s) => go_quote(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(unstructured).collect();
            format!("[]interface {{}}{{{}}}", items.join(", "))
        }
        Value::Object(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}:{}", go_quote(k), unstructured(v)))
                .collect();
            format!("map[string]interface {{}}{{{}}}", pairs.join(", "))
        }
        scalar => sprint(scalar),
    }
}

/// `%v` of a decoded JSON value: maps as `map[k:v]` (keys sorted), slices as `[a b]`, `<nil>`.
pub fn sprint(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => format_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(sprint).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Object(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", sprint(v)))
                .collect();
            format!("map[{}]", pairs.join(" "))
        }
    }
}

/// `%v` of a `float64`: the shortest digits, in exponent form below 1e-4 and from 1e+06 up
/// (`strconv.FormatFloat(f, 'g', -1, 64)`).
pub fn format_float(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let exponent = if f == 0.0 { 0 } else { shortest_exponent(f) };
    if (-4..6).contains(&exponent) {
        format!("{f}")
    } else {
        go_exponent_form(f, 2)
    }
}

/// The decimal exponent of `f`'s shortest representation (`1.5e7` → 7).
fn shortest_exponent(f: f64) -> i32 {
    let text = format!("{f:e}");
    text.rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0)
}

/// `1.5e+07`: Go's exponent form with at least `width` exponent digits.
pub fn go_exponent_form(f: f64, width: usize) -> String {
    let text = format!("{f:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:0width$}", exponent.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_matches_strconv_quote() {
        assert_eq!(go_quote("MyApp"), r#""MyApp""#);
        assert_eq!(go_quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(go_quote("版本v1"), "\"版本v1\"");
        assert_eq!(go_quote("\u{1}"), r#""\x01""#);
    }

    #[test]
    fn maps_render_like_percent_sharp_v() {
        let mut map = BTreeMap::new();
        map.insert("version".to_string(), "v2".to_string());
        map.insert("app".to_string(), "demoapp".to_string());
        assert_eq!(
            string_map(&map),
            r#"map[string]string{"app":"demoapp", "version":"v2"}"#
        );
        assert_eq!(string_map(&BTreeMap::new()), "map[string]string(nil)");
    }

    #[test]
    fn json_floats_use_gos_exponent_form() {
        assert_eq!(json_float(1.5), "1.5");
        assert_eq!(json_float(1e21), "1e+21");
        assert_eq!(json_float(1e-7), "1e-7");
    }
}
