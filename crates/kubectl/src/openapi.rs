//! The API's schemas as data: per type its description and properties, the way an OpenAPI
//! v3 document's `components.schemas` describes them, read from
//! `data/explain/schemas.txt` and, for the kinds an add-on's CustomResourceDefinitions add,
//! one file per add-on (`data/explain/argo-rollouts.txt`, `envoy-gateway.txt`); the format:
//! `data/explain/README.md`.
//!
//! Where the text comes from is kept apart from reading it: [`parse`] takes any text and
//! answers a typed error for anything malformed. With the `embedded-data` feature (the native
//! runner, the tests) the files are compiled in and [`schemas`] parses them once, on first use
//! (the first `kubectl explain`); the page is built without it, serves the files beside its
//! bundle ([`CORE_FILE`], [`ADDON_FILES`]), fetches them when a command line first asks for
//! them ([`fetch_wanted_by`]) and hands them over with [`provide`], so a session that never
//! explains never downloads them.
//!
//! The model stays close to OpenAPI so an API-server mode can serve it: type name →
//! description and properties; property → type, `$ref`, required, `enum`, description. The
//! one addition is the type kubectl shows for a property (`[]Container`, `string` for a
//! `Time`), which kubectl derives from the whole document.

use rollout_sim::objects::{ARGO_ROLLOUTS, GATEWAY_API};
use std::fmt;
use std::sync::OnceLock;

/// The schema file of Kubernetes' own types, as a path under `crates/kubectl/data/` and
/// under the page's `data/` folder.
pub const CORE_FILE: &str = "explain/schemas.txt";

/// The add-ons' schema files, by the add-on whose CRDs serve them (`KindInfo::addon`). They
/// may refer to the core's types (`ObjectMeta`).
pub const ADDON_FILES: &[(&str, &str)] = &[
    (ARGO_ROLLOUTS, "explain/argo-rollouts.txt"),
    (GATEWAY_API, "explain/envoy-gateway.txt"),
];

/// [`CORE_FILE`] compiled in.
#[cfg(feature = "embedded-data")]
const EMBEDDED: &str = include_str!("../data/explain/schemas.txt");

/// [`ADDON_FILES`] compiled in, in the same order.
#[cfg(feature = "embedded-data")]
const EMBEDDED_ADDONS: &[(&str, &str)] = &[
    (
        ARGO_ROLLOUTS,
        include_str!("../data/explain/argo-rollouts.txt"),
    ),
    (
        GATEWAY_API,
        include_str!("../data/explain/envoy-gateway.txt"),
    ),
];

/// The schemas once read: parsed from the files, or why they could not be.
static PARSED: OnceLock<Result<Schemas, ParseError>> = OnceLock::new();

/// The files the page fetched (the core's text and each add-on's), or why they could not be
/// fetched, kept as they came: [`schemas`] reads them on first use, so that in the page the
/// reader is code of `kubectl explain`'s module (`cmd::more_verbs`), not of the first download.
type Provided = Result<(String, Vec<(&'static str, String)>), String>;
static PROVIDED: OnceLock<Provided> = OnceLock::new();

/// Shown types that name no schema; a property of any other shown type points at the schema
/// its base name (without `[]` or `map[string]`) names, unless its line says `ref=`.
pub const PRIMITIVES: &[&str] = &["string", "integer", "boolean", "number", "Object"];

/// Every schema the lab publishes, and the group/versions it publishes them under.
///
/// Plain vectors rather than maps: a few dozen types are found by a scan as quickly, and the
/// page's download carries no map code for them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schemas {
    /// `v1`, `apps/v1`, …, in the files' order: what `/openapi/v3` lists.
    pub group_versions: Vec<GroupVersion>,
    /// In the files' order; names are unique across the files.
    pub types: Vec<TypeSchema>,
}

/// A group/version with an OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupVersion {
    /// `apps/v1`; `v1` for the core group.
    pub name: String,
    /// The add-on whose CRDs serve it, published only while that add-on is installed; `None`
    /// for Kubernetes' own.
    pub addon: Option<&'static str>,
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

    /// Whether the API server publishes a document for `group/version` (`v1` for core), given
    /// which add-ons are installed.
    pub fn publishes(&self, group_version: &str, installed: impl Fn(&str) -> bool) -> bool {
        self.group_versions
            .iter()
            .any(|gv| gv.name == group_version && gv.addon.is_none_or(&installed))
    }

    /// The description stored under `Type` or `Type.field`, for `@KEY` lines: the type of
    /// that name if there is one (an add-on's type names contain dots), else the field after
    /// the last dot.
    fn shared_text(&self, key: &str) -> Option<&str> {
        if let Some(ty) = self.get(key) {
            return Some(&ty.description);
        }
        let (ty, field) = key.rsplit_once('.')?;
        self.get(ty)?
            .property(field)
            .map(|p| p.description.as_str())
    }
}

impl TypeSchema {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// Why a schema text could not be read: the document, the line (1-based) and what is wrong
/// there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The add-on whose document it is; `None` for the core one.
    pub document: Option<&'static str>,
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
    /// The page could not fetch the file (the message says which and why); `line` is 0.
    Unavailable(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(addon) = self.document {
            write!(f, "{addon}: ")?;
        }
        if !matches!(self.kind, ParseErrorKind::Unavailable(_)) {
            write!(f, "line {}: ", self.line)?;
        }
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
            ParseErrorKind::Unavailable(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// The schemas, the core's and the add-ons', parsed on the first call: the copy compiled in
/// (feature `embedded-data`), else what the page fetched. `None` while the page has not
/// fetched them yet. Malformed data is an error the caller prints (a test keeps the files
/// well formed), never a panic in the page.
pub fn schemas() -> Option<Result<&'static Schemas, &'static ParseError>> {
    #[cfg(feature = "embedded-data")]
    PARSED.get_or_init(|| parse_with_addons(EMBEDDED, EMBEDDED_ADDONS));
    if let Some(provided) = PROVIDED.get() {
        PARSED.get_or_init(|| match provided {
            Ok((core, addons)) => {
                let addons: Vec<(&'static str, &str)> = addons
                    .iter()
                    .map(|(addon, text)| (*addon, text.as_str()))
                    .collect();
                parse_with_addons(core, &addons)
            }
            Err(why) => Err(ParseError {
                document: None,
                line: 0,
                kind: ParseErrorKind::Unavailable(why.clone()),
            }),
        });
    }
    PARSED.get().map(Result::as_ref)
}

/// Hands over the fetched files: the core's text and each add-on's. The first hand-over wins.
pub fn provide(core: &str, addons: &[(&'static str, &str)]) {
    PROVIDED.get_or_init(|| {
        let addons = addons
            .iter()
            .map(|(addon, text)| (*addon, text.to_string()))
            .collect();
        Ok((core.to_string(), addons))
    });
}

/// Says why the files could not be fetched; `kubectl explain` prints it.
pub fn provide_unavailable(why: String) {
    PROVIDED.get_or_init(|| Err(why));
}

/// Whether running `line` could read the schemas while they are still to be fetched: the
/// page holds such a line until [`provide`] (a line that merely mentions the word waits a
/// moment for nothing, which is harmless).
pub fn fetch_wanted_by(line: &str) -> bool {
    PROVIDED.get().is_none() && !cfg!(feature = "embedded-data") && line.contains("explain")
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
    parse_with_addons(text, &[])
}

/// Reads the core's schema text and then each add-on's into one model: type names are unique
/// across them, and a reference may name a type of any of them.
pub fn parse_with_addons(
    core: &str,
    addons: &[(&'static str, &str)],
) -> Result<Schemas, ParseError> {
    let mut schemas = Schemas::default();
    // Where each reference was made, to name the line if it dangles.
    let mut references = Vec::new();
    read_document(&mut schemas, &mut references, None, core)?;
    for (addon, text) in addons {
        read_document(&mut schemas, &mut references, Some(addon), text)?;
    }
    for reference in references {
        if schemas.get(&reference.target).is_none() {
            return Err(ParseError {
                document: reference.document,
                line: reference.line,
                kind: ParseErrorKind::UnknownReference {
                    field: reference.field,
                    reference: reference.target,
                },
            });
        }
    }
    Ok(schemas)
}

/// A `ref` made on a field line, checked once every document is read.
struct Reference {
    document: Option<&'static str>,
    line: usize,
    /// `Type.field`.
    field: String,
    target: String,
}

/// Adds one document's group/versions and types to `schemas`.
fn read_document(
    schemas: &mut Schemas,
    references: &mut Vec<Reference>,
    document: Option<&'static str>,
    text: &str,
) -> Result<(), ParseError> {
    let mut pending = Pending::None;
    for (index, raw) in text.split('\n').enumerate() {
        let line_number = index + 1;
        let error = |kind| ParseError {
            document,
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
                schemas.group_versions.push(GroupVersion {
                    name: rest.to_string(),
                    addon: document,
                });
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
                    references.push(Reference {
                        document,
                        line: line_number,
                        field: format!("{}.{name}", ty.name),
                        target: reference.clone(),
                    });
                }
                ty.properties.push(property);
                pending = Pending::Field;
            }
            _ => return Err(error(ParseErrorKind::UnknownLine(word.to_string()))),
        }
    }
    Ok(())
}

/// The schema a shown type points at: its base name, unless that is a primitive.
fn implied_reference(shown: &str) -> Option<String> {
    let base = base_type(shown);
    (!PRIMITIVES.contains(&base)).then(|| base.to_string())
}

/// A shown type without its `[]` and `map[string]`: `Container` of `[]Container`.
pub fn base_type(shown: &str) -> &str {
    let mut base = shown;
    loop {
        if let Some(rest) = base.strip_prefix("[]") {
            base = rest;
        } else if let Some(rest) = base.strip_prefix("map[string]") {
            base = rest;
        } else {
            return base;
        }
    }
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
        let schemas = match schemas().expect("embedded") {
            Ok(schemas) => schemas,
            Err(err) => panic!("data/explain/schemas.txt: {err}"),
        };
        let none = |_: &str| false;
        assert!(schemas.publishes("v1", none) && schemas.publishes("apps/v1", none));
        // An add-on's group/version is published only while the add-on is installed.
        assert!(!schemas.publishes("argoproj.io/v1alpha1", none));
        assert!(schemas.publishes("argoproj.io/v1alpha1", |addon| addon == ARGO_ROLLOUTS));
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
        assert_eq!(
            schemas.group_versions,
            [GroupVersion {
                name: "v1".into(),
                addon: None
            }]
        );
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
    fn every_kind_the_lab_serves_has_its_schema_and_argo_rollouts_has_all_five() {
        let schemas = schemas().expect("embedded").expect("embedded schemas");
        for info in rollout_sim::objects::KINDS {
            assert!(schemas.get(info.name).is_some(), "{}", info.name);
        }
        // The other kinds of the release's CRDs, ready for their `KINDS` rows (templates have
        // no status).
        for (kind, fields) in [
            ("Rollout", 5),
            ("AnalysisRun", 5),
            ("AnalysisTemplate", 4),
            ("ClusterAnalysisTemplate", 4),
            ("Experiment", 5),
        ] {
            let schema = schemas.get(kind).expect(kind);
            let names: Vec<&str> = schema.properties.iter().map(|p| p.name.as_str()).collect();
            let all = ["apiVersion", "kind", "metadata", "spec", "status"];
            assert_eq!(names, all[..fields], "{kind}");
            let spec = schema.property("spec").expect("spec");
            assert!(spec.required && spec.shown_type == "Object", "{kind}");
            let metadata = schema.property("metadata").expect("metadata");
            assert_eq!(metadata.reference.as_deref(), Some("ObjectMeta"));
        }
    }

    #[test]
    fn an_add_on_document_reads_after_the_core_and_may_refer_to_it() {
        let core = "groupversion v1\ntype ObjectMeta\n  Meta, a text long enough to be shared.\n";
        let addon = "groupversion example.com/v1\ntype Thing\nfield metadata ObjectMeta\n  @ObjectMeta\n\
            field spec Object ref=Thing.spec\ntype Thing.spec\nfield items []Object ref=Thing.spec.items\n\
            type Thing.spec.items\n  Items, a text long enough to be shared.\nfield size string\n  @Thing.spec.items\n";
        let schemas = match parse_with_addons(core, &[("example", addon)]) {
            Ok(schemas) => schemas,
            Err(err) => panic!("{err}"),
        };
        assert!(!schemas.publishes("example.com/v1", |_| false));
        assert!(schemas.publishes("example.com/v1", |addon| addon == "example"));
        let field = |ty: &str, name: &str| schemas.get(ty).and_then(|t| t.property(name)).cloned();
        assert_eq!(
            field("Thing", "metadata").map(|p| p.description),
            Some("Meta, a text long enough to be shared.".into())
        );
        // A key with dots names the type of that name.
        assert_eq!(
            field("Thing.spec.items", "size").map(|p| p.description),
            Some("Items, a text long enough to be shared.".into())
        );
        // Alone, the add-on's reference to the core dangles; the error names its document.
        let alone = "type Thing\nfield metadata ObjectMeta\n";
        let err = parse_with_addons("", &[("example", alone)]).expect_err("dangling");
        assert_eq!((err.document, err.line), (Some("example"), 2));
        assert_eq!(
            err.to_string(),
            "example: line 2: Thing.metadata points at ObjectMeta, which is not defined"
        );
        // A field's key with dots reads after its last one.
        let nested = "type A.b\nfield c string\n  C, a text long enough to be shared.\n\
            type D\nfield e string\n  @A.b.c\n";
        let schemas = parse(nested).expect("nested key");
        assert_eq!(
            schemas
                .get("D")
                .and_then(|t| t.property("e"))
                .map(|p| p.description.as_str()),
            Some("C, a text long enough to be shared.")
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
            assert_eq!(
                (err.document, err.line, &err.kind),
                (None, *line, kind),
                "{text:?}"
            );
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn any_text_parses_or_fails_without_panicking() {
        // Every prefix of the real files, and the core file with each byte class mangled.
        for (_, text) in EMBEDDED_ADDONS {
            let mut cut = 0;
            while cut < text.len() {
                if text.is_char_boundary(cut) {
                    let _ = parse_with_addons(EMBEDDED, &[("addon", &text[..cut])]);
                }
                cut += 4999;
            }
        }
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
            parse(EMBEDDED).ok()
        );
    }
}
