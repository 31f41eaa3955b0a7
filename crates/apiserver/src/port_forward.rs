//! `pods/NAME/portforward`: what a real `kubectl port-forward` opens once it has found its
//! pod. The connection is upgraded to SPDY/3.1 (`portforward.k8s.io`); for each local
//! connection kubectl opens a pair of streams with the same `requestID` — `error` and `data`,
//! each naming the pod's `port` — as the kubelet's streaming server pairs them. The data
//! stream carries the client's bytes to the port in the pod and the app's answer back; the
//! error stream stays empty unless nothing listens there.
//!
//! Three parts, as for exec: [`plan`] on the lab's thread before the upgrade; [`serve`] on the
//! connection's thread after it, reading frames on a thread of its own so that it can look
//! every half second whether the pod is still there (a deleted pod closes the connection:
//! kubectl then says `lost connection to pod`); and [`answer`], the lab's thread's half of
//! each request.

use crate::http::Request;
use crate::spdy::{self, Frame, Headers, FIN};
use crate::status::Status;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::network::http::{http_date, Request as AppRequest, Wire};
use rollout_sim::network::{port_forward_refused, ConnectError};
use rollout_sim::objects::PodPhase;
use std::collections::BTreeMap;
use std::io::{self, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

pub const PROTOCOL: &str = "portforward.k8s.io";
/// How often the connection asks whether its pod is still there.
const LOOK: Duration = Duration::from_millis(500);
/// The most data frames are cut to, as the client's own copy loop writes them.
const CHUNK: usize = 32 * 1024;

/// A port-forward the lab can serve, not yet upgraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub namespace: String,
    pub pod: String,
    /// The pod the connection is to: a new pod of the same name is another.
    pub uid: String,
}

/// Checks a port-forward request against the cluster and the upgrade it asks for.
pub fn plan(
    cluster: &Cluster,
    request: &Request,
    namespace: &str,
    pod: &str,
) -> Result<Plan, Status> {
    let object = crate::exec::live_pod(cluster, namespace, pod)?;
    request.upgrade_to("SPDY/3.1", "port-forward over SPDY/3.1")?;
    let offered = request.header_list("x-stream-protocol-version");
    if !offered.contains(&PROTOCOL) {
        return Err(Status::new(
            403,
            "Forbidden",
            format!(
                "unable to upgrade: unable to negotiate protocol: client supports {offered:?}, server supports [\"{PROTOCOL}\"]"
            ),
        ));
    }
    Ok(Plan {
        namespace: namespace.to_string(),
        pod: pod.to_string(),
        uid: object.metadata.uid.clone(),
    })
}

/// What a connection asks the lab's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Is the pod still there, and running?
    Alive,
    /// A client's request to `port` in the pod, as it came on the data stream.
    Send { port: u16, bytes: Vec<u8> },
}

/// The lab's thread's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Alive(bool),
    /// The app's answer as bytes, or what goes on the error stream.
    Sent(Result<Vec<u8>, String>),
}

/// The lab's thread's half: answers `ask` for the connection `plan`.
pub fn answer(cluster: &mut Cluster, plan: &Plan, ask: Ask) -> Answer {
    let pod = cluster
        .store()
        .pods
        .get(&ObjectKey::new(&plan.namespace, &plan.pod))
        .filter(|p| p.metadata.uid == plan.uid && p.status.phase == Some(PodPhase::Running));
    let pod_ip = pod.and_then(|p| p.status.pod_ip.clone());
    match ask {
        Ask::Alive => Answer::Alive(pod_ip.is_some()),
        Ask::Send { port, bytes } => {
            let Some(pod_ip) = pod_ip else {
                return Answer::Sent(Err(format!("pod {} is gone", plan.pod)));
            };
            let Wire::Request(request) = AppRequest::from_wire(&bytes) else {
                // Not HTTP: the apps close the connection without a word.
                return Answer::Sent(Ok(Vec::new()));
            };
            let head_only = request.method == "HEAD";
            Answer::Sent(match cluster.port_forward_request(&pod_ip, port, request) {
                Ok(mut response) => {
                    // The app's clock is the wall clock the API's timestamps are mapped onto.
                    if response.headers.get("Date").is_some() {
                        let shift = crate::wall::shift_seconds(cluster.now());
                        let now = cluster.now() + rollout_sim::clock::Duration::from_secs(shift);
                        response.headers.set("Date", http_date(now));
                    }
                    Ok(response.to_wire(head_only))
                }
                Err(ConnectError::Refused | ConnectError::EmptyReply) => {
                    Err(port_forward_refused(&plan.uid, port))
                }
                Err(ConnectError::TimedOut) => Err(format!(
                    "error forwarding port {port} to pod {}, uid : dial tcp4 127.0.0.1:{port}: i/o timeout",
                    plan.uid
                )),
            })
        }
    }
}

/// One request's pair of streams.
#[derive(Debug, Default)]
struct Pair {
    port: u16,
    error: Option<u32>,
    data: Option<u32>,
    /// What came on the data stream so far.
    received: Vec<u8>,
    done: bool,
}

/// Serves an upgraded connection until the client closes it or the pod is gone.
/// `ask` hands a question to the lab's thread; `None`: the server has stopped.
pub fn serve(
    reader: BufReader<TcpStream>,
    output: &mut TcpStream,
    mut ask: impl FnMut(Ask) -> Option<Answer>,
) -> io::Result<()> {
    output.write_all(
        format!(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: {PROTOCOL}\r\n\r\n"
        )
        .as_bytes(),
    )?;
    output.flush()?;
    let (frames, inbox) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = reader;
        while let Ok(frame) = spdy::read_frame(&mut reader) {
            if frames.send(frame).is_err() {
                return;
            }
        }
    });
    let mut headers = Headers::default();
    let mut pairs: BTreeMap<String, Pair> = BTreeMap::new();
    let mut last_stream = 0;
    loop {
        let frame = match inbox.recv_timeout(LOOK) {
            Ok(frame) => frame,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if ask(Ask::Alive) == Some(Answer::Alive(true)) {
                    continue;
                }
                // The pod is gone: so is the kubelet's end of the connection.
                let _ = spdy::write_goaway(output, last_stream);
                return output.shutdown(std::net::Shutdown::Both);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        match frame {
            Frame::Control { kind, payload, .. } if kind == spdy::SYN_STREAM => {
                let Some((stream, pairs_in)) = spdy::syn_stream(&mut headers, &payload) else {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "bad SYN_STREAM"));
                };
                last_stream = last_stream.max(stream);
                let header = |name: &str| {
                    pairs_in
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.as_str())
                };
                let port = header("port").and_then(|p| p.parse::<u16>().ok());
                let (Some(port), Some(request_id), Some(kind @ ("error" | "data"))) =
                    (port, header("requestid"), header("streamtype"))
                else {
                    spdy::write_refused(output, stream)?;
                    continue;
                };
                if pairs.len() >= 256 && !pairs.contains_key(request_id) {
                    spdy::write_refused(output, stream)?;
                    continue;
                }
                spdy::write_syn_reply(output, &mut headers, stream)?;
                let pair = pairs.entry(request_id.to_string()).or_default();
                pair.port = port;
                if kind == "error" {
                    pair.error = Some(stream);
                } else {
                    pair.data = Some(stream);
                }
            }
            Frame::Control { kind, payload, .. } if kind == spdy::PING => {
                if let Some(id) = spdy::word(&payload, 0) {
                    spdy::write_ping(output, id)?;
                }
            }
            Frame::Control { kind, .. } if kind == spdy::GOAWAY => return Ok(()),
            Frame::Control { .. } => {}
            Frame::Data {
                stream,
                flags,
                payload,
            } => {
                let Some((id, pair)) = pairs
                    .iter_mut()
                    .find(|(_, pair)| pair.data == Some(stream) && !pair.done)
                else {
                    continue;
                };
                if pair.received.len() + payload.len() > rollout_sim::network::http::MAX_WIRE_HEAD {
                    pair.received.clear();
                    pair.received.extend_from_slice(b"\xff");
                } else {
                    pair.received.extend_from_slice(&payload);
                }
                let whole = !matches!(AppRequest::from_wire(&pair.received), Wire::Partial);
                if !whole && flags & FIN == 0 {
                    continue;
                }
                pair.done = true;
                let bytes = std::mem::take(&mut pair.received);
                let (port, error) = (pair.port, pair.error);
                let id = id.clone();
                let reply = match ask(Ask::Send { port, bytes }) {
                    Some(Answer::Sent(reply)) => reply,
                    _ => return Ok(()),
                };
                finish(output, stream, error, reply)?;
                pairs.remove(&id);
            }
        }
        output.flush()?;
    }
}

/// The answer on the data stream, or the error on the error stream; then both closed, as
/// the kubelet closes them once the app has closed its connection.
fn finish(
    output: &mut impl Write,
    data: u32,
    error: Option<u32>,
    reply: Result<Vec<u8>, String>,
) -> io::Result<()> {
    match &reply {
        Ok(bytes) => {
            for chunk in bytes.chunks(CHUNK) {
                spdy::write_data(output, data, 0, chunk)?;
            }
        }
        Err(message) => {
            if let Some(error) = error {
                spdy::write_data(output, error, 0, message.as_bytes())?;
            }
        }
    }
    spdy::write_data(output, data, FIN, &[])?;
    if let Some(error) = error {
        spdy::write_data(output, error, FIN, &[])?;
    }
    Ok(())
}
