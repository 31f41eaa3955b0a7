//! The CustomResourceDefinitions an add-on brings: each kind's structural schema, its
//! `required` fields, its defaults and its validation rules (enums, bounds, CEL rules), with
//! the API server's messages. The add-on registers them when it is made, so their code lives
//! with the add-on's (in the page: in its wasm module, fetched when it is installed) and the
//! decoder here only asks.

use super::schema::Struct;
use crate::api::FieldError;
use crate::objects::{CustomObject, Kind};
use serde_json::Value;
use std::sync::Mutex;

/// One custom kind's schema.
pub struct CustomKind {
    pub kind: Kind,
    /// `gateway.networking.k8s.io/v1`.
    pub api_version: &'static str,
    pub schema: &'static Struct,
    /// Fields the schema marks `required` (`a.b[].c`, `[]` for every item of a list).
    pub required: &'static [&'static str],
    /// The CRD's `additionalPrinterColumns` (after NAME), as `kubectl get` prints them.
    pub columns: &'static [PrinterColumn],
}

/// One of a CRD's `additionalPrinterColumns`: its header as kubectl prints it (upper case),
/// whether it shows only with `-o wide` (`priority: 1`), and its cell.
pub struct PrinterColumn {
    pub header: &'static str,
    pub wide_only: bool,
    pub cell: Cell,
}

/// How a printer column's cell is computed.
pub enum Cell {
    /// `.metadata.creationTimestamp` of type `date`: the age, as kubectl prints it.
    Age,
    /// Its JSONPath over the object, as the API server evaluates it.
    Json(fn(&CustomObject) -> String),
}

/// What an add-on's CRDs say, as functions over the decoded JSON.
pub struct CustomCodec {
    pub kinds: &'static [CustomKind],
    /// The schema's defaults, applied after the structural check and before validation.
    pub default: fn(Kind, &mut Value),
    /// The schema's value checks (enums, bounds, patterns, CEL rules), each a cause.
    pub validate: fn(Kind, &Value) -> Vec<FieldError>,
}

static CODECS: Mutex<Vec<&'static CustomCodec>> = Mutex::new(Vec::new());

/// Makes `codec`'s kinds decodable (once; registering again changes nothing).
pub fn register(codec: &'static CustomCodec) {
    if let Ok(mut codecs) = CODECS.lock() {
        if !codecs.iter().any(|c| std::ptr::eq(*c, codec)) {
            codecs.push(codec);
        }
    }
}

/// The codec and schema of `kind` in `api_version`, if an add-on registered them.
pub(crate) fn lookup(
    api_version: &str,
    kind: &str,
) -> Option<(&'static CustomCodec, &'static CustomKind)> {
    let codecs = CODECS.lock().ok()?;
    codecs.iter().find_map(|codec| {
        codec
            .kinds
            .iter()
            .find(|k| k.api_version == api_version && k.kind.info().name == kind)
            .map(|k| (*codec, k))
    })
}

/// The printer columns of `kind`, if an add-on registered its CRD.
pub fn columns(kind: Kind) -> &'static [PrinterColumn] {
    let Ok(codecs) = CODECS.lock() else {
        return &[];
    };
    codecs
        .iter()
        .flat_map(|codec| codec.kinds.iter())
        .find(|k| k.kind == kind)
        .map_or(&[], |k| k.columns)
}
