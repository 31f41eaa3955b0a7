//! `-o custom-columns=HEADER:PATH,…` and `-o custom-columns-file=FILE`: one column per
//! JSONPath (relaxed as kubectl relaxes it: `.a.b`, `a.b`, `{.a.b}`), one row per object,
//! aligned by kubectl's tabwriter. A path that finds nothing prints `<none>`; several values
//! are joined with commas; maps and lists print as Go's `%v` prints them.

use super::more_verbs::more_verbs;
use crate::error::KubectlError;
use crate::printers::TabWriter;
use rollout_sim::api::go;
use serde_json::Value;

/// The columns: (header, relaxed JSONPath).
pub struct Columns(Vec<(String, String)>);

impl Columns {
    /// `-o custom-columns=SPEC`.
    pub fn parse(spec: &str) -> Result<Columns, KubectlError> {
        if spec.is_empty() {
            return Err(KubectlError::plain(
                "custom-columns format specified but no custom columns given",
            ));
        }
        let mut columns = Vec::new();
        for part in spec.split(',') {
            let Some((header, path)) = part.split_once(':') else {
                return Err(KubectlError::plain(format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                )));
            };
            columns.push((header.to_string(), checked(path)?));
        }
        Ok(Columns(columns))
    }

    /// `-o custom-columns-file=FILE`: a line of headers, a line of paths.
    pub fn from_file(text: &str) -> Result<Columns, KubectlError> {
        let mut lines = text.lines();
        let headers: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        let paths: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        if headers.len() != paths.len() {
            return Err(KubectlError::plain(format!(
                "number of headers ({}) and field specifications ({}) don't match",
                headers.len(),
                paths.len()
            )));
        }
        let columns = headers
            .iter()
            .zip(&paths)
            .map(|(header, path)| Ok((header.to_string(), checked(path)?)))
            .collect::<Result<_, KubectlError>>()?;
        Ok(Columns(columns))
    }

    /// The table for `objects`, with its header line unless `no_headers`.
    pub fn render(&self, objects: &[Value], no_headers: bool) -> Result<String, KubectlError> {
        let mut writer = TabWriter::for_get();
        if !no_headers {
            let headers: Vec<&str> = self.0.iter().map(|(h, _)| h.as_str()).collect();
            writer.write_str(&format!("{}\n", headers.join("\t")));
        }
        for object in objects {
            let mut cells = Vec::new();
            for (_, path) in &self.0 {
                let found = more_verbs()?.jsonpath_find(path, object)?;
                cells.push(if found.is_empty() {
                    "<none>".to_string()
                } else {
                    found.iter().map(go::sprint).collect::<Vec<_>>().join(",")
                });
            }
            writer.write_str(&format!("{}\n", cells.join("\t")));
        }
        writer.flush();
        Ok(writer.take_output())
    }
}

/// A column's path, relaxed and parsed once so that its errors come before any output.
fn checked(path: &str) -> Result<String, KubectlError> {
    let verbs = more_verbs()?;
    let relaxed = verbs.jsonpath_relaxed(path)?;
    verbs.jsonpath_check(&relaxed)?;
    Ok(relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_print_values_none_and_go_maps() {
        let columns = Columns::parse(
            "NAME:.metadata.name,SEL:spec.selector,PORTS:{.spec.ports[*].port},X:.x",
        )
        .unwrap();
        let svc = json!({"metadata": {"name": "web"}, "spec": {"selector": {"b": "2", "a": "1"}, "ports": [{"port": 80}, {"port": 443}]}});
        assert_eq!(
            columns.render(&[svc], false).unwrap(),
            "NAME   SEL            PORTS    X\nweb    map[a:1 b:2]   80,443   <none>\n"
        );
    }

    #[test]
    fn bad_specs_are_kubectls_errors() {
        let error = |spec: &str| Columns::parse(spec).err().unwrap().to_string();
        assert_eq!(
            error(""),
            "error: custom-columns format specified but no custom columns given"
        );
        assert_eq!(
            error("NAME"),
            "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"
        );
        assert!(error("A:{.x").starts_with("error: unexpected path string"));
        assert_eq!(
            Columns::from_file("NAME IMAGE\nmetadata.name\n")
                .err()
                .unwrap()
                .to_string(),
            "error: number of headers (2) and field specifications (1) don't match"
        );
    }
}
