//! `argoproj/rollouts-demo`: the app of Argo Rollouts' getting-started guide, a Go server on
//! port 8080 (argoproj/rollouts-demo `main.go`). Each image tag bakes one colour into the
//! binary's environment (`COLOR`), which is what makes a canary visible: the page polls
//! `/color` and paints a square per answer.
//!
//! Modelled, minimal:
//! - `GET /color` answers the colour as a JSON string (`"blue"`) with `text/plain`, like
//!   `printColor`. The `bad-<colour>` images (`ERROR_RATE=15`) answer it with status 500;
//!   upstream's check `rand.Intn(100) >= 15` fails about 85% of requests, the lab fails all of
//!   them (a deterministic answer reads better in a transcript). The request body's
//!   per-colour latency and error overrides are ignored, and so is the `slow-` images' 2 s.
//! - `GET /` is Go's `http.FileServer` serving the image's `index.html`. The lab serves a
//!   short page of its own in its place (`data/rollouts-demo-index.html`; the real page is the
//!   demo's colour grid and is not copied here) with the FileServer's headers, no
//!   `Last-Modified`. Every other path is the FileServer's `404 page not found` (the real
//!   image also serves its `.js`, `.css` and `.png` assets).
//!
//! Go's server writes the handler's headers sorted by name, then `Date`, then
//! `Content-Length`.

use super::http::{http_date, reason_phrase, Headers, Request, Response};
use crate::clock::Time;

/// The port the server listens on (`--listen-addr`, default `:8080`).
pub const PORT: u16 = 8080;

const INDEX_HTML: &str = include_str!("../../data/rollouts-demo-index.html");

/// Answers one request for the image tag `tag` (`blue`, `bad-red`, `slow-green`).
pub fn serve(tag: &str, req: &Request, now: Time) -> Response {
    let bad = tag.starts_with("bad-");
    let color = tag
        .strip_prefix("bad-")
        .or_else(|| tag.strip_prefix("slow-"))
        .unwrap_or(tag);
    let mut response = match req.route_path() {
        "/color" => {
            let status = if bad { 500 } else { 200 };
            let mut headers = Headers::new();
            headers.push("Content-Type", "text/plain; charset=utf-8");
            headers.push("X-Content-Type-Options", "nosniff");
            go_response(status, headers, format!("\"{color}\""), now)
        }
        "/" => {
            // FileServer sets its own Content-Length, so the server adds only `Date`.
            let mut headers = Headers::new();
            headers.push("Accept-Ranges", "bytes");
            headers.push("Content-Length", INDEX_HTML.len().to_string());
            headers.push("Content-Type", "text/html; charset=utf-8");
            headers.push("Date", http_date(now));
            Response {
                version: "HTTP/1.1".to_string(),
                status: 200,
                reason: reason_phrase(200).to_string(),
                headers,
                body: INDEX_HTML.to_string(),
            }
        }
        _ => {
            let mut headers = Headers::new();
            headers.push("Content-Type", "text/plain; charset=utf-8");
            headers.push("X-Content-Type-Options", "nosniff");
            go_response(404, headers, "404 page not found\n".to_string(), now)
        }
    };
    if req.method == "HEAD" {
        response.body.clear();
    }
    response
}

/// A response as Go's `net/http` writes it: the handler's headers, then `Date` and
/// `Content-Length` from the server.
pub(crate) fn go_response(status: u16, headers: Headers, body: String, now: Time) -> Response {
    let mut headers = headers;
    headers.push("Date", http_date(now));
    headers.push("Content-Length", body.len().to_string());
    Response {
        version: "HTTP/1.1".to_string(),
        status,
        reason: reason_phrase(status).to_string(),
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_names(response: &Response) -> Vec<&str> {
        response.headers.iter().map(|(name, _)| name).collect()
    }

    #[test]
    fn color_answers_the_tags_colour_as_a_json_string() {
        let response = serve("blue", &Request::get("10.0.0.1:8080", "/color"), Time(0));
        assert_eq!((response.status, response.body.as_str()), (200, "\"blue\""));
        assert_eq!(
            header_names(&response),
            [
                "Content-Type",
                "X-Content-Type-Options",
                "Date",
                "Content-Length"
            ]
        );
        assert_eq!(response.headers.get("Content-Length"), Some("6"));
        let slow = serve("slow-green", &Request::get("x", "/color"), Time(0));
        assert_eq!((slow.status, slow.body.as_str()), (200, "\"green\""));
    }

    #[test]
    fn the_bad_images_fail_with_500_and_still_name_their_colour() {
        let response = serve("bad-red", &Request::get("x", "/color"), Time(0));
        assert_eq!(
            (
                response.status,
                response.reason.as_str(),
                response.body.as_str()
            ),
            (500, "Internal Server Error", "\"red\"")
        );
    }

    #[test]
    fn the_root_is_the_page_and_other_paths_are_go_404s() {
        let page = serve("blue", &Request::get("x", "/"), Time(0));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<title>Rollouts Demo</title>"));
        assert_eq!(
            header_names(&page),
            ["Accept-Ranges", "Content-Length", "Content-Type", "Date"]
        );
        let missing = serve("blue", &Request::get("x", "/nope"), Time(0));
        assert_eq!(
            (missing.status, missing.body.as_str()),
            (404, "404 page not found\n")
        );
    }
}
