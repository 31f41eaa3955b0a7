//! OpenAPI v2 as protobuf: the Swagger 2.0 JSON document ([`crate::openapi::swagger`])
//! encoded as google/gnostic's `openapi_v2.Document` message, the form client-go's
//! `OpenAPISchema()` asks for (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`)
//! and decodes; kubectl reads nothing else of OpenAPI v2.
//!
//! A hand-written encoder for the few messages the lab's document uses, not a protobuf
//! library: the JSON is the one document, and this module only re-spells it. The field
//! numbers are gnostic's `openapiv2/OpenAPIv2.proto`:
//!
//! - `Document`: `swagger` 1, `info` 2, `paths` 8, `definitions` 9.
//! - `Info`: `title` 1, `version` 2. `Paths`: `path` 2 (the lab declares none).
//! - `Definitions` and `Properties`: `additional_properties` 1, each a `NamedSchema`
//!   (`name` 1, `value` 2).
//! - `Schema`: `_ref` 1, `format` 2, `title` 3, `description` 4, `default` 5, `required` 19,
//!   `enum` 20, `additional_properties` 21, `type` 22, `items` 23, `all_of` 24,
//!   `properties` 25, `vendor_extension` 31.
//! - `AdditionalPropertiesItem`: `schema` 1 or `boolean` 2. `TypeItem`: `value` 1.
//!   `ItemsItem`: `schema` 1.
//! - `NamedAny`: `name` 1, `value` 2; `Any`: `yaml` 2 (a value as YAML text: JSON is YAML,
//!   and kube-openapi reads extensions, enums and defaults back with a YAML parser).
//!
//! A keyword outside that subset is an [`EncodeError`], never silently dropped: the JSON and
//! the protobuf form say the same, or the server says it cannot.

use serde_json::{Map, Value};
use std::fmt;

/// Why the document could not be encoded: where (a JSON pointer) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    pub at: String,
    pub problem: &'static str,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot encode OpenAPI v2 as protobuf at {}: {}",
            self.at, self.problem
        )
    }
}

/// The Swagger document as a serialized `openapi_v2.Document`.
pub fn document(swagger: &Value) -> Result<Vec<u8>, EncodeError> {
    let object = as_object(swagger, "")?;
    let mut out = Message::default();
    for (key, value) in object {
        let at = format!("/{key}");
        match key.as_str() {
            "swagger" => out.string(1, as_str(value, &at)?),
            "info" => out.message(2, info(value, &at)?),
            "paths" => {
                if !as_object(value, &at)?.is_empty() {
                    return Err(error(&at, "paths are not encoded"));
                }
                out.message(8, Message::default());
            }
            "definitions" => out.message(9, named_schemas(value, &at)?),
            _ => return Err(error(&at, "keyword outside the encoded subset")),
        }
    }
    Ok(out.bytes)
}

fn info(value: &Value, at: &str) -> Result<Message, EncodeError> {
    let mut out = Message::default();
    for (key, value) in as_object(value, at)? {
        let at = format!("{at}/{key}");
        match key.as_str() {
            "title" => out.string(1, as_str(value, &at)?),
            "version" => out.string(2, as_str(value, &at)?),
            _ => return Err(error(&at, "keyword outside the encoded subset")),
        }
    }
    Ok(out)
}

/// `Definitions` or `Properties`: a map of schemas as repeated `NamedSchema` (field 1).
fn named_schemas(value: &Value, at: &str) -> Result<Message, EncodeError> {
    let mut out = Message::default();
    for (name, value) in as_object(value, at)? {
        let at = format!("{at}/{}", pointer_escape(name));
        let mut named = Message::default();
        named.string(1, name);
        named.message(2, schema(value, &at)?);
        out.message(1, named);
    }
    Ok(out)
}

fn schema(value: &Value, at: &str) -> Result<Message, EncodeError> {
    let mut out = Message::default();
    for (key, value) in as_object(value, at)? {
        let at = format!("{at}/{}", pointer_escape(key));
        match key.as_str() {
            "$ref" => out.string(1, as_str(value, &at)?),
            "format" => out.string(2, as_str(value, &at)?),
            "title" => out.string(3, as_str(value, &at)?),
            "description" => out.string(4, as_str(value, &at)?),
            "default" => out.message(5, any(value)),
            "required" => {
                for name in as_array(value, &at)? {
                    out.string(19, as_str(name, &at)?);
                }
            }
            "enum" => {
                for allowed in as_array(value, &at)? {
                    out.message(20, any(allowed));
                }
            }
            "additionalProperties" => {
                let mut item = Message::default();
                match value {
                    Value::Bool(allowed) => item.bool(2, *allowed),
                    _ => item.message(1, schema(value, &at)?),
                }
                out.message(21, item);
            }
            "type" => {
                let mut types = Message::default();
                match value {
                    Value::Array(names) => {
                        for name in names {
                            types.string(1, as_str(name, &at)?);
                        }
                    }
                    _ => types.string(1, as_str(value, &at)?),
                }
                out.message(22, types);
            }
            "items" => {
                let mut items = Message::default();
                match value {
                    Value::Array(schemas) => {
                        for item in schemas {
                            items.message(1, schema(item, &at)?);
                        }
                    }
                    _ => items.message(1, schema(value, &at)?),
                }
                out.message(23, items);
            }
            "allOf" => {
                for part in as_array(value, &at)? {
                    out.message(24, schema(part, &at)?);
                }
            }
            "properties" => out.message(25, named_schemas(value, &at)?),
            extension if extension.starts_with("x-") => {
                let mut named = Message::default();
                named.string(1, extension);
                named.message(2, any(value));
                out.message(31, named);
            }
            _ => return Err(error(&at, "keyword outside the encoded subset")),
        }
    }
    Ok(out)
}

/// An `Any` holding a value as YAML text (field 2); JSON text is YAML.
fn any(value: &Value) -> Message {
    let mut out = Message::default();
    out.string(2, &value.to_string());
    out
}

fn as_object<'a>(value: &'a Value, at: &str) -> Result<&'a Map<String, Value>, EncodeError> {
    value.as_object().ok_or_else(|| error(at, "not an object"))
}

fn as_array<'a>(value: &'a Value, at: &str) -> Result<&'a Vec<Value>, EncodeError> {
    value.as_array().ok_or_else(|| error(at, "not an array"))
}

fn as_str<'a>(value: &'a Value, at: &str) -> Result<&'a str, EncodeError> {
    value.as_str().ok_or_else(|| error(at, "not a string"))
}

fn error(at: &str, problem: &'static str) -> EncodeError {
    EncodeError {
        at: if at.is_empty() { "/".into() } else { at.into() },
        problem,
    }
}

/// A property name as a JSON pointer segment.
fn pointer_escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A protobuf message being written: fields as tag, then value, in the order they come.
#[derive(Default)]
struct Message {
    bytes: Vec<u8>,
}

/// Protobuf's wire types: a varint, and a length-delimited run of bytes.
const VARINT: u64 = 0;
const LENGTH_DELIMITED: u64 = 2;

impl Message {
    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    fn tag(&mut self, field: u64, wire_type: u64) {
        self.varint((field << 3) | wire_type);
    }

    fn length_delimited(&mut self, field: u64, data: &[u8]) {
        self.tag(field, LENGTH_DELIMITED);
        self.varint(data.len() as u64);
        self.bytes.extend_from_slice(data);
    }

    fn string(&mut self, field: u64, text: &str) {
        self.length_delimited(field, text.as_bytes());
    }

    fn message(&mut self, field: u64, message: Message) {
        self.length_delimited(field, &message.bytes);
    }

    fn bool(&mut self, field: u64, value: bool) {
        self.tag(field, VARINT);
        self.varint(u64::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_schema_is_spelled_with_gnostics_field_numbers() {
        // Keys in byte order, the order a map iterates in with or without `preserve_order`.
        let doc = json!({
            "definitions": { "A": { "description": "é", "type": "object" } },
            "swagger": "2.0",
        });
        let bytes = document(&doc).expect("encodes");
        // definitions (9) { NamedSchema (1) { name (1) "A", value (2) { description (4), type (22) { "object" } } } }
        let schema: &[u8] = &[
            0x22, 2, 0xc3, 0xa9, // description "é"
            0xb2, 0x01, 8, 0x0a, 6, b'o', b'b', b'j', b'e', b'c', b't', // type
        ];
        let mut named = vec![0x0a, 1, b'A', 0x12, schema.len() as u8];
        named.extend_from_slice(schema);
        let mut expected = vec![0x4a, named.len() as u8 + 2, 0x0a, named.len() as u8];
        expected.extend_from_slice(&named);
        expected.extend_from_slice(&[0x0a, 3, b'2', b'.', b'0']); // swagger (1)
        assert_eq!(bytes, expected);
    }

    #[test]
    fn long_fields_get_multi_byte_lengths() {
        let text = "x".repeat(300);
        let mut message = Message::default();
        message.string(4, &text);
        assert_eq!(&message.bytes[..3], &[0x22, 0xac, 0x02]);
        assert_eq!(message.bytes.len(), 3 + 300);
    }

    #[test]
    fn an_unknown_keyword_is_an_error_not_a_silent_drop() {
        let doc = json!({ "definitions": { "A": { "minimum": 1 } } });
        assert_eq!(
            document(&doc),
            Err(EncodeError {
                at: "/definitions/A/minimum".into(),
                problem: "keyword outside the encoded subset",
            })
        );
    }
}
