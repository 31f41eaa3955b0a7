//! Errors as the API server sends them: a `Status` object whose code, reason and message are
//! what kubectl turns into `Error from server (Reason): message`.

use rollout_kubectl::error::KubectlError;
use rollout_sim::api::{ApiError, FieldError, FieldErrorType};
use serde_json::{json, Value};

/// An error response: HTTP code, `reason`, `message`, and `details` when there are any.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

impl Status {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Status {
        Status {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    pub fn not_found_path(path: &str) -> Status {
        Status::new(404, "NotFound", "the server could not find the requested resource")
            .with_details(json!({ "causes": [{ "reason": "UnexpectedServerResponse", "message": format!("404 page not found: {path}") }] }))
    }

    pub fn bad_request(message: impl Into<String>) -> Status {
        Status::new(400, "BadRequest", message)
    }

    pub fn method_not_allowed(method: &str) -> Status {
        Status::new(
            405,
            "MethodNotAllowed",
            format!("the server does not allow this method on the requested resource ({method})"),
        )
    }

    fn with_details(mut self, details: Value) -> Status {
        self.details = Some(details);
        self
    }

    /// The `Status` object.
    pub fn to_value(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if self.reason.is_empty() {
            // `StatusReasonUnknown`, which the API server omits.
            if let Some(fields) = status.as_object_mut() {
                fields.remove("reason");
            }
        }
        if let Some(details) = &self.details {
            status["details"] = details.clone();
        }
        status
    }
}

impl From<&ApiError> for Status {
    fn from(error: &ApiError) -> Status {
        let status = Status::new(error.code(), error.reason(), error.message());
        match error {
            ApiError::NotFound { kind, name }
            | ApiError::AlreadyExists { kind, name }
            | ApiError::Conflict { kind, name, .. } => status.with_details(json!({
                "name": name, "group": kind.group(), "kind": kind.resource(),
            })),
            ApiError::Invalid { kind, name, causes } => status.with_details(json!({
                "name": name,
                "group": kind.group(),
                "kind": kind.to_string(),
                "causes": causes.iter().map(cause).collect::<Vec<_>>(),
            })),
            // The eviction API's refusal names the budget and its numbers as a cause.
            ApiError::TooManyRequests { cause, .. } => status.with_details(json!({
                "causes": [{ "reason": "DisruptionBudget", "message": cause }],
            })),
            _ => status,
        }
    }
}

/// One `details.causes` entry: the field, the rule's reason, and the message without the
/// field (kubectl puts them back together).
fn cause(error: &FieldError) -> Value {
    let reason = match error.type_ {
        FieldErrorType::Required => "FieldValueRequired",
        FieldErrorType::Invalid(_) => "FieldValueInvalid",
        FieldErrorType::Unsupported(..) => "FieldValueNotSupported",
        FieldErrorType::Duplicate(_) => "FieldValueDuplicate",
        FieldErrorType::Forbidden => "FieldValueForbidden",
        FieldErrorType::TooLong => "FieldValueTooLong",
        FieldErrorType::NotFound(_) => "FieldValueNotFound",
    };
    let text = error.to_string();
    let message = text
        .strip_prefix(&format!("{}: ", error.field))
        .unwrap_or(&text);
    json!({ "reason": reason, "message": message, "field": error.field })
}

/// What the lab's kubectl layer reports, as the server would: API errors keep their status,
/// anything else (a patch that does not apply, a body that does not decode) is a bad request
/// or unprocessable.
impl From<KubectlError> for Status {
    fn from(error: KubectlError) -> Status {
        match &error {
            KubectlError::Api(api) => Status::from(api),
            KubectlError::Server(message) => Status::new(422, "Invalid", message.clone()),
            _ => {
                let text = error.to_string();
                let message = text.strip_prefix("error: ").unwrap_or(&text).to_string();
                Status::bad_request(message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollout_sim::objects::Kind;

    #[test]
    fn not_found_names_the_resource_as_kubectl_reads_it() {
        let status = Status::from(&ApiError::not_found(Kind::Deployment, "web"));
        let value = status.to_value();
        assert_eq!(value["code"], 404);
        assert_eq!(value["reason"], "NotFound");
        assert_eq!(value["message"], "deployments.apps \"web\" not found");
        assert_eq!(value["details"]["kind"], "deployments");
    }
}
