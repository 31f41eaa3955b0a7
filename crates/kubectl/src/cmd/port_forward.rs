//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…`: kubectl's `pkg/cmd/portforward` (the
//! pod it picks, how a Service's port becomes a container port) and client-go's
//! `tools/portforward` (the listeners and their lines). The listeners live in the cluster's
//! network (`Cluster::open_forward`), so `curl localhost:PORT` on the lab machine reaches the
//! pod; the command then runs on the virtual clock until it is stopped or loses its pod.

use super::{run::attachable_pod, Ctx, Flow, Waiting};
use crate::args::{self, value};
use crate::error::KubectlError;
use crate::Output;
use rollout_sim::api::ApiError;
use rollout_sim::clock::Time;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::network::port_forward_refused;
use rollout_sim::objects::{IntOrString, Kind, Object, Pod, PodPhase};

const COMMAND: &str = "kubectl port-forward";

/// A running port-forward: the pod, and each local port with the connections it has
/// reported.
#[derive(Clone, Debug)]
pub struct PortForward {
    namespace: String,
    pod: String,
    uid: String,
    ports: Vec<(u16, u32)>,
    /// The process's id, for klog's lines (set once it runs in the background or foreground).
    pid: u64,
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        COMMAND,
        argv,
        &[value("address", None), value("pod-running-timeout", None)],
    )?;
    let [target, specs @ ..] = args.positional.as_slice() else {
        return Err(usage());
    };
    if specs.is_empty() {
        return Err(usage());
    }
    args.duration(COMMAND, "pod-running-timeout")?;
    let namespace = args.namespace().to_string();
    let (kind, name) = match target.split_once('/') {
        Some((kind, name)) => (crate::resource::resolve(kind, ctx.cluster)?, name),
        None => (Kind::Pod, target.as_str()),
    };
    let object = ctx
        .cluster
        .get(kind, &namespace, name)
        .ok_or_else(|| ApiError::not_found(kind, name))?;
    let pod_name = attachable_pod(ctx.cluster, &namespace, target)?;
    let pod = ctx
        .cluster
        .store()
        .pods
        .get(&ObjectKey::new(&namespace, &pod_name))
        .map(|p| Pod::clone(p))
        .ok_or_else(|| ApiError::not_found(Kind::Pod, &pod_name))?;
    // kubectl's `Complete`: remote ports become the pod's port numbers.
    let mut translated = Vec::new();
    for spec in specs {
        let (local, remote) = split_port(spec);
        let (local, remote) = match &object {
            Object::Service(svc) => {
                let (number, target) = service_target(svc, &pod, remote)?;
                let local = if local == remote {
                    number
                } else {
                    local.to_string()
                };
                (local, target)
            }
            _ if remote.is_empty() => {
                return Err(KubectlError::plain("remote port cannot be empty"))
            }
            _ => {
                let target = container_port(&pod, remote)?;
                let local = if local == remote {
                    target.clone()
                } else {
                    local.to_string()
                };
                (local, target)
            }
        };
        translated.push(match local == remote {
            true => remote,
            false => format!("{local}:{remote}"),
        });
    }
    // `RunPortForwardContext`, then client-go's forwarder.
    let phase = pod.status.phase.unwrap_or(PodPhase::Pending);
    if phase != PodPhase::Running {
        return Err(KubectlError::plain(format!(
            "unable to forward port because pod is not running. Current status={phase:?}"
        )));
    }
    let addresses = listen_addresses(&args.values("address"))?;
    let ports = translated
        .iter()
        .map(|spec| parse_port(spec))
        .collect::<Result<Vec<_>, _>>()?;
    let pod_ip = pod.status.pod_ip.clone().unwrap_or_default();
    let mut opened = Vec::new();
    for (mut local, remote) in ports.iter().copied() {
        if local == 0 {
            local = 32768 + ctx.cluster.random_u16() % 28232;
        }
        if !ctx.cluster.open_forward(local, &pod_ip, remote) {
            let errors: Vec<String> = addresses
                .iter()
                .map(|address| {
                    let (tcp, host) = match address.contains(':') {
                        true => ("tcp6", format!("[{address}]")),
                        false => ("tcp4", address.clone()),
                    };
                    format!("unable to create listener: Error listen {tcp} {host}:{local}: bind: address already in use")
                })
                .collect();
            ctx.eprintln(format!(
                "Unable to listen on port {local}: Listeners failed to create with the following errors: [{}]",
                errors.join(" ")
            ));
            continue;
        }
        for address in &addresses {
            let host = match address.contains(':') {
                true => format!("[{address}]"),
                false => address.clone(),
            };
            ctx.println(format!("Forwarding from {host}:{local} -> {remote}"));
        }
        opened.push((local, 0));
    }
    if opened.is_empty() {
        let list: Vec<String> = ports.iter().map(|(l, r)| format!("{{{l} {r}}}")).collect();
        return Err(KubectlError::plain(format!(
            "unable to listen on any of the requested ports: [{}]",
            list.join(" ")
        )));
    }
    Ok(Flow::Wait(Waiting::PortForward(Box::new(PortForward {
        namespace,
        pod: pod_name,
        uid: pod.metadata.uid.clone(),
        ports: opened,
        pid: 0,
    }))))
}

/// kubectl's `splitPort`: `LOCAL:REMOTE`, else the first part for both (`8080:80:1` is
/// 8080 to 8080, as kubectl reads it).
fn split_port(spec: &str) -> (&str, &str) {
    match spec.split(':').collect::<Vec<_>>().as_slice() {
        [local, remote] => (local, remote),
        [first, ..] => (first, first),
        [] => (spec, spec),
    }
}

fn usage() -> KubectlError {
    KubectlError::usage(
        COMMAND,
        "TYPE/NAME and list of ports are required for port-forward",
    )
}

/// `translateServicePortToTargetPort` for one remote port: a Service port (by number or
/// name) becomes the container port its `targetPort` names. (The Service port's number,
/// the container port.)
fn service_target(
    svc: &rollout_sim::objects::Service,
    pod: &Pod,
    remote: &str,
) -> Result<(String, String), KubectlError> {
    let name = &svc.metadata.name;
    let number = match remote.parse::<i32>() {
        Ok(number) => number,
        Err(_) => svc
            .spec
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(remote))
            .map(|p| p.port)
            .ok_or_else(|| {
                KubectlError::plain(format!(
                    "Service '{name}' does not have a named port '{remote}'"
                ))
            })?,
    };
    let shown = number.to_string();
    if svc.spec.cluster_ip == "None" {
        return Ok((shown.clone(), shown));
    }
    let Some(port) = svc.spec.ports.iter().find(|p| p.port == number) else {
        return Err(KubectlError::plain(format!(
            "Service {name} does not have a service port {number}"
        )));
    };
    let target = match &port.target_port {
        None | Some(IntOrString::Int(0)) => shown.clone(),
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(named)) => container_port(pod, named)?,
    };
    Ok((shown, target))
}

/// A pod's port by number, or by the name of one of its containers' ports.
fn container_port(pod: &Pod, remote: &str) -> Result<String, KubectlError> {
    if remote.parse::<i64>().is_ok() {
        return Ok(remote.to_string());
    }
    pod.spec
        .containers
        .iter()
        .flat_map(|c| &c.ports)
        .find(|p| p.name.as_deref() == Some(remote))
        .map(|p| p.container_port.to_string())
        .ok_or_else(|| {
            KubectlError::plain(format!(
                "Pod '{}' does not have a named port '{remote}'",
                pod.metadata.name
            ))
        })
}

/// client-go's `parsePorts` for one `[LOCAL:]REMOTE`.
fn parse_port(spec: &str) -> Result<(u16, u16), KubectlError> {
    if spec.matches(':').count() > 1 {
        return Err(KubectlError::plain(format!("invalid port format '{spec}'")));
    }
    let (local, remote) = spec.split_once(':').unwrap_or((spec, spec));
    let number = |text: &str, which: &str| {
        let text = if text.is_empty() && which == "local" {
            "0"
        } else {
            text
        };
        text.parse::<u16>().map_err(|err| {
            let why = match err.kind() {
                std::num::IntErrorKind::PosOverflow => "value out of range",
                _ => "invalid syntax",
            };
            KubectlError::plain(format!(
                "error parsing {which} port '{text}': strconv.ParseUint: parsing \"{text}\": {why}"
            ))
        })
    };
    let local = number(local, "local")?;
    let remote = number(remote, "remote")?;
    if remote == 0 {
        return Err(KubectlError::plain("remote port must be > 0"));
    }
    Ok((local, remote))
}

/// An IPv4 address in dotted quads, or something IPv6-shaped (hex groups and colons).
fn is_ip(text: &str) -> bool {
    let quads: Vec<&str> = text.split('.').collect();
    let v4 = quads.len() == 4
        && quads
            .iter()
            .all(|q| !q.is_empty() && q.parse::<u8>().is_ok());
    let v6 = text.contains(':') && text.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
    v4 || v6
}

/// client-go's `parseAddresses`: `localhost` is both loopbacks; sorted as text.
fn listen_addresses(given: &[&str]) -> Result<Vec<String>, KubectlError> {
    let mut addresses = Vec::new();
    let given: Vec<&str> = match given.is_empty() {
        true => vec!["localhost"],
        false => given.iter().flat_map(|a| a.split(',')).collect(),
    };
    for address in given {
        let parsed: &[&str] = match address {
            "localhost" => &["127.0.0.1", "::1"],
            ip if is_ip(ip) => &[ip],
            _ => {
                return Err(KubectlError::plain(format!("{address} is not a valid IP")));
            }
        };
        addresses.extend(parsed.iter().map(|a| a.to_string()));
    }
    addresses.sort();
    addresses.dedup();
    Ok(addresses)
}

impl PortForward {
    /// One line per connection since the last poll; the end once the pod is gone or a
    /// connection found nothing listening in it.
    pub fn poll(
        &mut self,
        cluster: &mut Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        let pod = cluster
            .store()
            .pods
            .get(&ObjectKey::new(&self.namespace, &self.pod));
        let mut lost = !pod.is_some_and(|p| {
            p.metadata.uid == self.uid && p.status.phase == Some(PodPhase::Running)
        });
        let now = cluster.now();
        for (local, seen) in &mut self.ports {
            let Some(forward) = cluster.forward(*local) else {
                continue;
            };
            for _ in *seen..forward.connections {
                out.stdout
                    .push_str(&format!("Handling connection for {local}\n"));
            }
            *seen = forward.connections;
            if forward.broken && !lost {
                // client-go's handleConnection hands the error stream's message to
                // runtime.HandleError (a klog line), then closes the connection.
                let message = format!(
                    "an error occurred forwarding {local} -> {}: {}",
                    forward.port,
                    port_forward_refused(&self.uid, forward.port)
                );
                out.stderr
                    .push_str(&klog_error(now, self.pid, "portforward.go:413", &message));
            }
            lost |= forward.broken;
        }
        if !lost {
            return None;
        }
        self.stop(cluster);
        Some(Err(KubectlError::plain("lost connection to pod")))
    }

    /// The process this port-forward runs in.
    pub fn set_pid(&mut self, pid: u64) {
        self.pid = pid;
    }

    /// Closes the listeners (Ctrl-C, `kill`, or the end).
    pub fn stop(&self, cluster: &mut Cluster) {
        for (local, _) in &self.ports {
            cluster.close_forward(*local);
        }
    }
}

/// A klog error line as kubectl writes it to standard error: `Emmdd hh:mm:ss.uuuuuu`, the
/// process id in seven columns, the source line, the message.
fn klog_error(at: Time, pid: u64, source: &str, message: &str) -> String {
    let c = at.civil();
    let micros = at.0.rem_euclid(1000) * 1000;
    format!(
        "E{:02}{:02} {:02}:{:02}:{:02}.{micros:06} {pid:>7} {source}] {message}\n",
        c.month, c.day, c.hour, c.minute, c.second
    )
}
