//! Just enough HTTP/1.1 for kubectl: one request at a time per connection (keep-alive),
//! `Content-Length` bodies, and chunked responses for watches. Every size is bounded, and
//! nothing here panics on what a client sends.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// The largest request line plus headers the server reads.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body (a manifest) the server accepts: the API server's own limit is
/// 3 MiB.
pub const MAX_BODY: usize = 3 * 1024 * 1024;

/// One request as read off the connection.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoded, without the query.
    pub path: String,
    /// The query's parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a list header (`Sec-WebSocket-Protocol`, `X-Stream-Protocol-Version`),
    /// over all its lines, comma-separated values split.
    pub fn header_list(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, value)| value.split(','))
            .map(str::trim)
            .collect()
    }

    /// The upgrade a streaming subresource needs (`websocket`, `SPDY/3.1`); the error if the
    /// request asks for none or another. `what` says in it what is served, and how.
    pub fn upgrade_to(&self, protocol: &str, what: &str) -> Result<(), crate::status::Status> {
        let upgrade = self.header("upgrade").unwrap_or_default();
        if upgrade.eq_ignore_ascii_case(protocol) {
            return Ok(());
        }
        Err(crate::status::Status::bad_request(if upgrade.is_empty() {
            "Upgrade request required".to_string()
        } else {
            format!("rollout-lab apiserver serves {what} only, not {upgrade}")
        }))
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The client closed the connection between requests.
    Closed,
    /// Not HTTP this server understands: answered with 400 and the connection closed.
    Malformed(&'static str),
    /// Head or body over the limits: answered with 413.
    TooLarge,
    Io(io::Error),
}

/// Reads the next request of a keep-alive connection.
pub fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Request, ReadError> {
    let mut head_len = 0;
    let mut line = String::new();
    let request_line = loop {
        line.clear();
        let n = read_line(reader, &mut line, &mut head_len)?;
        if n == 0 {
            return Err(ReadError::Closed);
        }
        if !line.trim().is_empty() {
            break line.trim_end().to_string();
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed("bad request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Malformed("not HTTP/1.x"));
    }
    let mut headers = Vec::new();
    loop {
        line.clear();
        if read_line(reader, &mut line, &mut head_len)? == 0 {
            return Err(ReadError::Malformed("connection closed in the headers"));
        }
        let text = line.trim_end();
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(ReadError::Malformed("bad header"));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        headers,
        ..Request::default()
    };
    if request
        .header("transfer-encoding")
        .is_some_and(|te| te.eq_ignore_ascii_case("chunked"))
    {
        return Err(ReadError::Malformed(
            "chunked request bodies are not supported",
        ));
    }
    let length = match request.header("content-length") {
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| ReadError::Malformed("bad Content-Length"))?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err(ReadError::TooLarge);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(ReadError::Io)?;
    request.body = body;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    request.path = percent_decode(path);
    request.query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&name.replace('+', " ")),
                percent_decode(&value.replace('+', " ")),
            )
        })
        .collect();
    Ok(request)
}

fn read_line(
    reader: &mut BufReader<TcpStream>,
    line: &mut String,
    head_len: &mut usize,
) -> Result<usize, ReadError> {
    let mut limited = reader.take((MAX_HEAD - *head_len) as u64 + 1);
    let n = limited.read_line(line).map_err(|err| match err.kind() {
        io::ErrorKind::InvalidData => ReadError::Malformed("not UTF-8"),
        _ => ReadError::Io(err),
    })?;
    *head_len += n;
    if *head_len > MAX_HEAD {
        return Err(ReadError::TooLarge);
    }
    Ok(n)
}

/// `%41` → `A`; invalid escapes stay as they are.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(a), Some(b)) if hex(a).is_some() && hex(b).is_some() => {
                let value = hex(a).unwrap_or(0) * 16 + hex(b).unwrap_or(0);
                out.push(value as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A whole response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// An entity tag (quoted), sent with `Vary: Accept`: a client's cache sends it back as
    /// `If-None-Match` and is answered 304 while the document is the same.
    pub etag: Option<String>,
}

impl Response {
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json",
            body: serde_json::to_vec(value).unwrap_or_default(),
            etag: None,
        }
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

pub fn write_response(stream: &mut impl Write, response: &Response) -> io::Result<()> {
    let etag = match &response.etag {
        Some(etag) => format!("ETag: {etag}\r\nVary: Accept\r\n"),
        None => String::new(),
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache, private\r\n{etag}\r\n",
        response.status,
        reason_phrase(response.status),
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body)?;
    stream.flush()
}

/// The head of a chunked stream (a watch).
pub fn write_stream_head(stream: &mut impl Write, content_type: &str) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache, private\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    stream.flush()
}

/// One chunk of a chunked stream; an empty one ends it.
pub fn write_chunk(stream: &mut impl Write, data: &[u8]) -> io::Result<()> {
    stream.write_all(format!("{:x}\r\n", data.len()).as_bytes())?;
    stream.write_all(data)?;
    stream.write_all(b"\r\n")?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_and_broken_ones_stay() {
        assert_eq!(percent_decode("metadata.name%3Dweb"), "metadata.name=web");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
