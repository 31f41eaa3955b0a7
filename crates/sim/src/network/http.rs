//! HTTP/1.x messages as the simulated apps and curl see them: no sockets, no bytes on a wire,
//! just the parts that change what a student reads on the screen.

use crate::clock::Time;
use serde::{Deserialize, Serialize};

/// Header lines in the order they were written. Names keep their spelling (curl prints them
/// as sent) but lookups ignore case, like every HTTP implementation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    pub fn new() -> Headers {
        Headers(Vec::new())
    }

    /// The first value of `name`, case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of `name`, in order (a request may carry several `Cookie` lines).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Appends a line, keeping any earlier line with the same name.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Replaces the first line with this name in place (so the order stays as a server would
    /// write it), or appends one.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self
            .0
            .iter_mut()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
        {
            Some(line) => line.1 = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    /// Drops every line with this name.
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(key, _)| !key.eq_ignore_ascii_case(name));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One request as a server receives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// As sent, case and all: `curl -X post` really sends `post`, and Flask rejects it.
    pub method: String,
    /// The `Host` header (may carry `:port`). Ingress rules match on it, not on the address
    /// the connection went to.
    pub host: String,
    /// Path and query string, always starting with `/`.
    pub path: String,
    /// Every other header line (User-Agent, Accept, custom `-H` lines).
    pub headers: Headers,
    /// Cookies sent with `-b`/`--cookie`; [`Request::cookie`] also reads `Cookie:` headers.
    pub cookies: Vec<(String, String)>,
    /// The body, for the demo app an `application/x-www-form-urlencoded` form (`livez=FAIL`).
    pub body: String,
    /// The TCP peer the server sees: a client pod, a node's gateway, or the ingress
    /// controller's pod when traffic is proxied. demoapp prints it as `ClientIP`.
    pub client_ip: String,
}

impl Request {
    /// A plain `GET`, the way the tests and the kubelet's probes build them.
    pub fn get(host: &str, path: &str) -> Request {
        Request {
            method: "GET".to_string(),
            host: host.to_string(),
            path: path.to_string(),
            ..Request::default()
        }
    }

    /// The path without `?query` or `#fragment`: what routers and ingress rules match.
    pub fn route_path(&self) -> &str {
        let end = self.path.find(['?', '#']).unwrap_or(self.path.len());
        &self.path[..end]
    }

    /// The `Host` header without its port, lower-cased: what nginx compares with
    /// `server_name`.
    pub fn host_name(&self) -> String {
        let host = self.host.trim();
        let name = match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        };
        name.trim_end_matches('.').to_ascii_lowercase()
    }

    /// A cookie sent either with `-b` or in a raw `Cookie:` header.
    pub fn cookie(&self, name: &str) -> Option<String> {
        if let Some((_, value)) = self.cookies.iter().find(|(key, _)| key == name) {
            return Some(value.clone());
        }
        self.headers
            .get_all("Cookie")
            .flat_map(parse_cookie_pairs)
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// A field of the urlencoded form body, decoded.
    pub fn form_value(&self, key: &str) -> Option<String> {
        self.body
            .split('&')
            .filter_map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(name) == key).then(|| percent_decode(value))
            })
            .next()
    }
}

/// `a=1; b=2` → `[(a, 1), (b, 2)]`; pieces without `=` are skipped.
pub fn parse_cookie_pairs(text: &str) -> Vec<(String, String)> {
    text.split(';')
        .filter_map(|piece| {
            let (name, value) = piece.trim().split_once('=')?;
            Some((name.trim().to_string(), value.trim().to_string()))
        })
        .collect()
}

/// Form decoding: `+` is a space, `%XX` a byte; malformed escapes stay as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let escaped = bytes
                    .get(i + 1..i + 3)
                    .and_then(|pair| std::str::from_utf8(pair).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                if let Some(byte) = escaped {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Form encoding for `--data-urlencode`: unreserved characters stay, the rest become `%XX`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One response as the server wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `HTTP/1.0` for Werkzeug's development server (demoapp), `HTTP/1.1` for nginx.
    pub version: String,
    pub status: u16,
    /// The reason phrase exactly as the server spells it: Werkzeug upper-cases its own
    /// (`404 NOT FOUND`), nginx uses title case (`404 Not Found`).
    pub reason: String,
    pub headers: Headers,
    pub body: String,
}

impl Response {
    /// `HTTP/1.0 200 OK`, the first line `curl -I` prints.
    pub fn status_line(&self) -> String {
        format!("{} {} {}", self.version, self.status, self.reason)
    }

    /// The response as the server writes it on its connection (`kubectl port-forward` carries
    /// these bytes to a real client). The answer to a `HEAD` (`head_only`) has no body.
    pub fn to_wire(&self, head_only: bool) -> Vec<u8> {
        let mut text = format!("{}\r\n", self.status_line());
        for (name, value) in self.headers.iter() {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        let mut bytes = text.into_bytes();
        if !head_only {
            bytes.extend_from_slice(self.body.as_bytes());
        }
        bytes
    }
}

/// What the bytes a client sent on a connection so far come to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wire {
    /// A whole request: its head, and as much body as `Content-Length` says.
    Request(Request),
    /// Not yet a whole request.
    Partial,
    /// Not HTTP/1.x.
    Malformed,
}

/// The most of a request head read from a connection.
pub const MAX_WIRE_HEAD: usize = 64 * 1024;

impl Request {
    /// Reads a request from the bytes a client wrote on its connection (what a real curl
    /// sends through `kubectl port-forward`). `client_ip` is left for the caller.
    pub fn from_wire(bytes: &[u8]) -> Wire {
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
            return if bytes.len() > MAX_WIRE_HEAD {
                Wire::Malformed
            } else {
                Wire::Partial
            };
        };
        let Ok(head) = std::str::from_utf8(&bytes[..end]) else {
            return Wire::Malformed;
        };
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let (Some(method), Some(path), Some(version), None) =
            (first.next(), first.next(), first.next(), first.next())
        else {
            return Wire::Malformed;
        };
        if method.is_empty() || !path.starts_with('/') || !version.starts_with("HTTP/1.") {
            return Wire::Malformed;
        }
        let mut request = Request {
            method: method.to_string(),
            path: path.to_string(),
            ..Request::default()
        };
        let mut length = 0usize;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                return Wire::Malformed;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("Host") {
                request.host = value.to_string();
                continue;
            }
            if name.eq_ignore_ascii_case("Content-Length") {
                match value.parse::<usize>() {
                    Ok(n) if n <= MAX_WIRE_HEAD => length = n,
                    _ => return Wire::Malformed,
                }
            }
            request.headers.push(name, value);
        }
        let body = &bytes[end + 4..];
        if body.len() < length {
            return Wire::Partial;
        }
        request.body = String::from_utf8_lossy(&body[..length]).into_owned();
        Wire::Request(request)
    }
}

/// The reason phrases of RFC 9110, title case, as nginx and most servers print them.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        506 => "Variant Also Negotiates",
        _ => "Unknown",
    }
}

/// An IMF-fixdate (`Mon, 23 Nov 2026 09:00:00 GMT`) for the `Date` header, from virtual time.
pub fn http_date(now: Time) -> String {
    let c = now.civil();
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        c.weekday_name(),
        c.day,
        c.month_name(),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_read_from_the_wire_once_it_is_whole() {
        let sent = b"POST /livez HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.5.0\r\nContent-Length: 10\r\n\r\nlivez=FAIL";
        assert_eq!(Request::from_wire(&sent[..20]), Wire::Partial);
        assert_eq!(Request::from_wire(&sent[..sent.len() - 1]), Wire::Partial);
        let Wire::Request(request) = Request::from_wire(sent) else {
            panic!("not read");
        };
        assert_eq!(
            (
                request.method.as_str(),
                request.path.as_str(),
                request.host.as_str()
            ),
            ("POST", "/livez", "localhost:8080")
        );
        assert_eq!(request.headers.get("user-agent"), Some("curl/8.5.0"));
        assert_eq!(request.body, "livez=FAIL");
        for bad in [
            &b"GET\r\n\r\n"[..],
            b"GET / SPDY/3\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            b"\xff\xfe / HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(Request::from_wire(bad), Wire::Malformed, "{bad:?}");
        }
        assert_eq!(
            Request::from_wire(&vec![b'a'; MAX_WIRE_HEAD + 1]),
            Wire::Malformed
        );
    }

    #[test]
    fn a_response_is_written_as_the_server_writes_it() {
        let mut headers = Headers::new();
        headers.push("Content-Length", "2");
        let response = Response {
            version: "HTTP/1.0".into(),
            status: 200,
            reason: "OK".into(),
            headers,
            body: "hi".into(),
        };
        assert_eq!(
            response.to_wire(false),
            b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi"
        );
        assert_eq!(
            response.to_wire(true),
            b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n"
        );
    }

    #[test]
    fn header_lookup_ignores_case_and_keeps_order() {
        let mut headers = Headers::new();
        headers.push("Content-Type", "text/html");
        headers.push("X-Canary", "always");
        headers.set("content-type", "text/plain");
        assert_eq!(headers.get("CONTENT-TYPE"), Some("text/plain"));
        let names: Vec<_> = headers.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["Content-Type", "X-Canary"]);
    }

    #[test]
    fn the_date_header_counts_from_the_lab_epoch() {
        assert_eq!(http_date(Time(0)), "Mon, 23 Nov 2026 09:00:00 GMT");
        assert_eq!(
            http_date(Time(86_400_000 + 61_000)),
            "Tue, 24 Nov 2026 09:01:01 GMT"
        );
    }

    #[test]
    fn absurd_times_still_format() {
        assert!(http_date(Time(i64::MAX)).ends_with("GMT"));
        assert!(http_date(Time(i64::MIN)).ends_with("GMT"));
    }

    #[test]
    fn form_values_are_decoded() {
        let request = Request {
            body: "a=1&livez=FAIL%21+now&bad=%zz".to_string(),
            ..Request::default()
        };
        assert_eq!(request.form_value("livez").as_deref(), Some("FAIL! now"));
        assert_eq!(request.form_value("bad").as_deref(), Some("%zz"));
        assert_eq!(request.form_value("missing"), None);
    }

    #[test]
    fn cookies_come_from_flags_or_the_cookie_header() {
        let mut request = Request::get("x", "/");
        request.headers.push("Cookie", "a=1; canary=always");
        assert_eq!(request.cookie("canary").as_deref(), Some("always"));
        request.cookies.push(("canary".into(), "never".into()));
        assert_eq!(request.cookie("canary").as_deref(), Some("never"));
    }

    #[test]
    fn the_host_name_drops_port_and_case() {
        let request = Request::get("Demoapp.Magedu.com:8080", "/");
        assert_eq!(request.host_name(), "demoapp.magedu.com");
        assert_eq!(Request::get("x", "/a?b=/c").route_path(), "/a");
    }
}
