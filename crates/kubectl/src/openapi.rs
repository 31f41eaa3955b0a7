//! The API's schemas as data: per type its description and properties, the way an OpenAPI
//! v3 document's `components.schemas` describes them, read from
//! `data/explain/schemas.txt` (its format: `data/explain/README.md`).
//!
//! Where the text comes from is kept apart from reading it: [`parse`] takes any text and
//! answers a typed error for anything malformed, so the page can later fetch the file
//! instead of embedding it; [`embedded`] parses the copy compiled in, once, on first use (the
//! first `kubectl explain`), so a session that never explains never pays for it.
//!
//! The model stays close to OpenAPI so an API-server mode can serve it: type name →
//! description and properties; property → type, `$ref`, required, `enum`, description. The
//! one addition is the type kubectl shows for a property (`[]Container`, `string` for a
//! `Time`), which kubectl derives from the whole document.

use std::fmt;
use std::sync::OnceLock;

/// The schema file compiled into the binary.
const EMBEDDED: &str = include_str!("../data/explain/schemas.txt");

/// Shown types that name no schema; a property of any other shown type points at the schema
/// its base name (without `[]` or `map[string]`) names, unless its line says `ref=`.
const PRIMITIVES: &[&str] = &["string", "integer", "boolean", "number", "Object"];

/// Every schema the lab publishes, and the group/versions it publishes them under.
///
/// Plain vectors rather than maps: a few dozen types are found by a scan as quickly, and the
/// page's download carries no map code for them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schemas {
    /// `v1`, `apps/v1`, …, in the file's order: what `/openapi/v3` lists.
    pub group_versions: Vec<String>,
    /// In the file's order; names are unique.
    pub types: Vec<TypeSchema>,
}

/// One API type (an OpenAPI schema object).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TypeSchema {
    /// The short name kubectl shows (`DeploymentSpec`); references use the same names.
    pub name: String,
    pub description: String,
    /// In name order, as kubectl's template ranges over them (the file must list them so).
    /// Empty for a type the lab describes without its fields.
    pub properties: Vec<Property>,
}

/// One property of a type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Property {
    pub name: String,
    /// What kubectl prints between `<>`: `string`, `[]Container`, `map[string]string`.
    pub shown_type: String,
    /// The schema the property (or its items, or its map values) points to.
    pub reference: Option<String>,
    /// Listed in the type's `required`.
    pub required: bool,
    /// Allowed values in the schema's order; an empty string is a value too.
    pub enum_values: Vec<String>,
    pub description: String,
}

impl Schemas {
    /// The schema of a type, by its short name.
    pub fn get(&self, name: &str) -> Option<&TypeSchema> {
        self.types.iter().find(|t| t.name == name)
    }

    /// Whether the API server publishes a document for `group/version` (`v1` for core).
    pub fn publishes(&self, group_version: &str) -> bool {
        self.group_versions.iter().any(|gv| gv == group_version)
    }

    /// The description stored under `Type` or `Type.field`, for `@KEY` lines.
    fn shared_text(&self, key: &str) -> Option<&str> {
        match key.split_once('.') {
            None => self.get(key).map(|t| t.description.as_str()),
            Some((ty, field)) => self
                .get(ty)?
                .property(field)
                .map(|p| p.description.as_str()),
        }
    }
}

impl TypeSchema {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// Why a schema text could not be read: the line (1-based) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// A line that starts with no known word.
    UnknownLine(String),
    /// `type`, `field` or `groupversion` without its name.
    MissingName,
    /// `field NAME` without the type to show.
    MissingType,
    /// A `field` line before any `type` line.
    FieldOutsideType,
    /// An option on a `field` line other than `ref=`, `required`, `enum=`.
    UnknownOption(String),
    /// A description line not right after a type or field, or a second one.
    StrayDescription,
    /// A backslash followed by something other than `\`, `n`, `t`, `@`.
    BadEscape(String),
    /// `@KEY` naming no earlier description.
    UnknownSharedText(String),
    DuplicateType(String),
    /// A field named twice, or after one that sorts later (`Type.field`).
    FieldOutOfOrder(String),
    /// A property pointing at a type the file does not define (`line` is its field line).
    UnknownReference {
        field: String,
        reference: String,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.kind {
            ParseErrorKind::UnknownLine(word) => write!(f, "unknown line starting {word:?}"),
            ParseErrorKind::MissingName => write!(f, "missing name"),
            ParseErrorKind::MissingType => write!(f, "field without a type"),
            ParseErrorKind::FieldOutsideType => write!(f, "field before any type"),
            ParseErrorKind::UnknownOption(option) => write!(f, "unknown field option {option:?}"),
            ParseErrorKind::StrayDescription => {
                write!(f, "a description belongs right after one type or field")
            }
            ParseErrorKind::BadEscape(escape) => write!(f, "bad escape {escape:?}"),
            ParseErrorKind::UnknownSharedText(key) => {
                write!(f, "no earlier description named {key:?}")
            }
            ParseErrorKind::DuplicateType(name) => write!(f, "type {name} defined twice"),
            ParseErrorKind::FieldOutOfOrder(name) => {
                write!(f, "field {name} repeated or out of name order")
            }
            ParseErrorKind::UnknownReference { field, reference } => {
                write!(f, "{field} points at {reference}, which is not defined")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// The embedded schemas, parsed on the first call. Malformed data is an error the caller
/// prints (a test keeps the embedded file well formed), never a panic in the page.
pub fn embedded() -> Result<&'static Schemas, &'static ParseError> {
    static PARSED: OnceLock<Result<Schemas, ParseError>> = OnceLock::new();
    PARSED.get_or_init(|| parse(EMBEDDED)).as_ref()
}

/// Which entry a description line belongs to: the last type, or its last field.
#[derive(PartialEq)]
enum Pending {
    None,
    Type,
    Field,
}

/// Reads a schema text (format: `data/explain/README.md`). Checks as it goes, and at the end
/// that every reference names a defined type, so a caller can trust every lookup it makes.
pub fn parse(text: &str) -> Result<Schemas, ParseError> {
    let mut schemas = Schemas::default();
    let mut pending = Pending::None;
    // Where each reference was made, to name the line if it dangles.
    let mut references: Vec<(usize, String, String)> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line_number = index + 1;
        let error = |kind| ParseError {
            line: line_number,
            kind,
        };
        // A checkout with CRLF line ends reads the same.
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(body) = line.strip_prefix("  ") {
            let owner = std::mem::replace(&mut pending, Pending::None);
            let description = match body.strip_prefix('@') {
                _ if owner == Pending::None => return Err(error(ParseErrorKind::StrayDescription)),
                Some(key) => match schemas.shared_text(key) {
                    Some(text) if !text.is_empty() => text.to_string(),
                    _ => return Err(error(ParseErrorKind::UnknownSharedText(key.to_string()))),
                },
                None => unescape(body).map_err(|bad| error(ParseErrorKind::BadEscape(bad)))?,
            };
            // The entry exists: the line before made it.
            if let Some(ty) = schemas.types.last_mut() {
                match owner {
                    Pending::Type => ty.description = description,
                    Pending::Field => {
                        if let Some(field) = ty.properties.last_mut() {
                            field.description = description;
                        }
                    }
                    Pending::None => {}
                }
            }
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "groupversion" => {
                if rest.is_empty() {
                    return Err(error(ParseErrorKind::MissingName));
                }
                schemas.group_versions.push(rest.to_string());
                pending = Pending::None;
            }
            "type" => {
                if rest.is_empty() {
                    return Err(error(ParseErrorKind::MissingName));
                }
                if schemas.get(rest).is_some() {
                    return Err(error(ParseErrorKind::DuplicateType(rest.to_string())));
                }
                schemas.types.push(TypeSchema {
                    name: rest.to_string(),
                    ..TypeSchema::default()
                });
                pending = Pending::Type;
            }
            "field" => {
                let Some(ty) = schemas.types.last_mut() else {
                    return Err(error(ParseErrorKind::FieldOutsideType));
                };
                let mut parts = rest.split(' ');
                let Some(name) = parts.next().filter(|n| !n.is_empty()) else {
                    return Err(error(ParseErrorKind::MissingName));
                };
                let Some(shown) = parts.next().filter(|s| !s.is_empty()) else {
                    return Err(error(ParseErrorKind::MissingType));
                };
                // Name order is the template's order; checking it here also catches a repeat.
                if ty
                    .properties
                    .last()
                    .is_some_and(|last| last.name.as_str() >= name)
                {
                    return Err(error(ParseErrorKind::FieldOutOfOrder(format!(
                        "{}.{name}",
                        ty.name
                    ))));
                }
                let mut property = Property {
                    name: name.to_string(),
                    shown_type: shown.to_string(),
                    reference: implied_reference(shown),
                    ..Property::default()
                };
                for option in parts {
                    if let Some(reference) = option.strip_prefix("ref=") {
                        property.reference = Some(reference.to_string());
                    } else if option == "required" {
                        property.required = true;
                    } else if let Some(values) = option.strip_prefix("enum=") {
                        property.enum_values = values.split('|').map(String::from).collect();
                    } else {
                        return Err(error(ParseErrorKind::UnknownOption(option.to_string())));
                    }
                }
                if let Some(reference) = &property.reference {
                    references.push((
                        line_number,
                        format!("{}.{name}", ty.name),
                        reference.clone(),
                    ));
                }
                ty.properties.push(property);
                pending = Pending::Field;
            }
            _ => return Err(error(ParseErrorKind::UnknownLine(word.to_string()))),
        }
    }
    for (line, field, reference) in references {
        if schemas.get(&reference).is_none() {
            return Err(ParseError {
                line,
                kind: ParseErrorKind::UnknownReference { field, reference },
            });
        }
    }
    Ok(schemas)
}

/// The schema a shown type points at: its base name, unless that is a primitive.
fn implied_reference(shown: &str) -> Option<String> {
    let mut base = shown;
    loop {
        if let Some(rest) = base.strip_prefix("[]") {
            base = rest;
        } else if let Some(rest) = base.strip_prefix("map[string]") {
            base = rest;
        } else {
            break;
        }
    }
    (!PRIMITIVES.contains(&base)).then(|| base.to_string())
}

/// `\\`, `\n`, `\t` and `\@` (a description that starts with `@` and is not shared); the
/// error names the bad escape.
fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('@') => out.push('@'),
            Some(other) => return Err(format!("\\{other}")),
            None => return Err("\\".to_string()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> ParseError {
        match parse(text) {
            Ok(_) => panic!("expected an error for {text:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn the_embedded_file_parses_and_every_reference_resolves() {
        let schemas = match embedded() {
            Ok(schemas) => schemas,
            Err(err) => panic!("data/explain/schemas.txt: {err}"),
        };
        assert!(schemas.publishes("v1") && schemas.publishes("apps/v1"));
        for schema in &schemas.types {
            for property in &schema.properties {
                if let Some(reference) = &property.reference {
                    let field = format!("{}.{}", schema.name, property.name);
                    assert!(schemas.get(reference).is_some(), "{field} -> {reference}");
                }
            }
        }
        let spec = schemas
            .get("DeploymentSpec")
            .and_then(|t| t.property("selector"));
        let spec = spec.expect("DeploymentSpec.selector");
        assert_eq!(spec.shown_type, "LabelSelector");
        assert_eq!(spec.reference.as_deref(), Some("LabelSelector"));
        assert!(spec.required);
    }

    #[test]
    fn a_small_document_reads_into_the_model() {
        let text = "# comment\n\ngroupversion v1\ntype Pod\n  A pod.\\nTwo lines.\n\
            field containers []Container required\n  Its containers.\n\
            field created string ref=Time\n  @Pod\n\
            field policy string enum=|Always\n\
            type Container\ntype Time\n  \\@ not shared\n";
        let schemas = match parse(text) {
            Ok(schemas) => schemas,
            Err(err) => panic!("{err}"),
        };
        assert_eq!(schemas.group_versions, ["v1"]);
        let field = |name: &str| schemas.get("Pod").and_then(|t| t.property(name)).cloned();
        assert_eq!(
            schemas.get("Pod").map(|t| t.description.as_str()),
            Some("A pod.\nTwo lines.")
        );
        let containers = field("containers").expect("containers");
        assert_eq!(containers.shown_type, "[]Container");
        assert_eq!(containers.reference.as_deref(), Some("Container"));
        assert!(containers.required);
        let created = field("created").expect("created");
        assert_eq!(created.reference.as_deref(), Some("Time"));
        assert_eq!(created.description, "A pod.\nTwo lines.");
        let policy = field("policy").expect("policy");
        assert_eq!(policy.reference, None);
        assert_eq!(policy.enum_values, ["", "Always"]);
        assert_eq!(policy.description, "");
        assert_eq!(
            schemas.get("Time").map(|t| t.description.as_str()),
            Some("@ not shared")
        );
    }

    #[test]
    fn malformed_text_is_a_typed_error_with_its_line() {
        let cases: &[(&str, usize, ParseErrorKind)] = &[
            ("frob x\n", 1, ParseErrorKind::UnknownLine("frob".into())),
            ("type\n", 1, ParseErrorKind::MissingName),
            ("type A\nfield\n", 2, ParseErrorKind::MissingName),
            ("type A\nfield x\n", 2, ParseErrorKind::MissingType),
            ("field x string\n", 1, ParseErrorKind::FieldOutsideType),
            (
                "type A\nfield x string optional\n",
                2,
                ParseErrorKind::UnknownOption("optional".into()),
            ),
            ("  text\n", 1, ParseErrorKind::StrayDescription),
            (
                "type A\n  one\n  two\n",
                3,
                ParseErrorKind::StrayDescription,
            ),
            (
                "type A\n  bad \\q\n",
                2,
                ParseErrorKind::BadEscape("\\q".into()),
            ),
            (
                "type A\n  trailing \\",
                2,
                ParseErrorKind::BadEscape("\\".into()),
            ),
            (
                "type A\n  @B\n",
                2,
                ParseErrorKind::UnknownSharedText("B".into()),
            ),
            (
                "type A\ntype A\n",
                2,
                ParseErrorKind::DuplicateType("A".into()),
            ),
            (
                "type A\nfield x string\nfield x string\n",
                3,
                ParseErrorKind::FieldOutOfOrder("A.x".into()),
            ),
            (
                "type A\nfield y string\nfield x string\n",
                3,
                ParseErrorKind::FieldOutOfOrder("A.x".into()),
            ),
            (
                "type A\nfield x []B\n",
                2,
                ParseErrorKind::UnknownReference {
                    field: "A.x".into(),
                    reference: "B".into(),
                },
            ),
        ];
        for (text, line, kind) in cases {
            let err = error_of(text);
            assert_eq!((err.line, &err.kind), (*line, kind), "{text:?}");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn any_text_parses_or_fails_without_panicking() {
        // Every prefix of the real file, and the file with each byte class mangled.
        let mut cut = 0;
        while cut < EMBEDDED.len() {
            if EMBEDDED.is_char_boundary(cut) {
                let _ = parse(&EMBEDDED[..cut]);
            }
            cut += 997;
        }
        for mangled in [
            EMBEDDED.replace("field ", "field  "),
            EMBEDDED.replace('\\', ""),
            EMBEDDED.replace("  ", " "),
            EMBEDDED.replace("ref=", "ref"),
            EMBEDDED.replace('\n', "\r\n"),
        ] {
            let _ = parse(&mangled);
        }
        assert_eq!(
            parse(&EMBEDDED.replace('\n', "\r\n")).ok(),
            embedded().ok().cloned()
        );
    }
}
