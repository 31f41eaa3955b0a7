//! What runs inside a container, decided by its image: which port it listens on and how it
//! answers. Only images the lessons use are modelled in detail; an image this table does not
//! know (busybox, admin-box, …) listens on nothing, so connecting to it is refused, which is
//! what a student would see from a container that serves no HTTP.

use super::demoapp::{self, DemoappState, ProbeResult};
use super::http::{http_date, Headers, Request, Response};
use super::rollouts_demo;
use crate::clock::Time;

/// The server programs the simulation knows how to imitate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum App {
    /// `ikubernetes/demoapp:<version>` on port 80.
    Demoapp { version: String },
    /// The official `nginx` image: the welcome page on `/`, 404 elsewhere.
    Nginx { version: String },
    /// `httpd`: Apache's one-line "It works!" page.
    Httpd,
    /// `argoproj/rollouts-demo:<tag>` on port 8080; the tag is the colour (`blue`, `bad-red`).
    RolloutsDemo { tag: String },
    /// The Argo Rollouts controller: `/healthz` on 8080, `/metrics` on 8090.
    ArgoRolloutsController,
    /// Anything else: no listening socket.
    Silent,
}

impl App {
    /// Reads the image reference: `[registry/][path/]name[:tag][@digest]`.
    pub fn from_image(image: &str) -> App {
        let name = image_name(image);
        let tag = image_tag(image);
        match name {
            "demoapp" => App::Demoapp {
                version: tag.to_string(),
            },
            "nginx" => App::Nginx {
                version: nginx_version(tag).to_string(),
            },
            "httpd" => App::Httpd,
            "rollouts-demo" => App::RolloutsDemo {
                tag: tag.to_string(),
            },
            "argo-rollouts" => App::ArgoRolloutsController,
            _ => App::Silent,
        }
    }

    /// Whether the process accepts connections on `port`. demoapp reads `PORT` from its
    /// environment (default 80); containers carry no env here, so it is always 80.
    /// rollouts-demo listens on 8080 (`--listen-addr`).
    pub fn listens_on(&self, port: u16) -> bool {
        match self {
            App::Silent => false,
            App::RolloutsDemo { .. } => port == rollouts_demo::PORT,
            App::ArgoRolloutsController => port == 8080 || port == 8090,
            _ => port == 80,
        }
    }

    /// The line this app writes to its log for a request it answered with `status`, if it
    /// logs requests (demoapp does, through Werkzeug; the others' logs are not modelled).
    pub fn request_log(&self, req: &Request, status: u16, now: Time) -> Option<String> {
        match self {
            App::Demoapp { .. } => Some(demoapp::request_log_line(
                &req.client_ip,
                &req.method,
                &req.path,
                status,
                now,
            )),
            _ => None,
        }
    }

    /// Answers a request that reached this container. `state` is the container's demoapp
    /// state; other apps keep none.
    pub fn serve(
        &self,
        state: &mut DemoappState,
        pod_name: &str,
        pod_ip: &str,
        req: &Request,
        now: Time,
    ) -> Response {
        match self {
            App::Demoapp { version } => demoapp::serve(state, version, pod_name, pod_ip, req, now),
            App::Nginx { version } => static_site(
                &format!("nginx/{version}"),
                NGINX_WELCOME,
                &format!("nginx/{version}"),
                req,
                now,
            ),
            App::Httpd => static_site("Apache/2.4.62 (Unix)", HTTPD_INDEX, "", req, now),
            App::RolloutsDemo { tag } => rollouts_demo::serve(tag, req, now),
            App::ArgoRolloutsController => controller_health(req, now),
            // Unreachable in practice: callers check `listens_on` first.
            App::Silent => nginx_error_page(502, "nginx", now),
        }
    }

    /// A kubelet `httpGet` probe: connection errors are reported like Go's `net/http`,
    /// status codes like `pkg/probe/http`.
    pub fn probe_http(
        &self,
        state: &DemoappState,
        pod_ip: &str,
        port: u16,
        path: &str,
    ) -> ProbeResult {
        if !self.listens_on(port) {
            return ProbeResult::Failure(format!(
                "Get \"http://{pod_ip}:{port}{path}\": dial tcp {pod_ip}:{port}: connect: connection refused"
            ));
        }
        match self {
            App::Demoapp { .. } => demoapp::probe_http(state, path),
            _ => {
                let mut scratch = state.clone();
                let response = self.serve(
                    &mut scratch,
                    "",
                    pod_ip,
                    &Request::get(pod_ip, path),
                    Time(0),
                );
                demoapp::probe_verdict(response.status)
            }
        }
    }

    /// A kubelet `tcpSocket` probe.
    pub fn probe_tcp(&self, pod_ip: &str, port: u16) -> ProbeResult {
        if self.listens_on(port) {
            ProbeResult::Success
        } else {
            ProbeResult::Failure(format!(
                "dial tcp {pod_ip}:{port}: connect: connection refused"
            ))
        }
    }
}

/// A controller's health endpoints (Go's net/http): `ok` on `/healthz` and `/metrics`, a
/// 404 elsewhere.
fn controller_health(req: &Request, now: Time) -> Response {
    let mut headers = Headers::new();
    headers.push("Content-Type", "text/plain; charset=utf-8");
    let (status, body) = match req.route_path() {
        "/healthz" | "/metrics" => (200, "ok".to_string()),
        _ => {
            headers.push("X-Content-Type-Options", "nosniff");
            (404, "404 page not found\n".to_string())
        }
    };
    rollouts_demo::go_response(status, headers, body, now)
}

/// `ikubernetes/demoapp:v1.1` → `demoapp`.
pub fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// `ikubernetes/demoapp:v1.1` → `v1.1`; no tag means `latest`. A registry port
/// (`registry:5000/demoapp`) is not a tag.
pub fn image_tag(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    match last.split_once(':') {
        Some((_, tag)) if !tag.is_empty() => tag,
        _ => "latest",
    }
}

/// nginx prints its full version in `Server` and on error pages. A tag like `1.25.3` is that
/// version; for floating tags (`latest`, `1.25`, `alpine`) we use the release that tag
/// pointed at when these notes were written.
fn nginx_version(tag: &str) -> &str {
    let numeric = tag.split('-').next().unwrap_or(tag);
    let parts: Vec<&str> = numeric.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        numeric
    } else {
        "1.27.3"
    }
}

/// A one-page static site: the index on `/` and `/index.html`, nginx-style 404 elsewhere.
fn static_site(
    server: &str,
    index: &str,
    error_footer: &str,
    req: &Request,
    now: Time,
) -> Response {
    let path = req.route_path();
    if path != "/" && path != "/index.html" {
        return nginx_error_page(404, error_footer, now);
    }
    let mut headers = Headers::new();
    headers.push("Server", server);
    headers.push("Date", http_date(now));
    headers.push("Content-Type", "text/html");
    headers.push("Content-Length", index.len().to_string());
    headers.push("Connection", "keep-alive");
    headers.push("Accept-Ranges", "bytes");
    let body = if req.method == "HEAD" {
        String::new()
    } else {
        index.to_string()
    };
    Response {
        version: "HTTP/1.1".to_string(),
        status: 200,
        reason: "OK".to_string(),
        headers,
        body,
    }
}

/// nginx's built-in error page. `footer` is `nginx/1.27.3` for the nginx image and plain
/// `nginx` for ingress-nginx (which hides its version).
pub fn nginx_error_page(status: u16, footer: &str, now: Time) -> Response {
    let title = format!("{status} {}", super::http::reason_phrase(status));
    let body = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>{footer}</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut headers = Headers::new();
    headers.push("Server", footer);
    headers.push("Date", http_date(now));
    headers.push("Content-Type", "text/html");
    headers.push("Content-Length", body.len().to_string());
    headers.push("Connection", "keep-alive");
    Response {
        version: "HTTP/1.1".to_string(),
        status,
        reason: super::http::reason_phrase(status).to_string(),
        headers,
        body,
    }
}

const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_comes_from_the_image_tag() {
        assert_eq!(
            App::from_image("ikubernetes/demoapp:v1.1"),
            App::Demoapp {
                version: "v1.1".into()
            }
        );
        assert_eq!(
            App::from_image(
                "registry.cn-hangzhou.aliyuncs.com/ikubernetes/demoapp:v1.2@sha256:abc"
            ),
            App::Demoapp {
                version: "v1.2".into()
            }
        );
        assert_eq!(image_tag("registry:5000/demoapp"), "latest");
        assert_eq!(
            App::from_image("nginx:1.25.3-alpine"),
            App::Nginx {
                version: "1.25.3".into()
            }
        );
        assert_eq!(App::from_image("ikubernetes/admin-box:v1.2"), App::Silent);
        assert_eq!(App::from_image(""), App::Silent);
    }

    #[test]
    fn nginx_serves_its_welcome_page_and_404s_other_paths() {
        let nginx = App::from_image("nginx:1.25.3");
        let mut state = DemoappState::default();
        let index = nginx.serve(
            &mut state,
            "web",
            "10.244.1.9",
            &Request::get("x", "/"),
            Time(0),
        );
        assert_eq!(index.status_line(), "HTTP/1.1 200 OK");
        assert!(index.body.contains("<h1>Welcome to nginx!</h1>"));
        assert_eq!(index.headers.get("Content-Length"), Some("615"));
        let missing = nginx.serve(
            &mut state,
            "web",
            "10.244.1.9",
            &Request::get("x", "/livez"),
            Time(0),
        );
        assert_eq!(missing.status_line(), "HTTP/1.1 404 Not Found");
        assert!(missing.body.contains("<hr><center>nginx/1.25.3</center>"));
    }

    #[test]
    fn probing_a_port_nobody_listens_on_is_connection_refused() {
        let app = App::from_image("ikubernetes/demoapp:v1.0");
        assert_eq!(
            app.probe_http(&DemoappState::default(), "10.244.1.5", 8080, "/livez"),
            ProbeResult::Failure(
                "Get \"http://10.244.1.5:8080/livez\": dial tcp 10.244.1.5:8080: connect: connection refused"
                    .into()
            )
        );
        assert_eq!(app.probe_tcp("10.244.1.5", 80), ProbeResult::Success);
        assert_eq!(
            App::from_image("nginx").probe_http(
                &DemoappState::default(),
                "10.244.1.5",
                80,
                "/livez"
            ),
            ProbeResult::Failure("HTTP probe failed with statuscode: 404".into())
        );
    }
}
