//! curl: its command line, and exactly what it prints.
//!
//! The wording is **curl 8.5** (Ubuntu 24.04's): `Failed to connect to … after 0 ms:
//! Couldn't connect to server` rather than 7.x's `… : Connection refused`. One version,
//! consistently; [`CURL_VERSION`] names it. Everything goes through
//! [`NetworkState::send`](super::NetworkState::send), so curl sees the same kube-proxy,
//! ingress and apps as the kubelet's probes.
//!
//! What is deliberately not modelled: files (`-o FILE` discards the body, `-b FILE` and
//! `-d @FILE` read nothing), TLS (`https://` connects to port 443, where no lesson app
//! listens), redirects (`-L` is accepted; nothing redirects), IPv6 and proxies.

use super::http::{parse_cookie_pairs, percent_encode, Headers, Request, Response};
use super::{dns, Client, ClusterView, ConnectError, NetworkState, Route};
use crate::clock::{Duration, Time};
use crate::rng::Rng;
use std::fmt;

/// The curl whose behaviour and wording are imitated.
pub const CURL_VERSION: &str = "8.5.0";

/// The kernel's connect timeout with `tcp_syn_retries = 6` (1+2+4+8+16+32+64 s): how long
/// curl hangs on an address nobody answers when no `-m`/`--connect-timeout` is given.
pub const KERNEL_CONNECT_TIMEOUT_MS: i64 = 127_000;

/// How long one in-cluster request takes on the virtual clock.
const TRANSFER_MS: i64 = 1;

const TRY_HELP: &str = "curl: try 'curl --help' or 'curl --manual' for more information";

/// A parsed curl command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CurlCommand {
    pub urls: Vec<String>,
    /// `-X`: sent verbatim, whatever the other options imply.
    pub method: Option<String>,
    /// `-H` lines, raw (`Host: x`, `X-Canary: always`, `Accept:` to remove one).
    pub headers: Vec<String>,
    /// `-d`/`--data*` pieces, joined with `&` like curl does.
    pub data: Vec<String>,
    /// `-I`: a HEAD request, headers printed instead of the body.
    pub head: bool,
    /// `-i`: headers printed before the body.
    pub include: bool,
    pub verbose: bool,
    /// `-s`: no progress meter, no error messages (unless `-S`).
    pub silent: bool,
    pub show_error: bool,
    /// `-f`: HTTP errors (≥ 400) print nothing and exit 22.
    pub fail: bool,
    /// `-o FILE`: the body goes there (nowhere, here) instead of stdout.
    pub output: Option<String>,
    /// `-w FORMAT`.
    pub write_out: Option<String>,
    /// `-b`/`--cookie` strings (`name=value; other=1`).
    pub cookies: Vec<String>,
    /// `-m`, in ms.
    pub max_time_ms: Option<i64>,
    /// `--connect-timeout`, in ms.
    pub connect_timeout_ms: Option<i64>,
    /// `-A`.
    pub user_agent: Option<String>,
    /// `--resolve host:port:addr` entries.
    pub resolve: Vec<(String, u16, String)>,
    /// The first `--resolve` entry curl cannot parse: the transfer fails with exit 49.
    pub bad_resolve: Option<String>,
    /// `-V`.
    pub version: bool,
    /// `-h`.
    pub help: bool,
    /// Whether stdout is a terminal. The shell clears it when curl's output is piped or
    /// redirected; curl then shows its progress meter (unless `-s`).
    pub stdout_is_terminal: bool,
}

/// A command line curl refuses before doing anything (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UsageError {
    UnknownOption(String),
    MissingParameter(String),
    NotANumber(String),
    NoUrl,
    /// `-d` together with `-I`.
    TwoMethods,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::UnknownOption(option) => {
                write!(f, "curl: option {option}: is unknown\n{TRY_HELP}")
            }
            UsageError::MissingParameter(option) => {
                write!(f, "curl: option {option}: requires parameter\n{TRY_HELP}")
            }
            UsageError::NotANumber(option) => {
                write!(f, "curl: option {option}: expected a proper numerical parameter\n{TRY_HELP}")
            }
            UsageError::NoUrl => write!(f, "curl: no URL specified!\n{TRY_HELP}"),
            UsageError::TwoMethods => write!(
                f,
                "Warning: You can only select one HTTP request method! You asked for both POST \nWarning: (-d, --data) and HEAD (-I, --head)."
            ),
        }
    }
}

impl std::error::Error for UsageError {}

/// Options without a parameter: short letter, long name.
const FLAGS: &[(char, &str)] = &[
    ('s', "silent"),
    ('S', "show-error"),
    ('v', "verbose"),
    ('I', "head"),
    ('i', "include"),
    ('f', "fail"),
    ('L', "location"),
    ('k', "insecure"),
    ('4', "ipv4"),
    ('6', "ipv6"),
    ('N', "no-buffer"),
    ('g', "globoff"),
    ('#', "progress-bar"),
    ('V', "version"),
    ('h', "help"),
    ('\0', "compressed"),
    ('\0', "http1.0"),
    ('\0', "http1.1"),
    ('\0', "no-keepalive"),
];

/// Options that take a parameter.
const WITH_PARAMETER: &[(char, &str)] = &[
    ('H', "header"),
    ('X', "request"),
    ('d', "data"),
    ('\0', "data-raw"),
    ('\0', "data-ascii"),
    ('\0', "data-binary"),
    ('\0', "data-urlencode"),
    ('o', "output"),
    ('w', "write-out"),
    ('b', "cookie"),
    ('m', "max-time"),
    ('\0', "connect-timeout"),
    ('A', "user-agent"),
    ('e', "referer"),
    ('\0', "resolve"),
    ('\0', "url"),
    ('u', "user"),
    ('x', "proxy"),
    ('c', "cookie-jar"),
    ('D', "dump-header"),
    ('\0', "retry"),
];

impl CurlCommand {
    /// Parses curl's arguments (without the leading `curl`), already split into words by
    /// the shell.
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<CurlCommand, UsageError> {
        let mut cmd = CurlCommand {
            stdout_is_terminal: true,
            ..CurlCommand::default()
        };
        let mut words = args.iter().map(AsRef::as_ref);
        let mut only_urls = false;
        while let Some(word) = words.next() {
            // A lone `-` is an option to curl, and an unknown one ("option -: is unknown").
            if only_urls || !word.starts_with('-') {
                cmd.urls.push(word.to_string());
                continue;
            }
            if word == "--" {
                only_urls = true;
                continue;
            }
            if let Some(long) = word.strip_prefix("--") {
                if FLAGS.iter().any(|(_, name)| *name == long) {
                    cmd.flag(long);
                } else if WITH_PARAMETER.iter().any(|(_, name)| *name == long) {
                    let value = words
                        .next()
                        .ok_or_else(|| UsageError::MissingParameter(word.to_string()))?;
                    cmd.option(long, word, value)?;
                } else {
                    return Err(UsageError::UnknownOption(word.to_string()));
                }
                continue;
            }
            // A cluster of short options: `-sS`, `-sI`, `-XPOST`, `-o/dev/null`.
            let letters: Vec<char> = word.chars().skip(1).collect();
            for (i, letter) in letters.iter().enumerate() {
                if let Some((_, name)) = FLAGS.iter().find(|(c, _)| c == letter) {
                    cmd.flag(name);
                } else if let Some((_, name)) = WITH_PARAMETER.iter().find(|(c, _)| c == letter) {
                    let rest: String = letters[i + 1..].iter().collect();
                    let option = format!("-{letter}");
                    let value = if rest.is_empty() {
                        words
                            .next()
                            .ok_or_else(|| UsageError::MissingParameter(option.clone()))?
                            .to_string()
                    } else {
                        rest
                    };
                    cmd.option(name, &option, &value)?;
                    break;
                } else {
                    return Err(UsageError::UnknownOption(word.to_string()));
                }
            }
        }
        if cmd.head && !cmd.data.is_empty() {
            return Err(UsageError::TwoMethods);
        }
        if cmd.urls.is_empty() && !cmd.version && !cmd.help {
            return Err(UsageError::NoUrl);
        }
        Ok(cmd)
    }

    fn flag(&mut self, name: &str) {
        match name {
            "silent" => self.silent = true,
            "show-error" => self.show_error = true,
            "verbose" => self.verbose = true,
            "head" => self.head = true,
            "include" => self.include = true,
            "fail" => self.fail = true,
            "version" => self.version = true,
            "help" => self.help = true,
            _ => {}
        }
    }

    fn option(&mut self, name: &str, spelled: &str, value: &str) -> Result<(), UsageError> {
        let millis = |value: &str| {
            value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e12)
                .map(|s| (s * 1000.0) as i64)
                .ok_or_else(|| UsageError::NotANumber(spelled.to_string()))
        };
        match name {
            "header" => self.headers.push(value.to_string()),
            "request" => self.method = Some(value.to_string()),
            "data" | "data-ascii" | "data-binary" | "data-raw" => self.data.push(value.to_string()),
            "data-urlencode" => self.data.push(match value.split_once('=') {
                Some((name, content)) => format!("{name}={}", percent_encode(content)),
                None => percent_encode(value),
            }),
            "output" => self.output = Some(value.to_string()),
            "write-out" => self.write_out = Some(value.to_string()),
            "cookie" => self.cookies.push(value.to_string()),
            "max-time" => self.max_time_ms = Some(millis(value)?),
            "connect-timeout" => self.connect_timeout_ms = Some(millis(value)?),
            "user-agent" => self.user_agent = Some(value.to_string()),
            "referer" => self.headers.push(format!("Referer: {value}")),
            "url" => self.urls.push(value.to_string()),
            "dump-header" if value == "-" => self.include = true,
            "resolve" => {
                // `-HOST:PORT` removes an entry; `+HOST:…` only delays it.
                if value.starts_with('-') {
                    return Ok(());
                }
                let mut parts = value.trim_start_matches('+').splitn(3, ':');
                match (parts.next(), parts.next().map(str::parse), parts.next()) {
                    (Some(host), Some(Ok(port)), Some(addr)) if !host.is_empty() => self
                        .resolve
                        .push((host.to_ascii_lowercase(), port, addr.to_string())),
                    _ => {
                        self.bad_resolve.get_or_insert_with(|| value.to_string());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Where a piece of curl's output went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Stdout(String),
    Stderr(String),
}

/// Everything one curl invocation did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CurlOutput {
    /// Output in the order curl wrote it (verbose lines and body interleave).
    pub chunks: Vec<Output>,
    pub exit_code: i32,
    /// Virtual time curl took: 1 ms per answered request, the whole timeout when an
    /// address never answers. The shell advances the clock by it.
    pub elapsed: Duration,
    /// How each request travelled (one per URL that connected).
    pub routes: Vec<Route>,
}

impl CurlOutput {
    pub fn stdout(&self) -> String {
        self.stream(true)
    }

    pub fn stderr(&self) -> String {
        self.stream(false)
    }

    /// stdout and stderr interleaved, as a terminal shows them.
    pub fn combined(&self) -> String {
        self.chunks
            .iter()
            .map(|c| match c {
                Output::Stdout(s) | Output::Stderr(s) => s.as_str(),
            })
            .collect()
    }

    fn stream(&self, stdout: bool) -> String {
        self.chunks
            .iter()
            .filter_map(|c| match c {
                Output::Stdout(s) if stdout => Some(s.as_str()),
                Output::Stderr(s) if !stdout => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    fn out(&mut self, text: impl Into<String>) {
        push_chunk(&mut self.chunks, true, text.into());
    }

    fn err(&mut self, text: impl Into<String>) {
        push_chunk(&mut self.chunks, false, text.into());
    }
}

fn push_chunk(chunks: &mut Vec<Output>, stdout: bool, text: String) {
    if text.is_empty() {
        return;
    }
    match (chunks.last_mut(), stdout) {
        (Some(Output::Stdout(last)), true) | (Some(Output::Stderr(last)), false) => {
            last.push_str(&text)
        }
        _ => chunks.push(if stdout {
            Output::Stdout(text)
        } else {
            Output::Stderr(text)
        }),
    }
}

/// Parses and runs a curl command line: the shell's entry point.
pub fn curl<S: AsRef<str>>(
    args: &[S],
    network: &mut NetworkState,
    cluster: &impl ClusterView,
    client: &Client,
    now: Time,
    rng: &mut Rng,
) -> CurlOutput {
    match CurlCommand::parse(args) {
        Ok(cmd) => run(&cmd, network, cluster, client, now, rng),
        Err(error) => {
            let mut output = CurlOutput {
                exit_code: 2,
                ..CurlOutput::default()
            };
            output.err(format!("{error}\n"));
            output
        }
    }
}

/// A transfer that failed: curl's exit code and message.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Failure {
    code: i32,
    message: String,
}

impl Failure {
    fn new(code: i32, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

/// A URL as curl understands it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Url {
    scheme: String,
    host: String,
    port: u16,
    /// Path and query, starting with `/`.
    path: String,
    default_port: bool,
}

impl Url {
    fn effective(&self) -> String {
        if self.default_port {
            format!("{}://{}{}", self.scheme, self.host, self.path)
        } else {
            format!("{}://{}:{}{}", self.scheme, self.host, self.port, self.path)
        }
    }
}

fn parse_url(text: &str) -> Result<Url, Failure> {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Failure::new(
            3,
            "URL rejected: Malformed input to a URL function",
        ));
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("http".to_string(), text),
    };
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => {
            return Err(Failure::new(
                1,
                format!("Protocol \"{scheme}\" not supported"),
            ))
        }
    };
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, "")) => (host, default_port),
        Some((host, port)) => {
            let port = port
                .parse::<u16>()
                .ok()
                .filter(|_| port.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    Failure::new(
                        3,
                        "URL rejected: Port number was not a decimal number between 0 and 65535",
                    )
                })?;
            (host, port)
        }
        None => (authority, default_port),
    };
    if host.is_empty() {
        return Err(Failure::new(3, "URL rejected: No host part in the URL"));
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err(Failure::new(3, "URL rejected: Bad hostname"));
    }
    let without_fragment = tail.split('#').next().unwrap_or("");
    let path = if without_fragment.starts_with('/') {
        without_fragment.to_string()
    } else {
        format!("/{without_fragment}")
    };
    Ok(Url {
        scheme,
        host: host.to_string(),
        port,
        path,
        default_port: port == default_port,
    })
}

/// Runs a parsed command.
pub fn run(
    cmd: &CurlCommand,
    network: &mut NetworkState,
    cluster: &impl ClusterView,
    client: &Client,
    now: Time,
    rng: &mut Rng,
) -> CurlOutput {
    let mut output = CurlOutput::default();
    if cmd.help {
        output.out(HELP);
        return output;
    }
    if cmd.version {
        output.out(VERSION);
        return output;
    }
    if let Some(entry) = &cmd.bad_resolve {
        // libcurl refuses the option before any transfer (CURLE_SETOPT_OPTION_SYNTAX).
        output.exit_code = 49;
        if !cmd.silent || cmd.show_error {
            output.err(format!(
                "curl: (49) Couldn't parse CURLOPT_RESOLVE entry '{entry}'\n"
            ));
        }
        return output;
    }
    for url in &cmd.urls {
        let started = now + output.elapsed;
        let mut transfer = Transfer::default();
        let result = transfer_one(
            cmd,
            url,
            network,
            cluster,
            client,
            started,
            rng,
            &mut output,
            &mut transfer,
        );
        output.elapsed = output.elapsed + Duration::from_millis(transfer.elapsed_ms);
        let shows_meter = !cmd.silent && (cmd.output.is_some() || !cmd.stdout_is_terminal);
        if shows_meter {
            output.err(progress_meter(&transfer, cmd.data.join("&").len()));
        }
        output.exit_code = match &result {
            Ok(()) => 0,
            Err(failure) => failure.code,
        };
        if let Err(failure) = &result {
            if !cmd.silent || cmd.show_error {
                output.err(format!("curl: ({}) {}\n", failure.code, failure.message));
            }
        }
        if let Some(format) = &cmd.write_out {
            let (text, warnings) =
                write_out(format, &transfer, output.exit_code, result.as_ref().err());
            output.out(text);
            for warning in warnings {
                output.err(warning);
            }
        }
    }
    output
}

/// What `-w` and the progress meter report about one transfer.
#[derive(Clone, Debug, Default)]
struct Transfer {
    url_effective: String,
    method: String,
    remote_ip: String,
    remote_port: u16,
    response: Option<Response>,
    elapsed_ms: i64,
}

#[allow(clippy::too_many_arguments)]
fn transfer_one(
    cmd: &CurlCommand,
    url_text: &str,
    network: &mut NetworkState,
    cluster: &impl ClusterView,
    client: &Client,
    now: Time,
    rng: &mut Rng,
    output: &mut CurlOutput,
    transfer: &mut Transfer,
) -> Result<(), Failure> {
    let url = parse_url(url_text)?;
    let mut request = build_request(cmd, &url);
    request.client_ip = client.ip.clone();
    transfer.url_effective = url.effective();
    transfer.method = request.method.clone();

    let host_key = url.host.to_ascii_lowercase();
    let pinned = cmd
        .resolve
        .iter()
        .find(|(host, port, _)| *host == host_key && *port == url.port)
        .map(|(_, _, addr)| addr.clone());
    let ip = match pinned {
        Some(ip) => ip,
        None => dns::resolve(cluster, client.namespace.as_deref(), &url.host, rng)
            .map_err(|e| Failure::new(6, e.to_string()))?,
    };
    if cmd.verbose {
        output.err(format!("*   Trying {ip}:{}...\n", url.port));
    }
    let sent = network.send(cluster, &ip, url.port, request.clone(), now, rng);
    let exchange = match sent {
        Ok(exchange) => exchange,
        Err(ConnectError::Refused) => {
            return Err(Failure::new(
                7,
                format!(
                    "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                    url.host, url.port
                ),
            ))
        }
        Err(ConnectError::EmptyReply) => {
            return Err(Failure::new(52, "Empty reply from server".to_string()))
        }
        Err(ConnectError::TimedOut) => {
            let limit = [cmd.max_time_ms, cmd.connect_timeout_ms]
                .into_iter()
                .flatten()
                .min();
            return Err(match limit {
                Some(limit) => {
                    transfer.elapsed_ms = limit.saturating_add(1);
                    Failure::new(
                        28,
                        format!(
                            "Failed to connect to {} port {} after {} ms: Timeout was reached",
                            url.host, url.port, transfer.elapsed_ms
                        ),
                    )
                }
                None => {
                    transfer.elapsed_ms = KERNEL_CONNECT_TIMEOUT_MS;
                    Failure::new(
                        7,
                        format!("Failed to connect to {} port {} after {KERNEL_CONNECT_TIMEOUT_MS} ms: Couldn't connect to server", url.host, url.port),
                    )
                }
            });
        }
    };
    transfer.elapsed_ms = TRANSFER_MS;
    transfer.remote_ip = ip.clone();
    transfer.remote_port = url.port;
    output.routes.push(exchange.route);
    let response = exchange.response;

    if cmd.verbose {
        output.err(format!(
            "* Connected to {} ({ip}) port {}\n",
            url.host, url.port
        ));
        output.err(request_lines(&request));
        if response.version == "HTTP/1.0" {
            output.err("* HTTP 1.0, assume close after body\n");
        }
        output.err(header_block(&response, "< "));
    }
    let failed = cmd.fail && response.status >= 400;
    if (cmd.include || cmd.head) && !failed {
        output.out(header_block(&response, ""));
    }
    if !failed && cmd.output.is_none() && !cmd.head {
        output.out(response.body.clone());
    }
    if cmd.verbose {
        if response.version == "HTTP/1.0" {
            output.err("* Closing connection\n");
        } else {
            output.err(format!(
                "* Connection #0 to host {} left intact\n",
                url.host
            ));
        }
    }
    let status = response.status;
    transfer.response = Some(response);
    if failed {
        return Err(Failure::new(
            22,
            format!("The requested URL returned error: {status}"),
        ));
    }
    Ok(())
}

/// The request curl sends: its own `Host`, `User-Agent`, `Accept`, then `-H` lines (which
/// replace or, with an empty value, remove curl's own), then the body headers.
fn build_request(cmd: &CurlCommand, url: &Url) -> Request {
    let method = match &cmd.method {
        Some(method) => method.clone(),
        None if cmd.head => "HEAD".to_string(),
        None if !cmd.data.is_empty() => "POST".to_string(),
        None => "GET".to_string(),
    };
    let mut host = if url.default_port {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    };
    let mut headers = Headers::new();
    headers.push(
        "User-Agent",
        cmd.user_agent
            .clone()
            .unwrap_or_else(|| format!("curl/{CURL_VERSION}")),
    );
    headers.push("Accept", "*/*");
    let cookies: Vec<(String, String)> = cmd
        .cookies
        .iter()
        .flat_map(|c| parse_cookie_pairs(c))
        .collect();
    if !cookies.is_empty() {
        let line: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        headers.push("Cookie", line.join("; "));
    }
    let body = cmd.data.join("&");
    if !cmd.data.is_empty() {
        headers.push("Content-Length", body.len().to_string());
        headers.push("Content-Type", "application/x-www-form-urlencoded");
    }
    for line in &cmd.headers {
        if let Some((name, value)) = line.split_once(':') {
            let (name, value) = (name.trim(), value.trim());
            if name.eq_ignore_ascii_case("Host") {
                if !value.is_empty() {
                    host = value.to_string();
                }
            } else if value.is_empty() {
                headers.remove(name);
            } else if headers.get(name).is_some() {
                headers.set(name, value);
            } else {
                headers.push(name, value);
            }
        } else if let Some(name) = line.strip_suffix(';') {
            headers.push(name.trim(), "");
        }
    }
    Request {
        method,
        host,
        path: url.path.clone(),
        headers,
        cookies: Vec::new(),
        body,
        client_ip: String::new(),
    }
}

/// `-v`'s request block.
fn request_lines(request: &Request) -> String {
    let mut text = format!(
        "> {} {} HTTP/1.1\n> Host: {}\n",
        request.method, request.path, request.host
    );
    for (name, value) in request.headers.iter() {
        text.push_str(&format!("> {name}: {value}\n"));
    }
    text.push_str("> \n");
    text
}

/// The status line and headers, each line prefixed (`< ` for `-v`), and the blank line.
fn header_block(response: &Response, prefix: &str) -> String {
    let mut text = format!("{prefix}{}\n", response.status_line());
    for (name, value) in response.headers.iter() {
        text.push_str(&format!("{prefix}{name}: {value}\n"));
    }
    text.push_str(prefix.trim_end());
    if !prefix.is_empty() {
        text.push(' ');
    }
    text.push('\n');
    text
}

/// curl's `max5data`: a size or speed in five columns.
fn max5(bytes: i64) -> String {
    const K: i64 = 1024;
    const M: i64 = 1024 * 1024;
    if bytes < 100_000 {
        format!("{bytes:>5}")
    } else if bytes < 10_000 * K {
        format!("{:>4}k", bytes / K)
    } else if bytes < 100 * M {
        format!("{:>2}.{}M", bytes / M, (bytes % M) / (M / 10))
    } else {
        format!("{:>4}M", bytes / M)
    }
}

/// The meter curl draws on stderr when its output is not a terminal; only its final state
/// is kept (the earlier ones are overwritten with `\r` on a real terminal).
fn progress_meter(transfer: &Transfer, uploaded: usize) -> String {
    let received = transfer.response.as_ref().map_or(0, |r| r.body.len()) as i64;
    let uploaded = if transfer.response.is_some() {
        uploaded as i64
    } else {
        0
    };
    let seconds = transfer.elapsed_ms.max(1);
    let speed = |bytes: i64| bytes.saturating_mul(1000) / seconds;
    let percent = |bytes: i64| if bytes > 0 { 100 } else { 0 };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n{:>3} {}  {:>3} {}  {:>3} {}  {}  {} --:--:-- --:--:-- --:--:-- {}\n",
        percent(received),
        max5(received),
        percent(received),
        max5(received),
        percent(uploaded),
        max5(uploaded),
        max5(speed(received)),
        max5(speed(uploaded)),
        max5(speed(received)),
    )
}

/// Expands a `-w` format. Returns the text and any warnings for stderr.
fn write_out(
    format: &str,
    transfer: &Transfer,
    exit_code: i32,
    failure: Option<&Failure>,
) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut warnings = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => text.push('\n'),
                Some('r') => text.push('\r'),
                Some('t') => text.push('\t'),
                Some('\\') => text.push('\\'),
                Some(other) => {
                    text.push('\\');
                    text.push(other);
                }
                None => text.push('\\'),
            },
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                text.push('%');
            }
            '%' if chars.peek() == Some(&'{') => {
                chars.next();
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                match variable(&name, transfer, exit_code, failure) {
                    Some(value) => text.push_str(&value),
                    None => {
                        warnings.push(format!("curl: unknown --write-out variable: '{name}'\n"))
                    }
                }
            }
            c => text.push(c),
        }
    }
    (text, warnings)
}

fn variable(
    name: &str,
    transfer: &Transfer,
    exit_code: i32,
    failure: Option<&Failure>,
) -> Option<String> {
    let response = transfer.response.as_ref();
    let seconds = format!("{:.6}", transfer.elapsed_ms as f64 / 1000.0);
    Some(match name {
        "http_code" | "response_code" => format!("{:03}", response.map_or(0, |r| r.status)),
        "remote_ip" => transfer.remote_ip.clone(),
        "remote_port" => {
            if transfer.remote_port == 0 {
                String::new()
            } else {
                transfer.remote_port.to_string()
            }
        }
        "size_download" => response.map_or(0, |r| r.body.len()).to_string(),
        "content_type" => response
            .and_then(|r| r.headers.get("Content-Type"))
            .unwrap_or("")
            .to_string(),
        "http_version" => response
            .map_or("0", |r| r.version.trim_start_matches("HTTP/"))
            .to_string(),
        "method" => transfer.method.clone(),
        "url_effective" | "url" => transfer.url_effective.clone(),
        "num_connects" => u8::from(response.is_some()).to_string(),
        "exitcode" => exit_code.to_string(),
        "errormsg" => failure.map(|f| f.message.clone()).unwrap_or_default(),
        "time_total" | "time_connect" | "time_starttransfer" => seconds,
        "time_namelookup" => "0.000000".to_string(),
        _ => return None,
    })
}

/// Splits a command line into words like a POSIX shell: `'…'` literal, `"…"` with `\`
/// escapes, `\x` outside quotes. For callers without their own tokenizer (and tests).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unexpected EOF while looking for matching `''".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => {
                                return Err("unexpected EOF while looking for matching `\"'".into())
                            }
                        },
                        Some(c) => word.push(c),
                        None => return Err("unexpected EOF while looking for matching `\"'".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

const HELP: &str = "Usage: curl [options...] <url>
 -d, --data <data>          HTTP POST data
 -f, --fail                 Fail fast with no output on HTTP errors
 -h, --help <category>      Get help for commands
 -i, --include              Include protocol response headers in the output
 -o, --output <file>        Write to file instead of stdout
 -O, --remote-name          Write output to a file named as the remote file
 -s, --silent               Silent mode
 -T, --upload-file <file>   Transfer local FILE to destination
 -u, --user <user:password> Server user and password
 -A, --user-agent <name>    Send User-Agent <name> to server
 -v, --verbose              Make the operation more talkative
 -V, --version              Show version number and quit

This is not the full help, this menu is stripped into categories.
Use \"--help category\" to get an overview of all categories.
For all options use the manual or \"--help all\".
";

const VERSION: &str = "curl 8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0 OpenSSL/3.0.13 zlib/1.3 brotli/1.1.0 zstd/1.5.5 libidn2/2.3.7 libpsl/0.21.2 (+libidn2/2.3.7) libssh/0.10.6/openssl/zlib nghttp2/1.59.0 librtmp/2.3 OpenLDAP/2.6.7
Release-Date: 2023-12-06, security patched: 8.5.0-2ubuntu10.6
Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp
Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd
";
