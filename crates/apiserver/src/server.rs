//! The server loop. The lab (which is not `Send`: its objects are shared through `Rc`) lives
//! on the thread that calls [`serve`]; one thread per connection reads requests and hands
//! them over a channel, and writes back what comes back — a whole response, or a watch's
//! stream. Between requests the loop moves the virtual clock if `--speed` asks it to follow
//! the wall clock; the simulation itself never reads a wall clock.

use crate::api::{self, Target};
use crate::discovery;
use crate::exec;
use crate::history::{self, History};
use crate::http::{self, ReadError, Request, Response};
use crate::port_forward;
use crate::status::Status;
use crate::watch::{Watcher, MAX_WATCHERS};
use rollout_kubectl::cmd::logs::LogFollow;
use rollout_kubectl::lab::{Lab, Ran};
use rollout_sim::clock::Duration;
use std::io::{BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Instant;

/// What the server answers a request with.
pub enum Reply {
    Whole(Response),
    /// A watch: the stream's content type and its lines as they come.
    Stream(&'static str, Receiver<Vec<u8>>),
    /// An exec to upgrade to a WebSocket, whose line the connection sends back as
    /// [`Job::Exec`].
    Exec(Box<exec::Plan>),
    /// A port-forward to upgrade to SPDY, whose questions the connection sends back as
    /// [`Job::Forward`].
    PortForward(port_forward::Plan),
}

/// A response to an `autoscaling/v1` path, its HorizontalPodAutoscalers converted.
fn v1_response(response: Response) -> Response {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
        return response;
    };
    crate::convert::to_v1(&mut value);
    Response {
        content_type: response.content_type,
        ..Response::json(response.status, &value)
    }
}

/// Work handed from a connection to the lab's thread, with where to send the answer.
enum Job {
    Request {
        request: Request,
        reply: Sender<Reply>,
    },
    /// An upgraded exec's `kubectl exec` line, for the lab's shell.
    Exec { line: String, reply: Sender<Ran> },
    /// A port-forward's question about its pod, for the lab.
    Forward {
        plan: port_forward::Plan,
        ask: port_forward::Ask,
        reply: Sender<port_forward::Answer>,
    },
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// Only loopback addresses are served: the lab has no authentication.
    NotLoopback(IpAddr),
    Bind(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::NotLoopback(ip) => write!(
                f,
                "refusing to listen on {ip}: the lab's API server has no authentication and listens on loopback only"
            ),
            ServeError::Bind(err) => write!(f, "cannot listen: {err}"),
        }
    }
}

/// A bound listener, not yet serving.
pub struct Bound {
    listener: TcpListener,
    pub address: SocketAddr,
}

/// Binds `ip:port` (port 0: any free port), loopback only.
pub fn bind(ip: IpAddr, port: u16) -> Result<Bound, ServeError> {
    if !ip.is_loopback() {
        return Err(ServeError::NotLoopback(ip));
    }
    let listener = TcpListener::bind((ip, port)).map_err(ServeError::Bind)?;
    let address = listener.local_addr().map_err(ServeError::Bind)?;
    Ok(Bound { listener, address })
}

/// The lab as an API server.
pub struct Server {
    pub lab: Lab,
    address: String,
    watchers: Vec<Watcher>,
    /// `pods/NAME/log?follow=true` streams, sent what their container writes.
    followers: Vec<(LogFollow, Sender<Vec<u8>>)>,
    /// The recent states of the cluster, for watches from a resourceVersion.
    history: History,
    /// Virtual seconds per wall-clock second; 0: the clock moves only when asked.
    speed: f64,
}

impl Server {
    pub fn new(lab: Lab, address: SocketAddr, speed: f64) -> Server {
        Server {
            history: History::new(&lab.host.cluster),
            lab,
            address: address.to_string(),
            watchers: Vec::new(),
            followers: Vec::new(),
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                0.0
            },
        }
    }

    /// Answers one request. Timestamps in what it sends are mapped onto the wall clock
    /// ([`crate::wall`]), except the lab's own endpoints, which speak virtual time.
    pub fn handle(&mut self, request: &Request) -> Reply {
        let outcome = self.answer(request);
        if request.method != "GET" {
            self.notify();
        }
        match outcome {
            // The lab's own endpoints speak virtual time; the schemas carry no timestamps
            // (and `/openapi/v2` may be protobuf, with an entity tag to keep).
            Ok(Reply::Whole(response))
                if !request.path.starts_with("/lab/") && !request.path.starts_with("/openapi/") =>
            {
                Reply::Whole(self.on_wall_clock(response))
            }
            Ok(reply) => reply,
            Err(status) => Reply::Whole(Response::json(status.code, &status.to_value())),
        }
    }

    fn on_wall_clock(&self, response: Response) -> Response {
        let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
            return response;
        };
        crate::wall::shift_timestamps(&mut value, crate::wall::shift_seconds(self.lab.now()));
        Response {
            content_type: response.content_type,
            ..Response::json(response.status, &value)
        }
    }

    fn answer(&mut self, request: &Request) -> Result<Reply, Status> {
        if let Some(lab_path) = request.path.strip_prefix("/lab/") {
            return self.lab_endpoint(request, lab_path).map(Reply::Whole);
        }
        if request.path.trim_end_matches('/') == "/openapi/v2" {
            return crate::openapi::v2_response(&self.lab.host.cluster, request).map(Reply::Whole);
        }
        if let Some(rest) = request.path.strip_prefix("/openapi/v3") {
            let cluster = &self.lab.host.cluster;
            let document = match rest.trim_matches('/') {
                "" => Some(crate::openapi::root(cluster)),
                path => crate::openapi::group_version(cluster, path),
            };
            return document
                .map(|doc| Reply::Whole(Response::json(200, &doc)))
                .ok_or_else(|| Status::not_found_path(&request.path));
        }
        let cluster = &mut self.lab.host.cluster;
        if let Some(answer) = crate::metrics::answer(cluster, request) {
            return answer.map(Reply::Whole);
        }
        if request.path.starts_with(crate::convert::V1_PREFIX) {
            // An autoscaling/v1 HorizontalPodAutoscaler: served from the v2 objects.
            let reply = self.answer_v2(request)?;
            return Ok(match reply {
                Reply::Whole(response) => Reply::Whole(v1_response(response)),
                other => other,
            });
        }
        self.answer_v2(request)
    }

    fn answer_v2(&mut self, request: &Request) -> Result<Reply, Status> {
        let cluster = &mut self.lab.host.cluster;
        let target = api::route(cluster, &request.path)?;
        let method = request.method.as_str();
        let whole = |response: Result<Response, Status>| response.map(Reply::Whole);
        if let (Target::CoreVersions | Target::Groups, "GET") = (&target, method) {
            if let Some(version) = request
                .header("accept")
                .and_then(discovery::aggregated_version)
            {
                let core = matches!(target, Target::CoreVersions);
                let list = discovery::aggregated(cluster, core, version);
                return Ok(Reply::Whole(Response {
                    content_type: discovery::aggregated_content_type(version),
                    ..Response::json(200, &list)
                }));
            }
        }
        match (target, method) {
            (Target::Version, "GET") => whole(Ok(Response::json(200, &api::version()))),
            (Target::CoreVersions, "GET") => whole(Ok(Response::json(
                200,
                &discovery::core_versions(&self.address),
            ))),
            (Target::Groups, "GET") => whole(Ok(Response::json(200, &discovery::groups(cluster)))),
            (Target::NodeLease(name), "GET") => {
                let shift = crate::wall::shift_seconds(cluster.now());
                whole(api::node_lease(cluster, &name, shift))
            }
            (Target::Resources(gv), "GET") => match discovery::resources(cluster, &gv) {
                Some(list) => whole(Ok(Response::json(200, &list))),
                None => Err(Status::not_found_path(&request.path)),
            },
            (
                Target::Resource {
                    kind,
                    namespace,
                    name: None,
                    ..
                },
                "GET",
            ) => {
                if request
                    .param("watch")
                    .is_some_and(|w| w == "true" || w == "1")
                {
                    return self.watch(request, kind, namespace.as_deref());
                }
                whole(api::list(cluster, request, kind, namespace.as_deref()))
            }
            (
                Target::Resource {
                    kind,
                    namespace,
                    name: None,
                    ..
                },
                "POST",
            ) => whole(api::write(cluster, request, |c| {
                api::create(c, request, kind, namespace.as_deref())
            })),
            (
                Target::Resource {
                    kind,
                    namespace,
                    name: Some(name),
                    subresource,
                },
                method,
            ) => {
                let at = api::ObjectPath {
                    kind,
                    namespace: namespace.as_deref(),
                    name: &name,
                    subresource: subresource.as_deref(),
                };
                let response = match method {
                    "GET"
                        if at.kind == rollout_sim::objects::Kind::Pod
                            && at.subresource == Some("log") =>
                    {
                        return self.pod_log(request, at.namespace.unwrap_or("default"), &name);
                    }
                    // kubectl 1.30 GETs it as a WebSocket, and falls back to a SPDY POST.
                    "GET" | "POST"
                        if at.kind == rollout_sim::objects::Kind::Pod
                            && at.subresource == Some("exec") =>
                    {
                        let namespace = at.namespace.unwrap_or("default");
                        return exec::plan(cluster, request, namespace, &name)
                            .map(|plan| Reply::Exec(Box::new(plan)));
                    }
                    "GET" | "POST"
                        if at.kind == rollout_sim::objects::Kind::Pod
                            && at.subresource == Some("portforward") =>
                    {
                        let namespace = at.namespace.unwrap_or("default");
                        return port_forward::plan(cluster, request, namespace, &name)
                            .map(Reply::PortForward);
                    }
                    "POST"
                        if at.kind == rollout_sim::objects::Kind::Pod
                            && at.subresource == Some("eviction") =>
                    {
                        api::evict(cluster, request, &at)
                    }
                    "GET" => api::get(cluster, request, &at),
                    "PUT" => api::write(cluster, request, |c| api::update(c, request, &at)),
                    "PATCH" => api::write(cluster, request, |c| api::patch(c, request, &at)),
                    "DELETE" if at.subresource.is_none() => {
                        api::write(cluster, request, |c| api::delete(c, request, &at))
                    }
                    other => Err(Status::method_not_allowed(other)),
                };
                whole(response)
            }
            (_, method) => Err(Status::method_not_allowed(method)),
        }
    }

    /// `pods/NAME/log`: what the lab's own `kubectl logs` prints, as plain text (without
    /// `follow`: the log so far).
    fn pod_log(&mut self, request: &Request, namespace: &str, pod: &str) -> Result<Reply, Status> {
        let name_ok = |text: &str| {
            !text.is_empty()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        };
        let container = request.param("container").unwrap_or("");
        if !name_ok(namespace) || !name_ok(pod) || !(container.is_empty() || name_ok(container)) {
            return Err(Status::bad_request(
                "invalid pod, namespace or container name",
            ));
        }
        let mut line = format!("kubectl logs {pod} -n {namespace}");
        if !container.is_empty() {
            line.push_str(&format!(" -c {container}"));
        }
        // kubectl's --previous, --timestamps and --tail arrive as the API's query parameters.
        if request.param("previous") == Some("true") {
            line.push_str(" --previous");
        }
        if request.param("timestamps") == Some("true") {
            line.push_str(" --timestamps");
        }
        if let Some(tail) = request.param("tailLines") {
            let Ok(tail) = tail.parse::<u64>() else {
                return Err(Status::bad_request("tailLines must be a number"));
            };
            line.push_str(&format!(" --tail={tail}"));
        }
        let follow = request.param("follow") == Some("true");
        if follow && self.watchers.len() + self.followers.len() >= MAX_WATCHERS {
            return Err(Status::new(
                429,
                "TooManyRequests",
                "too many watches open; close some",
            ));
        }
        let ran = self.lab.run_line(&line, Duration::from_secs(60));
        if ran.status != 0 {
            let message = ran.stderr.trim_end();
            return Err(
                match message.strip_prefix("Error from server (NotFound): ") {
                    Some(m) => Status::new(404, "NotFound", m),
                    None => Status::bad_request(message.strip_prefix("error: ").unwrap_or(message)),
                },
            );
        }
        let cluster = &self.lab.host.cluster;
        let follower = follow
            .then(|| exec::live_pod(cluster, namespace, pod).ok())
            .flatten()
            .map(|p| {
                let container = if container.is_empty() {
                    p.spec.containers.first().map_or("", |c| c.name.as_str())
                } else {
                    container
                };
                let timestamps = request.param("timestamps") == Some("true");
                LogFollow::from_now(p, container, cluster, timestamps)
            });
        let Some(follower) = follower else {
            return Ok(Reply::Whole(Response {
                status: 200,
                content_type: "text/plain",
                body: ran.stdout.into_bytes(),
                etag: None,
            }));
        };
        // The log so far, then what the container writes until it stops.
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(ran.stdout.into_bytes());
        self.followers.push((follower, tx));
        self.notify();
        Ok(Reply::Stream("text/plain", rx))
    }

    /// An upgraded exec's line, run in the lab's shell (its clock moving as the command
    /// sleeps); watchers see what it changed.
    pub fn run_exec(&mut self, line: &str) -> Ran {
        let ran = self.lab.run_lines(line, Duration::from_secs(60));
        self.notify();
        ran
    }

    /// A watch: from the state the client listed at when it names a resourceVersion (the
    /// history's 410 as an ERROR event when that is too old), or every object as ADDED.
    fn watch(
        &mut self,
        request: &Request,
        kind: rollout_sim::objects::Kind,
        namespace: Option<&str>,
    ) -> Result<Reply, Status> {
        let selection = api::selection(request, kind, namespace)?;
        let version = history::parse_version(request.param("resourceVersion").unwrap_or(""))
            .map_err(|message| Status::new(500, "", message))?;
        if self.watchers.len() >= MAX_WATCHERS {
            return Err(Status::new(
                429,
                "TooManyRequests",
                "too many watches open; close some",
            ));
        }
        let (tx, rx) = mpsc::channel();
        let cluster = &self.lab.host.cluster;
        self.history.record(cluster);
        // "0" asks for no particular start: the current state, sent as ADDED.
        let since = match version.filter(|v| *v > 0).map(|v| self.history.at(v)) {
            None => None,
            Some(Ok(state)) => Some(state),
            Some(Err(expired)) => {
                // As the watch cache answers: a 200 whose one event is the error.
                let status = Status::new(410, "Expired", expired.to_string());
                let event = serde_json::json!({ "type": "ERROR", "object": status.to_value() });
                let mut line = serde_json::to_vec(&event).unwrap_or_default();
                line.push(b'\n');
                let _ = tx.send(line);
                return Ok(Reply::Stream("application/json", rx));
            }
        };
        let mut watcher = Watcher::new(
            cluster,
            kind,
            selection,
            api::wants_table(request),
            since,
            tx,
        );
        let shift = crate::wall::shift_seconds(self.lab.now());
        watcher.poll(cluster, shift);
        self.watchers.push(watcher);
        Ok(Reply::Stream("application/json", rx))
    }

    /// `POST /lab/advance?seconds=N`: moves the virtual clock; `GET /lab/now`: where it is
    /// (and the shift onto the wall clock); `POST /lab/step[?until=MS]`: to the next thing due, a
    /// second at most; `POST /lab/shell`: one line for the lab's shell.
    fn lab_endpoint(&mut self, request: &Request, path: &str) -> Result<Response, Status> {
        match (request.method.as_str(), path) {
            ("POST", "advance") => {
                let seconds: f64 = request
                    .param("seconds")
                    .and_then(|s| s.parse().ok())
                    .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s <= 86_400.0)
                    .ok_or_else(|| {
                        Status::bad_request("seconds must be a number from 0 to 86400")
                    })?;
                self.advance(Duration((seconds * 1000.0).round() as i64));
                Ok(self.now())
            }
            ("POST", "step") => {
                // To whatever happens next in the cluster, a second at most, and not past
                // `until` (virtual milliseconds): how the headless runner waits.
                let now = self.lab.now();
                let second = now + Duration::from_secs(1);
                let next = self.lab.host.cluster.next_timer().unwrap_or(second);
                let until = request
                    .param("until")
                    .and_then(|u| u.parse::<i64>().ok())
                    .map_or(second, rollout_sim::clock::Time);
                let to = next.min(second).min(until);
                if to > now {
                    self.advance(to - now);
                }
                Ok(self.now())
            }
            ("GET", "now") => Ok(self.now()),
            ("POST", "shell") => {
                // A line for the lab's own shell (what a real kubectl cannot do from outside:
                // `kubectl run -it` and the shell inside the pod), on the served cluster.
                let text = String::from_utf8_lossy(&request.body).into_owned();
                let ran = self.lab.run_lines(&text, Duration::from_secs(15 * 60));
                Ok(Response::json(
                    200,
                    &serde_json::json!({ "stdout": ran.stdout, "stderr": ran.stderr, "status": ran.status }),
                ))
            }
            _ => Err(Status::not_found_path(&request.path)),
        }
    }

    fn now(&self) -> Response {
        let now = self.lab.now();
        let shift = crate::wall::shift_seconds(now);
        Response::json(
            200,
            &serde_json::json!({
                "now": now.rfc3339(),
                "millis": now.0,
                "shift": shift,
                "watches": self.watchers.len(),
                "history": self.history.len(),
            }),
        )
    }

    /// Moves the clock by `by`, stopping at every instant something is due so that watches
    /// see each step.
    pub fn advance(&mut self, by: Duration) {
        let end = self.lab.now() + by;
        while self.lab.now() < end {
            let now = self.lab.now();
            let next = self.lab.host.cluster.next_timer().unwrap_or(end).min(end);
            let step = (next - now).max(Duration(1));
            self.lab.advance(step);
            self.notify();
        }
    }

    /// Keeps the cluster's state in the history, tells every watcher what changed, and
    /// forgets the ones whose client has gone.
    fn notify(&mut self) {
        let cluster = &self.lab.host.cluster;
        self.history.record(cluster);
        let shift = crate::wall::shift_seconds(cluster.now());
        self.watchers
            .retain_mut(|watcher| watcher.poll(cluster, shift));
        // A follow ends (its stream closes) when the container stops or the client goes.
        self.followers.retain_mut(|(follow, out)| {
            let mut printed = rollout_kubectl::Output::default();
            let ended = follow.poll(cluster, &mut printed).is_some();
            let sent = printed.stdout.is_empty() || out.send(printed.stdout.into_bytes()).is_ok();
            sent && !ended
        });
    }
}

/// Serves until the listener fails: connections on their own threads, the lab on this one.
pub fn serve(bound: Bound, mut server: Server) -> Result<(), ServeError> {
    let (jobs, inbox) = mpsc::channel::<Job>();
    let listener = bound.listener;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let jobs = jobs.clone();
            std::thread::spawn(move || connection(stream, jobs));
        }
    });
    let mut last = Instant::now();
    loop {
        match inbox.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(Job::Request { request, reply }) => {
                let _ = reply.send(server.handle(&request));
            }
            Ok(Job::Exec { line, reply }) => {
                let _ = reply.send(server.run_exec(&line));
            }
            Ok(Job::Forward { plan, ask, reply }) => {
                let answer = port_forward::answer(&mut server.lab.host.cluster, &plan, ask);
                server.notify();
                let _ = reply.send(answer);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if server.speed > 0.0 {
            let wall = last.elapsed();
            let virtual_ms = (wall.as_secs_f64() * 1000.0 * server.speed) as i64;
            if virtual_ms >= 1 {
                last = Instant::now();
                server.advance(Duration(virtual_ms));
            }
        }
    }
}

/// One client connection: requests in turn, until it closes or asks for a watch.
fn connection(stream: TcpStream, jobs: Sender<Job>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match http::read_request(&mut reader) {
            Ok(request) => request,
            Err(ReadError::Closed) | Err(ReadError::Io(_)) => return,
            Err(ReadError::Malformed(why)) => {
                let status = Status::bad_request(why);
                let _ = http::write_response(&mut writer, &Response::json(400, &status.to_value()));
                return;
            }
            Err(ReadError::TooLarge) => {
                let status = Status::new(413, "RequestEntityTooLarge", "the request is too large");
                let _ = http::write_response(&mut writer, &Response::json(413, &status.to_value()));
                return;
            }
        };
        let closing = request
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        let (reply, answer) = mpsc::channel();
        if jobs.send(Job::Request { request, reply }).is_err() {
            return;
        }
        match answer.recv() {
            Ok(Reply::Whole(response)) => {
                if http::write_response(&mut writer, &response).is_err() || closing {
                    return;
                }
            }
            Ok(Reply::Stream(content_type, lines)) => {
                if http::write_stream_head(&mut writer, content_type).is_err() {
                    return;
                }
                for line in lines.iter() {
                    if http::write_chunk(&mut writer, &line).is_err() {
                        return;
                    }
                }
                let _ = http::write_chunk(&mut writer, b"");
                let _ = writer.flush();
                return;
            }
            Ok(Reply::Exec(plan)) => {
                let run = |line: String| {
                    let (reply, ran) = mpsc::channel();
                    jobs.send(Job::Exec { line, reply }).ok()?;
                    ran.recv().ok()
                };
                if exec::serve(&mut reader, &mut writer, &plan, run).is_ok() {
                    // The client answers the close with its own; a bounded wait for it.
                    let _ = reader
                        .get_ref()
                        .set_read_timeout(Some(std::time::Duration::from_secs(5)));
                    exec::drain(&mut reader, &mut writer);
                }
                return;
            }
            Ok(Reply::PortForward(plan)) => {
                let ask = |ask| {
                    let (reply, answer) = mpsc::channel();
                    let plan = plan.clone();
                    jobs.send(Job::Forward { plan, ask, reply }).ok()?;
                    answer.recv().ok()
                };
                let _ = port_forward::serve(reader, &mut writer, ask);
                return;
            }
            Err(_) => return,
        }
    }
}

/// The kubeconfig that points kubectl at the server.
pub fn kubeconfig(address: SocketAddr) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: rollout-lab\n  cluster:\n    server: http://{address}\ncontexts:\n- name: rollout-lab\n  context:\n    cluster: rollout-lab\n    namespace: default\n    user: rollout-lab\ncurrent-context: rollout-lab\nusers:\n- name: rollout-lab\n  user: {{}}\n"
    )
}
