//! # `kubectl describe`, laid out like kubectl v1.30's `pkg/describe/describe.go`
//!
//! Every describer writes `Label:\tvalue` lines, indented two spaces per level, through one
//! Go-style tabwriter (minwidth 0, padding 2); alignment therefore restarts at every line
//! without a tab (`Pod Template:`, `Conditions:`, `Events:`), exactly as in real output.
//! Events come last, as a nested table, or `Events:  <none>` aligned with the lines above.
//!
//! ## Layout
//! - this file: the prefix writer and the pieces every describer shares (labels,
//!   annotations, events, pod template and containers, probes).
//! - [`deployment`], [`replica_set`], [`pod`], [`service`], [`endpoints`], [`ingress`]: one
//!   describer per kind, each a pure function of the object, its related objects, its events
//!   and `now`.

mod deployment;
mod endpoints;
mod generic;
mod history;
mod horizontal_pod_autoscaler;
mod ingress;
mod node;
mod pod;
mod pod_disruption_budget;
mod replica_set;
mod resources;
mod service;

#[cfg(test)]
mod tests;

pub use deployment::describe_deployment;
pub use endpoints::{describe_endpoint_slice, describe_endpoints};
pub use generic::describe_generic;
pub use history::{rollout_history, HistoryError};
pub use horizontal_pod_autoscaler::describe_horizontal_pod_autoscaler;
pub use ingress::describe_ingress;
pub use node::{describe_node, lease_renew_time, NODE_LEASE_RENEW_SECONDS};
pub use pod::describe_pod;
pub use pod_disruption_budget::describe_pod_disruption_budget;
pub use replica_set::describe_replica_set;
pub use service::describe_service;

use crate::printers::duration::{rfc1123z, translate_timestamp_since};
use crate::printers::kinds::event_type_name;
use crate::printers::tabwriter::TabWriter;
use rollout_sim::clock::Time;
use rollout_sim::objects::{
    Container, ContainerPort, ContainerState, ContainerStatus, Event, PodTemplateSpec, Probe,
    ProbeHandler,
};
use std::collections::BTreeMap;

/// `describeContainerResource`: limits, then requests, each sorted by name.
fn describe_container_resource(w: &mut PrefixWriter, container: &Container) {
    for (which, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let Some(list) = container
            .resources
            .as_ref()
            .and_then(|r| r.get(which))
            .and_then(|l| l.as_object())
            .filter(|l| !l.is_empty())
        else {
            continue;
        };
        w.write(LEVEL_2, &format!("{title}:\n"));
        let mut names: Vec<&String> = list.keys().collect();
        names.sort();
        for name in names {
            let value = list.get(name).map_or_else(String::new, |v| match v {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            });
            w.write(LEVEL_3, &format!("{name}:\t{value}\n"));
        }
    }
}

/// describe.go's `LEVEL_0` … `LEVEL_3`: two spaces of indentation each.
const LEVEL_0: usize = 0;
const LEVEL_1: usize = 1;
const LEVEL_2: usize = 2;
const LEVEL_3: usize = 3;

/// Annotations describe never shows (`skipAnnotations`).
const SKIPPED_ANNOTATIONS: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];
/// Longer `key: value` annotations are folded onto their own lines (`maxAnnotationLen`).
const MAX_ANNOTATION_LEN: usize = 140;

/// kubectl's `PrefixWriter`, over either a tabwriter (describe) or a plain buffer
/// (`rollout history --revision`, which prints the raw tabs).
pub(crate) struct PrefixWriter {
    sink: Sink,
}

enum Sink {
    Aligned(TabWriter),
    Raw(String),
}

impl PrefixWriter {
    /// The `tabbedString` writer every describer uses.
    pub(crate) fn aligned() -> PrefixWriter {
        PrefixWriter {
            sink: Sink::Aligned(TabWriter::for_describe()),
        }
    }

    /// A writer that keeps tabs as they are.
    pub(crate) fn raw() -> PrefixWriter {
        PrefixWriter {
            sink: Sink::Raw(String::new()),
        }
    }

    /// `Write(level, …)`: `text` indented by `level` × two spaces.
    pub(crate) fn write(&mut self, level: usize, text: &str) {
        let indent = "  ".repeat(level);
        match &mut self.sink {
            Sink::Aligned(writer) => {
                writer.write_str(&indent);
                writer.write_str(text);
            }
            Sink::Raw(buffer) => {
                buffer.push_str(&indent);
                buffer.push_str(text);
            }
        }
    }

    /// `WriteLine(text)`: the text and a newline, unindented.
    pub(crate) fn write_line(&mut self, text: &str) {
        self.write(LEVEL_0, text);
        self.write(LEVEL_0, "\n");
    }

    /// Formats what is buffered so far (before a nested table).
    pub(crate) fn flush(&mut self) {
        if let Sink::Aligned(writer) = &mut self.sink {
            writer.flush();
        }
    }

    /// Everything written, formatted.
    pub(crate) fn finish(self) -> String {
        match self.sink {
            Sink::Aligned(mut writer) => {
                writer.flush();
                writer.take_output()
            }
            Sink::Raw(buffer) => buffer,
        }
    }
}

/// `printLabelsMultiline` / `printLabelsMultilineWithIndent`: sorted `k=v`, one per line,
/// later lines indented with a tab; `<none>` when empty.
fn print_labels_multiline(w: &mut PrefixWriter, title: &str, labels: &BTreeMap<String, String>) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    if labels.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, (key, value)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{key}={value}\n"));
    }
}

/// `printAnnotationsMultiline`: sorted `key: value`, long or multi-line values folded,
/// `kubectl.kubernetes.io/last-applied-configuration` hidden.
fn print_annotations_multiline(
    w: &mut PrefixWriter,
    title: &str,
    annotations: &BTreeMap<String, String>,
) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    let shown: Vec<(&String, &String)> = annotations
        .iter()
        .filter(|(key, _)| !SKIPPED_ANNOTATIONS.contains(&key.as_str()))
        .collect();
    if shown.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, (key, value)) in shown.into_iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(LEVEL_0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(
                    LEVEL_0,
                    &format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.write(LEVEL_0, &format!("{key}: {value}\n"));
        }
    }
}

/// describe.go `shorten`: the first `max` bytes and `...` (cut on a character boundary).
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// `DescribeEvents`: the nested `Type Reason Age From Message` table sorted by last
/// timestamp, repeated events aged `<last> (x<count> over <first>)`; `Events:\t<none>` when
/// there are none.
fn describe_events(w: &mut PrefixWriter, events: &[Event], now: Time) {
    if events.is_empty() {
        w.write(LEVEL_0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut sorted: Vec<&Event> = events.iter().collect();
    // Unset timestamps are Go's zero time: the earliest.
    sorted.sort_by_key(|e| e.last_timestamp.map_or(i64::MIN, |t| t.millis()));
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n");
    for event in sorted {
        let first = translate_timestamp_since(event.first_timestamp, now);
        let age = if event.count > 1 {
            format!(
                "{} (x{} over {first})",
                translate_timestamp_since(event.last_timestamp, now),
                event.count
            )
        } else {
            first
        };
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t{age}\t{}\t{}\n",
                event_type_name(event.type_),
                event.reason,
                event.source,
                event.message.trim()
            ),
        );
    }
}

/// `DescribePodTemplate`: the `Pod Template:` section of deployments, ReplicaSets and
/// `rollout history --revision`.
fn describe_pod_template(w: &mut PrefixWriter, template: &PodTemplateSpec) {
    w.write(LEVEL_0, "Pod Template:\n");
    print_labels_multiline(w, "  Labels", &template.metadata.labels);
    if !template.metadata.annotations.is_empty() {
        print_annotations_multiline(w, "  Annotations", &template.metadata.annotations);
    }
    describe_containers(
        w,
        "Containers",
        &template.spec.containers,
        None,
        "  ",
        Time(0),
    );
    w.write(LEVEL_0, "  Volumes:\t<none>\n");
    w.write(LEVEL_0, "  Node-Selectors:\t<none>\n");
    w.write(LEVEL_0, "  Tolerations:\t<none>\n");
}

/// `describeContainers`: one block per container; with `statuses` (a real pod) also its
/// IDs, state, readiness and restart count.
fn describe_containers(
    w: &mut PrefixWriter,
    label: &str,
    containers: &[Container],
    statuses: Option<&[ContainerStatus]>,
    space: &str,
    _now: Time,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(LEVEL_0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for container in containers {
        let status = statuses.and_then(|all| all.iter().find(|s| s.name == container.name));
        w.write(LEVEL_1, &format!("{name_indent}{}:\n", container.name));
        if let Some(status) = status {
            w.write(
                LEVEL_2,
                &format!("Container ID:\t{}\n", container_id(status)),
            );
        }
        w.write(LEVEL_2, &format!("Image:\t{}\n", container.image));
        if let Some(status) = status {
            w.write(LEVEL_2, &format!("Image ID:\t{}\n", image_id(status)));
        }
        let ports = port_list(&container.ports, |p| p.container_port);
        if ports.contains(',') {
            w.write(LEVEL_2, &format!("Ports:\t{ports}\n"));
        } else {
            w.write(LEVEL_2, &format!("Port:\t{}\n", or_none(&ports)));
        }
        let host_ports = port_list(&container.ports, |_| 0);
        if host_ports.contains(',') {
            w.write(LEVEL_2, &format!("Host Ports:\t{host_ports}\n"));
        } else {
            w.write(LEVEL_2, &format!("Host Port:\t{}\n", or_none(&host_ports)));
        }
        if !container.command.is_empty() {
            w.write(LEVEL_2, "Command:\n");
            for line in container.command.iter().flat_map(|c| c.split('\n')) {
                w.write(LEVEL_3, &format!("{line}\n"));
            }
        }
        if !container.args.is_empty() {
            w.write(LEVEL_2, "Args:\n");
            for line in container.args.iter().flat_map(|a| a.split('\n')) {
                w.write(LEVEL_3, &format!("{line}\n"));
            }
        }
        if let Some(status) = status {
            describe_state(w, "State", &status.state);
            if let Some(last @ ContainerState::Terminated { .. }) = &status.last_state {
                describe_state(w, "Last State", last);
            }
            let ready = if status.ready { "True" } else { "False" };
            w.write(LEVEL_2, &format!("Ready:\t{ready}\n"));
            w.write(
                LEVEL_2,
                &format!("Restart Count:\t{}\n", status.restart_count),
            );
        }
        describe_container_resource(w, container);
        if let Some(probe) = &container.liveness_probe {
            w.write(LEVEL_2, &format!("Liveness:\t{}\n", describe_probe(probe)));
        }
        if let Some(probe) = &container.readiness_probe {
            w.write(LEVEL_2, &format!("Readiness:\t{}\n", describe_probe(probe)));
        }
        w.write(LEVEL_2, "Environment:\t<none>\n");
        w.write(LEVEL_2, "Mounts:\t<none>\n");
    }
}

/// `describeContainerPorts` / `describeContainerHostPorts`: `80/TCP, 443/TCP`.
fn port_list(ports: &[ContainerPort], number: impl Fn(&ContainerPort) -> i32) -> String {
    ports
        .iter()
        .map(|port| format!("{}/TCP", number(port)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// describe.go `stringOrNone`.
fn or_none(text: &str) -> &str {
    if text.is_empty() {
        "<none>"
    } else {
        text
    }
}

/// `describeStatus`: `State:\tRunning` with `Started:`, `Waiting` with `Reason:`, or
/// `Terminated` with reason, exit code and times.
fn describe_state(w: &mut PrefixWriter, name: &str, state: &ContainerState) {
    match state {
        ContainerState::Running { started_at } => {
            w.write(LEVEL_2, &format!("{name}:\tRunning\n"));
            w.write(
                LEVEL_3,
                &format!("Started:\t{}\n", rfc1123z(Some(*started_at))),
            );
        }
        ContainerState::Waiting { reason, .. } => {
            w.write(LEVEL_2, &format!("{name}:\tWaiting\n"));
            if !reason.is_empty() {
                w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
            }
        }
        ContainerState::Terminated {
            reason,
            exit_code,
            finished_at,
        } => {
            w.write(LEVEL_2, &format!("{name}:\tTerminated\n"));
            if !reason.is_empty() {
                w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
            }
            w.write(LEVEL_3, &format!("Exit Code:\t{exit_code}\n"));
            // The simulation does not record when a finished run started: Go's zero time.
            w.write(LEVEL_3, &format!("Started:\t{}\n", rfc1123z(None)));
            w.write(
                LEVEL_3,
                &format!("Finished:\t{}\n", rfc1123z(Some(*finished_at))),
            );
        }
    }
}

/// `DescribeProbe`: `http-get http://:80/livez delay=0s timeout=1s period=10s #success=1
/// #failure=3` (kubectl ≤ 1.36 wording).
pub fn describe_probe(probe: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        probe.initial_delay_seconds,
        probe.timeout_seconds,
        probe.period_seconds,
        probe.success_threshold,
        probe.failure_threshold
    );
    match &probe.handler {
        ProbeHandler::HttpGet { path, port } => {
            // Go's url.URL.String(): a path without a leading slash gets one.
            let path = if path.is_empty() || path.starts_with('/') {
                path.clone()
            } else {
                format!("/{path}")
            };
            format!("http-get http://:{port}{path} {attrs}")
        }
        ProbeHandler::TcpSocket { port } => format!("tcp-socket :{port} {attrs}"),
        ProbeHandler::Exec { command } => format!("exec [{}] {attrs}", command.join(" ")),
    }
}

/// The runtime's ID for a container that has run (`containerd://` + 64 hex digits). The
/// simulation has no runtime, so the ID is derived from the container's identity: stable
/// across describes, different per container and per restart.
fn container_id(status: &ContainerStatus) -> String {
    let ran = !matches!(status.state, ContainerState::Waiting { .. }) || status.restart_count > 0;
    if !ran {
        return String::new();
    }
    let seed = format!("{}/{}/{}", status.name, status.image, status.restart_count);
    format!("containerd://{}", hex_digest(&seed))
}

/// The image's resolved digest, `docker.io/<repo>@sha256:…`, once it has been pulled.
fn image_id(status: &ContainerStatus) -> String {
    let pulled =
        !matches!(status.state, ContainerState::Waiting { .. }) || status.restart_count > 0;
    if !pulled {
        return String::new();
    }
    format!(
        "{}@sha256:{}",
        image_repository(&status.image),
        hex_digest(&status.image)
    )
}

/// The fully qualified repository of an image reference, tag and digest removed:
/// `ikubernetes/demoapp:v1.0` → `docker.io/ikubernetes/demoapp`, `nginx` →
/// `docker.io/library/nginx`.
fn image_repository(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let repo = match without_digest[last_slash..].rfind(':') {
        Some(colon) => &without_digest[..last_slash + colon],
        None => without_digest,
    };
    let first = repo.split('/').next().unwrap_or("");
    let has_registry =
        repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        repo.to_string()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    }
}

/// 64 hex digits derived from `seed` (FNV-1a, four rounds): looks like a sha256, is stable.
fn hex_digest(seed: &str) -> String {
    let mut out = String::with_capacity(64);
    for round in 0u8..4 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in std::iter::once(round).chain(seed.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{hash:016x}"));
    }
    out
}

/// The pod template as `rollout history --revision=N` prints it: through a plain buffer,
/// so the tabs stay raw.
pub(crate) fn describe_pod_template_raw(template: &PodTemplateSpec) -> String {
    let mut w = PrefixWriter::raw();
    describe_pod_template(&mut w, template);
    w.finish()
}
