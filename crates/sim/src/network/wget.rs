//! BusyBox's `wget` (1.36), the HTTP client of `busybox` and Alpine images: its options
//! (`-q`, `-O FILE`, `-T SEC`, `-U AGENT`, `--header`, `--post-data`, `--spider`) and
//! exactly what it prints. Like [`super::curl`], every request goes through
//! [`NetworkState::send`](super::NetworkState::send).
//!
//! Saving to a file is the caller's part (the file system belongs to the shell):
//! [`WgetOutput::save`] says which file gets which body; `-O -` writes to stdout.
//!
//! Not modelled: FTP, HTTPS, proxies, `-c`, `-P DIR`, redirects (no lab app redirects).

use super::curl::Output;
use super::http::{Headers, Request};
use super::{dns, Client, ClusterView, ConnectError, NetworkState};
use crate::clock::{Duration, Time};
use crate::rng::Rng;

/// BusyBox's default network timeout: 900 s.
const DEFAULT_TIMEOUT_SECS: i64 = 900;

/// How long one in-cluster request takes on the virtual clock.
const TRANSFER_MS: i64 = 1;

/// `wget` with no URL, or an option it does not know.
const USAGE: &str = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
\t[--post-data STR | --post-file FILE] [-Y on/off]
\t[-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

\t--spider\tOnly check URL existence: $? is 0 if exists
\t--header STR\tAdd STR (of form 'header: value') to headers
\t--post-data STR\tSend STR using POST method
\t--post-file FILE\tSend FILE using POST method
\t--no-check-certificate\tDon't validate the server's certificate
\t-c\t\tContinue retrieval of aborted transfer
\t-q\t\tQuiet
\t-P DIR\t\tSave to DIR (default .)
\t-S    \t\tShow server response
\t-T SEC\t\tNetwork read timeout is SEC seconds
\t-O FILE\t\tSave to FILE ('-' for stdout)
\t-o LOGFILE\tLog messages to FILE
\t-U STR\t\tUse STR for User-Agent header
\t-Y on/off\tUse proxy
";

/// A parsed command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WgetCommand {
    pub urls: Vec<String>,
    pub quiet: bool,
    pub spider: bool,
    /// `-S`: the response's status line and headers on stderr.
    pub server_response: bool,
    /// `-O FILE`; `-` is stdout.
    pub output: Option<String>,
    pub timeout_secs: Option<i64>,
    pub user_agent: Option<String>,
    pub headers: Vec<String>,
    pub post_data: Option<String>,
}

impl WgetCommand {
    /// BusyBox's getopt: bundled short options (`-qO-`, `-qO -`), long options with `=` or
    /// a separate argument. `None` when it would print its usage.
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Option<WgetCommand> {
        let mut cmd = WgetCommand::default();
        let mut words = args.iter().map(AsRef::as_ref);
        let mut only_urls = false;
        while let Some(word) = words.next() {
            if only_urls || !word.starts_with('-') || word == "-" {
                cmd.urls.push(word.to_string());
                continue;
            }
            if word == "--" {
                only_urls = true;
                continue;
            }
            if let Some(long) = word.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_string())),
                    None => (long, None),
                };
                let mut value = || inline.clone().or_else(|| words.next().map(str::to_string));
                match name {
                    "quiet" => cmd.quiet = true,
                    "spider" => cmd.spider = true,
                    "server-response" => cmd.server_response = true,
                    "output-document" => cmd.output = Some(value()?),
                    "user-agent" => cmd.user_agent = Some(value()?),
                    "header" => cmd.headers.push(value()?),
                    "post-data" => cmd.post_data = Some(value()?),
                    "timeout" => cmd.timeout_secs = Some(value()?.parse().ok()?),
                    "tries" | "directory-prefix" | "proxy" | "output-file" => {
                        value()?;
                    }
                    "continue"
                    | "no-check-certificate"
                    | "no-verbose"
                    | "no-cache"
                    | "no-clobber"
                    | "passive-ftp"
                    | "no-host-directories"
                    | "no-parent" => {}
                    _ => return None,
                }
                continue;
            }
            for (i, flag) in word[1..].char_indices() {
                let rest = &word[1 + i + flag.len_utf8()..];
                let mut value = || {
                    if rest.is_empty() {
                        words.next().map(str::to_string)
                    } else {
                        Some(rest.to_string())
                    }
                };
                match flag {
                    'q' => cmd.quiet = true,
                    'S' => cmd.server_response = true,
                    'c' => {}
                    's' => cmd.spider = true,
                    'O' => {
                        cmd.output = Some(value()?);
                        break;
                    }
                    'T' => {
                        cmd.timeout_secs = Some(value()?.parse().ok()?);
                        break;
                    }
                    'U' => {
                        cmd.user_agent = Some(value()?);
                        break;
                    }
                    'P' | 'Y' | 't' | 'o' => {
                        value()?;
                        break;
                    }
                    'n' => break,
                    _ => return None,
                }
            }
        }
        (!cmd.urls.is_empty()).then_some(cmd)
    }
}

/// Where the body of a download goes when it is not stdout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Save {
    pub path: String,
    pub body: String,
}

/// Everything one wget invocation did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WgetOutput {
    /// Output in the order wget wrote it (its messages around the body).
    pub chunks: Vec<Output>,
    pub exit_code: i32,
    pub elapsed: Duration,
    /// Files to write, in order.
    pub save: Vec<Save>,
}

impl WgetOutput {
    fn err(&mut self, text: impl Into<String>) {
        self.chunks.push(Output::Stderr(text.into()));
    }

    fn out(&mut self, text: impl Into<String>) {
        self.chunks.push(Output::Stdout(text.into()));
    }
}

/// Parses and runs a wget command line. `exists` tells whether a file already exists
/// (BusyBox refuses to overwrite one unless `-O` names it).
pub fn wget<S: AsRef<str>>(
    args: &[S],
    network: &mut NetworkState,
    cluster: &impl ClusterView,
    client: &Client,
    now: Time,
    rng: &mut Rng,
    exists: &dyn Fn(&str) -> bool,
) -> WgetOutput {
    let Some(cmd) = WgetCommand::parse(args) else {
        return WgetOutput {
            chunks: vec![Output::Stderr(USAGE.to_string())],
            exit_code: 1,
            ..WgetOutput::default()
        };
    };
    let mut output = WgetOutput::default();
    for url in &cmd.urls {
        let started = now + output.elapsed;
        if let Err(message) = download_one(
            &cmd,
            url,
            network,
            cluster,
            client,
            started,
            rng,
            exists,
            &mut output,
        ) {
            // bb_error_msg_and_die: the message, and wget is over.
            output.err(format!("wget: {message}\n"));
            output.exit_code = 1;
            break;
        }
    }
    output
}

/// A URL as BusyBox's `parse_url` reads it.
struct Target {
    host: String,
    port: u16,
    /// Without the leading `/`.
    path: String,
}

fn parse_target(url: &str) -> Result<Target, String> {
    let rest = if let Some(rest) = url.strip_prefix("http://") {
        rest
    } else if let Some((scheme, _)) = url.split_once("://") {
        return Err(format!("not an http or ftp url: {scheme}://"));
    } else {
        url
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (
            host,
            port.parse::<u16>()
                .map_err(|_| format!("bad port spec '{authority}'"))?,
        ),
        None => (authority, 80),
    };
    Ok(Target {
        host: host.to_string(),
        port,
        path: path.split('#').next().unwrap_or("").to_string(),
    })
}

#[allow(clippy::too_many_arguments)]
fn download_one(
    cmd: &WgetCommand,
    url: &str,
    network: &mut NetworkState,
    cluster: &impl ClusterView,
    client: &Client,
    now: Time,
    rng: &mut Rng,
    exists: &dyn Fn(&str) -> bool,
    output: &mut WgetOutput,
) -> Result<(), String> {
    let target = parse_target(url)?;
    let to_stdout = cmd.output.as_deref() == Some("-");
    let file = match &cmd.output {
        Some(name) => name.clone(),
        None => {
            let last = target.path.rsplit('/').next().unwrap_or("");
            let last = last.split('?').next().unwrap_or("");
            if last.is_empty() {
                "index.html".to_string()
            } else {
                last.to_string()
            }
        }
    };
    let ip = dns::resolve(cluster, client.namespace.as_deref(), &target.host, rng)
        .map_err(|_| format!("bad address '{}'", target.host))?;
    if !cmd.quiet {
        output.err(format!(
            "Connecting to {} ({ip}:{})\n",
            target.host, target.port
        ));
    }
    let mut headers = Headers::new();
    headers.push(
        "User-Agent",
        cmd.user_agent.clone().unwrap_or_else(|| "Wget".to_string()),
    );
    headers.push("Connection", "close");
    for line in &cmd.headers {
        if let Some((name, value)) = line.split_once(':') {
            headers.set(name.trim(), value.trim());
        }
    }
    let mut host = if target.port == 80 {
        target.host.clone()
    } else {
        format!("{}:{}", target.host, target.port)
    };
    if let Some(value) = headers.get("Host").map(str::to_string) {
        host = value;
        headers.remove("Host");
    }
    let body = cmd.post_data.clone().unwrap_or_default();
    if cmd.post_data.is_some() {
        headers.push("Content-Type", "application/x-www-form-urlencoded");
        headers.push("Content-Length", body.len().to_string());
    }
    let request = Request {
        method: if cmd.post_data.is_some() {
            "POST"
        } else {
            "GET"
        }
        .to_string(),
        host,
        path: format!("/{}", target.path),
        headers,
        cookies: Vec::new(),
        body,
        client_ip: client.ip.clone(),
    };
    let exchange = match network.send(cluster, &ip, target.port, request, now, rng) {
        Ok(exchange) => exchange,
        Err(ConnectError::Refused) => {
            return Err(format!(
                "can't connect to remote host ({ip}): Connection refused"
            ))
        }
        Err(ConnectError::EmptyReply) => return Err("error getting response".to_string()),
        Err(ConnectError::TimedOut) => {
            let secs = cmd.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS).max(0);
            output.elapsed = output.elapsed + Duration::from_secs(secs);
            return Err("download timed out".to_string());
        }
    };
    output.elapsed = output.elapsed + Duration(TRANSFER_MS);
    let response = exchange.response;
    if cmd.server_response {
        output.err(format!("  {}\n", response.status_line()));
        for (name, value) in response.headers.iter() {
            output.err(format!("  {name}: {value}\n"));
        }
    }
    if !matches!(response.status, 200..=204 | 300..=303) {
        return Err(format!("server returned error: {}", response.status_line()));
    }
    if cmd.spider {
        // `--spider` only asks; BusyBox says nothing more when quiet, "remote file exists"
        // otherwise.
        if !cmd.quiet {
            output.err("remote file exists\n");
        }
        return Ok(());
    }
    if !to_stdout && cmd.output.is_none() && exists(&file) {
        return Err(format!("can't open '{file}': File exists"));
    }
    if !cmd.quiet {
        if to_stdout {
            output.err("writing to stdout\n");
        } else {
            output.err(format!("saving to '{file}'\n"));
        }
    }
    if to_stdout {
        output.out(response.body.clone());
    } else {
        output.save.push(Save {
            path: file.clone(),
            body: response.body.clone(),
        });
    }
    if !cmd.quiet {
        // The progress bar's last state, once the body is in.
        let name = if to_stdout { "-" } else { file.as_str() };
        output.err(format!(
            "{name:<20.20}{:>4}% |********************************| {:>5}  0:00:00 ETA\n",
            100,
            response.body.len()
        ));
        if to_stdout {
            output.err("written to stdout\n");
        } else {
            output.err(format!("'{file}' saved\n"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::WgetCommand;

    #[test]
    fn bundled_and_long_options_parse_as_busybox_reads_them() {
        let cmd = WgetCommand::parse(&["-qO-", "http://web"]).unwrap();
        assert!(cmd.quiet);
        assert_eq!(cmd.output.as_deref(), Some("-"));
        assert_eq!(cmd.urls, ["http://web"]);
        let cmd = WgetCommand::parse(&["-q", "-O", "-", "web:8080/x", "-T", "2"]).unwrap();
        assert_eq!(cmd.output.as_deref(), Some("-"));
        assert_eq!(cmd.timeout_secs, Some(2));
        let cmd = WgetCommand::parse(&["--header=X-Canary: always", "--spider", "web"]).unwrap();
        assert_eq!(cmd.headers, ["X-Canary: always"]);
        assert!(cmd.spider);
        assert!(WgetCommand::parse::<&str>(&[]).is_none());
        assert!(WgetCommand::parse(&["-z", "web"]).is_none());
    }
}
