//! `ikubernetes/demoapp`: the Flask app every lesson curls.
//!
//! What it answers is pinned by lesson transcripts (see the reference notes, §3): one line
//! naming the version, the caller and the pod on `/`, the pod name on `/hostname`, and two
//! switches, `/livez` and `/readyz`, that a student flips with `curl -X POST -d livez=FAIL`
//! to watch the kubelet restart the container or pull it out of the Service.
//!
//! It runs on Werkzeug 1.0's development server, which speaks `HTTP/1.0`, upper-cases its
//! reason phrases (`404 NOT FOUND`) and writes `Content-Type, Content-Length, Server, Date`
//! in that order.

use super::http::{http_date, Headers, Request, Response};
use crate::clock::Time;
use serde::{Deserialize, Serialize};

/// The `Server` header of the demoapp image (Python 3.8 with Werkzeug 1.0).
pub const SERVER: &str = "Werkzeug/1.0.0 Python/3.8.2";

/// What one demoapp process remembers: the two health switches. It lives as long as the
/// container: a restart starts a fresh process, back at `OK`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoappState {
    /// Answered on `/livez`; anything but `OK` fails a liveness probe, so the kubelet
    /// restarts the container.
    pub livez: String,
    /// Answered on `/readyz`; anything but `OK` fails a readiness probe, so the pod leaves
    /// the Service's endpoints while it keeps running.
    pub readyz: String,
}

impl Default for DemoappState {
    fn default() -> Self {
        DemoappState {
            livez: "OK".to_string(),
            readyz: "OK".to_string(),
        }
    }
}

/// What a kubelet probe concluded, with the message `kubectl describe pod` shows in the
/// `Unhealthy` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeResult {
    Success,
    Failure(String),
}

/// Answers one request the way demoapp does.
///
/// `version` comes from the image tag ([`super::apps::image_tag`]); `now` stamps the `Date`
/// header.
pub fn serve(
    state: &mut DemoappState,
    version: &str,
    pod_name: &str,
    pod_ip: &str,
    req: &Request,
    now: Time,
) -> Response {
    let head = req.method == "HEAD";
    let method = if head { "GET" } else { req.method.as_str() };
    let (status, body) = match (req.route_path(), method) {
        ("/", "GET") => (
            200,
            format!(
                "iKubernetes demoapp {version} !! ClientIP: {}, ServerName: {pod_name}, ServerIP: {pod_ip}!\n",
                req.client_ip
            ),
        ),
        ("/hostname", "GET") => (200, format!("ServerName: {pod_name}\n")),
        ("/livez", "GET") => health_answer(&state.livez),
        ("/readyz", "GET") => health_answer(&state.readyz),
        ("/livez", "POST") => set_switch(&mut state.livez, "livez", req),
        ("/readyz", "POST") => set_switch(&mut state.readyz, "readyz", req),
        ("/" | "/hostname", _) => return method_not_allowed(&["GET", "HEAD", "OPTIONS"], now),
        ("/livez" | "/readyz", _) => {
            return method_not_allowed(&["GET", "HEAD", "OPTIONS", "POST"], now)
        }
        _ => return werkzeug_error(404, now),
    };
    let mut response = werkzeug_response(status, body, now);
    if head {
        response.body.clear();
    }
    response
}

/// The line Werkzeug 1.0's `WSGIRequestHandler.log_request` writes to stderr for a request
/// demoapp answered: the peer, the time (`%d/%b/%Y %H:%M:%S`, the container's zone is UTC),
/// the request line in the colour `click.style` gives its status class (click comes with
/// Flask, and Werkzeug styles the line whether or not stderr is a terminal), the status and
/// `-` for the size. The kubelet's probes are requests too: they fill the log every period.
pub fn request_log_line(client: &str, method: &str, path: &str, status: u16, at: Time) -> String {
    let c = at.civil();
    let style = match status {
        100..=199 => "\x1b[1m",
        200..=299 => "\x1b[37m",
        304 => "\x1b[36m",
        300..=399 => "\x1b[32m",
        404 => "\x1b[33m",
        400..=499 => "\x1b[31m\x1b[1m",
        _ => "\x1b[35m\x1b[1m",
    };
    format!(
        "{client} - - [{:02}/{}/{:04} {:02}:{:02}:{:02}] \"{style}{method} {path} HTTP/1.1\x1b[0m\" {status} -\n",
        c.day,
        c.month_name(),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// The status demoapp answers a kubelet probe of `path` with.
pub fn probe_status(state: &DemoappState, path: &str) -> u16 {
    let route = path.split('?').next().unwrap_or(path);
    match route {
        "/livez" => health_answer(&state.livez).0,
        "/readyz" => health_answer(&state.readyz).0,
        "/" | "/hostname" => 200,
        _ => {
            let mut scratch = state.clone();
            let request = Request::get("", path);
            serve(&mut scratch, "", "", "", &request, Time::default()).status
        }
    }
}

/// A kubelet `httpGet` probe against demoapp. The kubelet counts 200–399 as success and
/// reports anything else with the status code only.
pub fn probe_http(state: &DemoappState, path: &str) -> ProbeResult {
    probe_verdict(probe_status(state, path))
}

/// The kubelet's verdict on a status code (`pkg/probe/http`).
pub fn probe_verdict(status: u16) -> ProbeResult {
    if (200..400).contains(&status) {
        ProbeResult::Success
    } else {
        ProbeResult::Failure(format!("HTTP probe failed with statuscode: {status}"))
    }
}

/// `OK` is healthy; any other value is returned with 506, the code the demo app uses for
/// "I am not well".
fn health_answer(value: &str) -> (u16, String) {
    let status = if value == "OK" { 200 } else { 506 };
    (status, value.to_string())
}

/// `POST /livez` with `livez=FAIL`: store the value and answer with an empty body. Without
/// the form field Flask's `request.form[...]` raises, which Werkzeug turns into a 400.
fn set_switch(slot: &mut String, field: &str, req: &Request) -> (u16, String) {
    match req.form_value(field) {
        Some(value) => {
            *slot = value;
            (200, String::new())
        }
        None => (400, werkzeug_error_body(400)),
    }
}

fn werkzeug_response(status: u16, body: String, now: Time) -> Response {
    let mut headers = Headers::new();
    headers.push("Content-Type", "text/html; charset=utf-8");
    headers.push("Content-Length", body.len().to_string());
    headers.push("Server", SERVER);
    headers.push("Date", http_date(now));
    Response {
        version: "HTTP/1.0".to_string(),
        status,
        reason: werkzeug_reason(status).to_string(),
        headers,
        body,
    }
}

fn method_not_allowed(allowed: &[&str], now: Time) -> Response {
    let mut response = werkzeug_error(405, now);
    // Werkzeug puts `Allow` before the headers the server adds.
    let mut headers = Headers::new();
    headers.push("Content-Type", "text/html; charset=utf-8");
    headers.push("Allow", allowed.join(", "));
    for (name, value) in response.headers.iter().skip(1) {
        headers.push(name, value);
    }
    response.headers = headers;
    response
}

fn werkzeug_error(status: u16, now: Time) -> Response {
    werkzeug_response(status, werkzeug_error_body(status), now)
}

/// Werkzeug's `HTTPException.get_body()` page.
fn werkzeug_error_body(status: u16) -> String {
    let (name, description) = match status {
        400 => (
            "Bad Request",
            "The browser (or proxy) sent a request that this server could not understand.",
        ),
        405 => (
            "Method Not Allowed",
            "The method is not allowed for the requested URL.",
        ),
        _ => (
            "Not Found",
            "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
        ),
    };
    format!(
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>{status} {name}</title>\n<h1>{name}</h1>\n<p>{description}</p>\n"
    )
}

/// Werkzeug writes `HTTP_STATUS_CODES[code].upper()`.
fn werkzeug_reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "BAD REQUEST",
        404 => "NOT FOUND",
        405 => "METHOD NOT ALLOWED",
        506 => "VARIANT ALSO NEGOTIATES",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> Request {
        Request {
            client_ip: "10.244.3.74".to_string(),
            ..Request::get("demoapp-svc.default", path)
        }
    }

    fn post(path: &str, body: &str) -> Request {
        Request {
            method: "POST".to_string(),
            body: body.to_string(),
            ..get(path)
        }
    }

    fn answer(state: &mut DemoappState, req: &Request) -> Response {
        serve(
            state,
            "v1.1",
            "deployment-demo-8dcb44cb-fjt2t",
            "10.244.4.69",
            req,
            Time(0),
        )
    }

    #[test]
    fn the_root_page_names_version_client_and_server() {
        let response = answer(&mut DemoappState::default(), &get("/"));
        assert_eq!(
            response.body,
            "iKubernetes demoapp v1.1 !! ClientIP: 10.244.3.74, ServerName: deployment-demo-8dcb44cb-fjt2t, ServerIP: 10.244.4.69!\n"
        );
        assert_eq!(response.status_line(), "HTTP/1.0 200 OK");
        let headers: Vec<_> = response.headers.iter().collect();
        assert_eq!(
            headers,
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "118"),
                ("Server", "Werkzeug/1.0.0 Python/3.8.2"),
                ("Date", "Mon, 23 Nov 2026 09:00:00 GMT"),
            ]
        );
    }

    #[test]
    fn hostname_answers_with_the_pod_name() {
        let response = answer(&mut DemoappState::default(), &get("/hostname"));
        assert_eq!(
            response.body,
            "ServerName: deployment-demo-8dcb44cb-fjt2t\n"
        );
    }

    #[test]
    fn livez_is_ok_until_a_post_sets_it_to_fail() {
        let mut state = DemoappState::default();
        assert_eq!(answer(&mut state, &get("/livez")).body, "OK");
        let set = answer(&mut state, &post("/livez", "livez=FAIL"));
        assert_eq!((set.status, set.body.as_str()), (200, ""));
        let after = answer(&mut state, &get("/livez"));
        assert_eq!(after.status_line(), "HTTP/1.0 506 VARIANT ALSO NEGOTIATES");
        assert_eq!(after.body, "FAIL");
        assert_eq!(after.headers.get("content-length"), Some("4"));
        answer(&mut state, &post("/livez", "livez=OK"));
        assert_eq!(answer(&mut state, &get("/livez")).status, 200);
    }

    #[test]
    fn readyz_is_a_separate_switch() {
        let mut state = DemoappState::default();
        answer(&mut state, &post("/readyz", "readyz=FAIL"));
        assert_eq!(answer(&mut state, &get("/readyz")).status, 506);
        assert_eq!(answer(&mut state, &get("/livez")).status, 200);
    }

    #[test]
    fn a_post_without_the_field_is_a_bad_request_and_changes_nothing() {
        let mut state = DemoappState::default();
        let response = answer(&mut state, &post("/livez", "readyz=FAIL"));
        assert_eq!(response.status_line(), "HTTP/1.0 400 BAD REQUEST");
        assert_eq!(state, DemoappState::default());
    }

    #[test]
    fn unknown_paths_get_flasks_404_page() {
        let response = answer(&mut DemoappState::default(), &get("/configs"));
        assert_eq!(response.status_line(), "HTTP/1.0 404 NOT FOUND");
        assert_eq!(
            response.body,
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
        );
    }

    #[test]
    fn posting_to_the_root_is_not_allowed() {
        let response = answer(&mut DemoappState::default(), &post("/", "x=1"));
        assert_eq!(response.status_line(), "HTTP/1.0 405 METHOD NOT ALLOWED");
        assert_eq!(response.headers.get("Allow"), Some("GET, HEAD, OPTIONS"));
    }

    #[test]
    fn head_keeps_the_headers_and_drops_the_body() {
        let mut req = get("/");
        req.method = "HEAD".to_string();
        let response = answer(&mut DemoappState::default(), &req);
        assert_eq!(response.body, "");
        assert_eq!(response.headers.get("Content-Length"), Some("118"));
    }

    #[test]
    fn probes_succeed_on_ok_and_report_the_status_code_otherwise() {
        let mut state = DemoappState::default();
        assert_eq!(probe_http(&state, "/livez"), ProbeResult::Success);
        state.livez = "FAIL".to_string();
        assert_eq!(
            probe_http(&state, "/livez"),
            ProbeResult::Failure("HTTP probe failed with statuscode: 506".to_string())
        );
        assert_eq!(
            probe_http(&state, "/nope"),
            ProbeResult::Failure("HTTP probe failed with statuscode: 404".to_string())
        );
    }
}
