//! The API server's answers: typed errors whose `Display` is exactly what kubectl 1.30 prints
//! to stderr, and the create/update validation that produces them.
//!
//! **Invariant:** nothing here knows about YAML; it works on typed [`crate::objects`]. The
//! manifest module turns text into objects, this module judges the objects.
//!
//! ## Layout
//! - [`ApiError`]: NotFound, AlreadyExists, Invalid (with [`FieldError`] causes), BadRequest, …
//! - [`validation`]: `validate_create` and `validate_update`, mirroring
//!   `pkg/apis/{apps,core,networking}/validation`.
//! - [`names`]: apimachinery's name and label rules with their exact messages.
//! - [`go`]: rendering values the way Go's `%q` and `%#v` do, for error texts.

pub mod go;
pub mod names;
pub mod validation;

pub use go::go_quote;
pub use validation::{validate_create, validate_update};

use crate::objects::Kind;
use std::fmt;

/// What kubectl was doing when the server said no; kubectl puts it in front of the server's
/// message for requests that came from a file: `error when creating "deploy.yaml": …`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// `kubectl create -f`, or `kubectl apply -f` for an object that does not exist yet.
    Creating,
    /// `kubectl apply -f` / `kubectl patch` for an object that exists.
    Patching,
    /// `kubectl replace -f`.
    Replacing,
    /// `kubectl delete -f`.
    Deleting,
    /// `kubectl get -f`.
    Retrieving,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Creating => "creating",
            Verb::Patching => "patching",
            Verb::Replacing => "replacing",
            Verb::Deleting => "deleting",
            Verb::Retrieving => "retrieving",
        }
    }
}

/// An error status from the API server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 404: `deployments.apps "demoapp" not found`.
    NotFound { kind: Kind, name: String },
    /// 409 on create: `deployments.apps "demoapp" already exists`.
    AlreadyExists { kind: Kind, name: String },
    /// 422: the object failed validation; one [`FieldError`] per broken rule, in the order the
    /// API server checks them.
    Invalid {
        kind: Kind,
        name: String,
        causes: Vec<FieldError>,
    },
    /// 400: the request body could not be decoded (wrong types, unknown fields, …).
    BadRequest { message: String },
    /// 409 on update: the object changed since it was read (stale `resourceVersion`).
    Conflict {
        kind: Kind,
        name: String,
        message: String,
    },
    /// 405: e.g. deleting a collection the API does not allow.
    MethodNotAllowed { message: String },
    /// 403 with a message, e.g. creating in a namespace that is being deleted.
    Forbidden { message: String },
    /// 429: the eviction API refusing to break a PodDisruptionBudget. `cause` is the Status
    /// detail of type `DisruptionBudget` (which budget, how many healthy pods it needs).
    TooManyRequests { message: String, cause: String },
    /// 500 without a reason: a failure Status the handler built itself (a pod under two
    /// budgets, which the eviction API refuses to judge).
    Internal { message: String },
}

impl ApiError {
    pub fn not_found(kind: Kind, name: impl Into<String>) -> ApiError {
        ApiError::NotFound {
            kind,
            name: name.into(),
        }
    }

    pub fn already_exists(kind: Kind, name: impl Into<String>) -> ApiError {
        ApiError::AlreadyExists {
            kind,
            name: name.into(),
        }
    }

    pub fn invalid(kind: Kind, name: impl Into<String>, causes: Vec<FieldError>) -> ApiError {
        ApiError::Invalid {
            kind,
            name: name.into(),
            causes,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            message: message.into(),
        }
    }

    /// The standard optimistic-concurrency conflict of an update with a stale resourceVersion.
    pub fn conflict(kind: Kind, name: impl Into<String>) -> ApiError {
        let name = name.into();
        let message = format!(
            "Operation cannot be fulfilled on {} {}: the object has been modified; please apply your changes to the latest version and try again",
            kind.qualified_resource(),
            go_quote(&name)
        );
        ApiError::Conflict {
            kind,
            name,
            message,
        }
    }

    /// The `reason` of the Status: kubectl prints it in parentheses.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Invalid { .. } => "Invalid",
            ApiError::BadRequest { .. } => "BadRequest",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::MethodNotAllowed { .. } => "MethodNotAllowed",
            ApiError::Forbidden { .. } => "Forbidden",
            ApiError::TooManyRequests { .. } => "TooManyRequests",
            ApiError::Internal { .. } => "",
        }
    }

    /// The HTTP status code the API server answers with.
    pub fn code(&self) -> u16 {
        match self {
            ApiError::NotFound { .. } => 404,
            ApiError::AlreadyExists { .. } | ApiError::Conflict { .. } => 409,
            ApiError::Invalid { .. } => 422,
            ApiError::BadRequest { .. } => 400,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::Forbidden { .. } => 403,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::Internal { .. } => 500,
        }
    }

    /// The Status `message` as the server sends it (what `-v=8` would show).
    pub fn message(&self) -> String {
        match self {
            ApiError::NotFound { kind, name } => {
                format!("{} {} not found", kind.qualified_resource(), go_quote(name))
            }
            ApiError::AlreadyExists { kind, name } => {
                format!(
                    "{} {} already exists",
                    kind.qualified_resource(),
                    go_quote(name)
                )
            }
            ApiError::Invalid { kind, name, causes } => {
                let list: Vec<String> = causes.iter().map(FieldError::to_string).collect();
                let joined = match list.len() {
                    1 => list.join(""),
                    _ => format!("[{}]", list.join(", ")),
                };
                let qualified = match kind.group() {
                    "" => kind.to_string(),
                    group => format!("{kind}.{group}"),
                };
                format!("{qualified} {} is invalid: {joined}", go_quote(name))
            }
            ApiError::BadRequest { message }
            | ApiError::Conflict { message, .. }
            | ApiError::MethodNotAllowed { message }
            | ApiError::Forbidden { message }
            | ApiError::TooManyRequests { message, .. }
            | ApiError::Internal { message } => message.clone(),
        }
    }

    /// kubectl's stderr for this error when the request came from a file: the server's
    /// message gets `error when <verb> "<file>": ` in front (Invalid errors are printed from
    /// their causes and keep their usual form).
    pub fn to_string_with_source(&self, verb: Verb, file: &str) -> String {
        match self {
            ApiError::Invalid { .. } => self.to_string(),
            _ => format!(
                "Error from server ({}): error when {} {}: {}",
                self.reason(),
                verb.as_str(),
                go_quote(file),
                self.message()
            ),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // kubectl's checkErr: one cause inline, several as a bulleted list after
            // "is invalid: " (with its trailing space).
            ApiError::Invalid { kind, name, causes } => {
                write!(f, "The {kind} {} is invalid: ", go_quote(name))?;
                match causes.as_slice() {
                    [] => Ok(()),
                    [only] => write!(f, "{only}"),
                    many => {
                        for cause in many {
                            write!(f, "\n* {cause}")?;
                        }
                        Ok(())
                    }
                }
            }
            ApiError::Internal { message } => write!(f, "Error from server: {message}"),
            _ => write!(
                f,
                "Error from server ({}): {}",
                self.reason(),
                self.message()
            ),
        }
    }
}

impl std::error::Error for ApiError {}

/// What kind of rule a field broke; the text is apimachinery's `ErrorType.String()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldErrorType {
    Required,
    /// The value is shown, rendered the Go way (see [`go`]).
    Invalid(String),
    /// The value and the list of supported values (already quoted).
    Unsupported(String, Vec<String>),
    Duplicate(String),
    Forbidden,
    TooLong,
    NotFound(String),
}

/// One cause of an Invalid error: `spec.replicas: Invalid value: -1: must be greater than or
/// equal to 0`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path with indices: `spec.template.spec.containers[0].image`.
    pub field: String,
    pub type_: FieldErrorType,
    pub detail: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            type_: FieldErrorType::Required,
            detail: detail.into(),
        }
    }

    /// `value` must already be rendered the Go way (`"x"`, `3`, `map[string]string{…}`).
    pub fn invalid(
        field: impl Into<String>,
        value: String,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            type_: FieldErrorType::Invalid(value),
            detail: detail.into(),
        }
    }

    /// `supported` are plain strings; they are quoted as Go's `NotSupported` does.
    pub fn not_supported(field: impl Into<String>, value: &str, supported: &[&str]) -> FieldError {
        let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
        FieldError {
            field: field.into(),
            type_: FieldErrorType::Unsupported(go_quote(value), quoted.clone()),
            detail: format!("supported values: {}", quoted.join(", ")),
        }
    }

    pub fn duplicate(field: impl Into<String>, value: String) -> FieldError {
        FieldError {
            field: field.into(),
            type_: FieldErrorType::Duplicate(value),
            detail: String::new(),
        }
    }

    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            type_: FieldErrorType::Forbidden,
            detail: detail.into(),
        }
    }

    fn type_text(&self) -> &'static str {
        match self.type_ {
            FieldErrorType::Required => "Required value",
            FieldErrorType::Invalid(_) => "Invalid value",
            FieldErrorType::Unsupported(..) => "Unsupported value",
            FieldErrorType::Duplicate(_) => "Duplicate value",
            FieldErrorType::Forbidden => "Forbidden",
            FieldErrorType::TooLong => "Too long",
            FieldErrorType::NotFound(_) => "Not found",
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.type_text())?;
        match &self.type_ {
            FieldErrorType::Invalid(value)
            | FieldErrorType::Unsupported(value, _)
            | FieldErrorType::Duplicate(value)
            | FieldErrorType::NotFound(value) => write!(f, ": {value}")?,
            FieldErrorType::Required | FieldErrorType::Forbidden | FieldErrorType::TooLong => {}
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_the_qualified_resource() {
        let err = ApiError::not_found(Kind::Deployment, "demoapp");
        assert_eq!(
            err.to_string(),
            r#"Error from server (NotFound): deployments.apps "demoapp" not found"#
        );
        assert_eq!(err.reason(), "NotFound");
        let err = ApiError::not_found(Kind::Pod, "x");
        assert_eq!(
            err.to_string(),
            r#"Error from server (NotFound): pods "x" not found"#
        );
    }

    #[test]
    fn already_exists_reads_like_kubectl_create_twice() {
        let err = ApiError::already_exists(Kind::Deployment, "demoapp");
        assert_eq!(
            err.to_string(),
            r#"Error from server (AlreadyExists): deployments.apps "demoapp" already exists"#
        );
    }

    #[test]
    fn one_cause_is_inlined_and_several_are_bulleted() {
        let one = ApiError::invalid(
            Kind::Deployment,
            "demoapp",
            vec![FieldError::required("spec.selector", "")],
        );
        assert_eq!(
            one.to_string(),
            r#"The Deployment "demoapp" is invalid: spec.selector: Required value"#
        );
        let two = ApiError::invalid(
            Kind::Deployment,
            "demoapp",
            vec![
                FieldError::required("spec.selector", ""),
                FieldError::invalid(
                    "spec.replicas",
                    "-1".into(),
                    "must be greater than or equal to 0",
                ),
            ],
        );
        assert_eq!(
            two.to_string(),
            "The Deployment \"demoapp\" is invalid: \n* spec.selector: Required value\n* spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn a_file_source_is_named_for_non_validation_errors() {
        let err = ApiError::bad_request("x");
        assert_eq!(
            err.to_string_with_source(Verb::Creating, "deploy.yaml"),
            r#"Error from server (BadRequest): error when creating "deploy.yaml": x"#
        );
    }

    #[test]
    fn unsupported_values_list_the_supported_ones() {
        let cause =
            FieldError::not_supported("spec.strategy.type", "Foo", &["Recreate", "RollingUpdate"]);
        assert_eq!(
            cause.to_string(),
            r#"spec.strategy.type: Unsupported value: "Foo": supported values: "Recreate", "RollingUpdate""#
        );
    }
}
