//! The API server over real sockets: what kubectl asks, what a bad client sends.

use rollout_apiserver::{bind, serve, Server};
use rollout_kubectl::lab::Lab;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

#[path = "../../kubectl/tests/support/oracle.rs"]
#[allow(dead_code)]
mod oracle_support;

/// A server on a free loopback port, serving a fresh lab on its own thread.
fn start() -> SocketAddr {
    start_after("")
}

/// A server whose lab has run `script` (the lab's own shell lines) first.
fn start_after(script: &'static str) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(bound) = bind(Ipv4Addr::LOCALHOST.into(), 0) else {
            return;
        };
        let mut lab = Lab::headless(1);
        if !script.is_empty() {
            lab.run_lines(script, rollout_sim::clock::Duration::from_secs(60));
        }
        let _ = tx.send(bound.address);
        let server = Server::new(lab, bound.address, 0.0);
        let _ = serve(bound, server);
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("server started")
}

/// A GET on a fresh connection, the body kept as bytes: (status code, head, body).
fn get_bytes(address: SocketAddr, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let text = format!("GET {path} HTTP/1.1\r\nHost: lab\r\n{headers}Connection: close\r\n\r\n");
    stream.write_all(text.as_bytes()).expect("write");
    let mut response = Vec::new();
    // The server closes the connection after its one response.
    let _ = stream.read_to_end(&mut response);
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let body = response.get(split + 4..).unwrap_or_default().to_vec();
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, head, body)
}

/// One request on a fresh connection: (status code, body).
fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let text = format!(
        "{method} {path} HTTP/1.1\r\nHost: lab\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).expect("write");
    let mut response = Vec::new();
    let mut buf = [0u8; 65536];
    // Read one response: the head, then Content-Length bytes.
    loop {
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response).to_string();
        if let Some((head, rest)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|l| l.trim().parse::<usize>().ok());
            if length.is_some_and(|len| rest.len() >= len) {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&response).to_string();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (code, body)
}

const DEPLOYMENT: &str = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}}}"#;

#[test]
fn the_server_answers_what_kubectl_asks() {
    let address = start();
    let (code, body) = request(address, "GET", "/version", "", "");
    assert_eq!(code, 200);
    assert!(body.contains("\"gitVersion\":\"v1.30.13\""), "{body}");

    let (code, body) = request(address, "GET", "/apis/apps/v1", "", "");
    assert_eq!(code, 200);
    assert!(body.contains("\"name\":\"deployments/scale\""), "{body}");

    let (code, _) = request(
        address,
        "POST",
        "/apis/apps/v1/namespaces/default/deployments",
        "Content-Type: application/json\r\n",
        DEPLOYMENT,
    );
    assert_eq!(code, 201);

    let (code, body) = request(
        address,
        "GET",
        "/apis/apps/v1/namespaces/default/deployments?labelSelector=app%3Dnone",
        "",
        "",
    );
    assert_eq!(code, 200);
    assert!(body.contains("\"items\":[]"), "{body}");

    let (code, body) = request(
        address,
        "GET",
        "/apis/apps/v1/namespaces/default/deployments",
        "Accept: application/json;as=Table;v=v1;g=meta.k8s.io\r\n",
        "",
    );
    assert_eq!(code, 200);
    assert!(
        body.contains("\"kind\":\"Table\"") && body.contains("\"UP-TO-DATE\""),
        "{body}"
    );

    let (code, body) = request(
        address,
        "PATCH",
        "/apis/apps/v1/namespaces/default/deployments/web",
        "Content-Type: application/strategic-merge-patch+json\r\n",
        r#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"web","image":"nginx:1.26"}]}}}}"#,
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("nginx:1.26"), "{body}");

    let (code, body) = request(
        address,
        "PATCH",
        "/apis/apps/v1/namespaces/default/deployments/web/scale",
        "Content-Type: application/merge-patch+json\r\n",
        r#"{"spec":{"replicas":5}}"#,
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"replicas\":5"), "{body}");

    let (code, body) = request(address, "POST", "/lab/advance?seconds=30", "", "");
    assert_eq!(code, 200, "{body}");
}

#[test]
fn errors_are_status_objects_with_the_api_servers_codes() {
    let address = start();
    let (code, body) = request(
        address,
        "GET",
        "/apis/apps/v1/namespaces/default/deployments/nope",
        "",
        "",
    );
    assert_eq!(code, 404);
    assert!(
        body.contains("\"message\":\"deployments.apps \\\"nope\\\" not found\""),
        "{body}"
    );

    let (code, body) = request(
        address,
        "POST",
        "/apis/apps/v1/namespaces/default/deployments",
        "Content-Type: application/json\r\n",
        "{not json",
    );
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("\"kind\":\"Status\""));

    let (code, _) = request(address, "GET", "/apis/nothing/v9/things", "", "");
    assert_eq!(code, 404);

    let (code, _) = request(address, "DELETE", "/version", "", "");
    assert_eq!(code, 405);
}

#[test]
fn bad_requests_get_errors_not_a_dead_server() {
    let address = start();
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.write_all(b"GARBAGE\r\n\r\n").expect("write");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");

    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .write_all(
            b"POST /api/v1/namespaces/default/pods HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n",
        )
        .expect("write");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");

    // Still serving.
    let (code, _) = request(address, "GET", "/version", "", "");
    assert_eq!(code, 200);
}

#[test]
fn it_refuses_to_listen_beyond_loopback() {
    let everywhere: IpAddr = Ipv4Addr::UNSPECIFIED.into();
    assert!(bind(everywhere, 0).is_err());
}

/// A WebSocket upgrade of `path` with the client's frames `frames` (channel byte first) sent
/// masked after the handshake: (the response's head, the server's frames as (opcode,
/// payload)) up to its close, after which the client answers with its own close.
fn websocket_exec(
    address: SocketAddr,
    path: &str,
    frames: &[&[u8]],
) -> (String, Vec<(u8, Vec<u8>)>) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: lab\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).expect("write");
    let mask = [0x12, 0x34, 0x56, 0x78];
    let masked = |opcode: u8, payload: &[u8]| {
        let mut frame = vec![0x80 | opcode, 0x80 | payload.len() as u8];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        frame
    };
    for payload in frames {
        stream.write_all(&masked(0x2, payload)).expect("write");
    }
    let mut bytes = Vec::new();
    let mut head = String::new();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        if head.is_empty() {
            let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            head = String::from_utf8_lossy(&bytes[..end]).into_owned();
            bytes.drain(..end + 4);
            if !head.starts_with("HTTP/1.1 101") {
                break;
            }
        }
        // Server frames: FIN, unmasked, lengths up to 16 bits here.
        while bytes.len() >= 2 {
            assert_eq!(bytes[1] & 0x80, 0, "server frames are not masked");
            let (length, start) = match bytes[1] {
                126 if bytes.len() >= 4 => {
                    (usize::from(u16::from_be_bytes([bytes[2], bytes[3]])), 4)
                }
                126 => break,
                n => (usize::from(n), 2),
            };
            if bytes.len() < start + length {
                break;
            }
            got.push((bytes[0] & 0x0F, bytes[start..start + length].to_vec()));
            bytes.drain(..start + length);
        }
        if got.last().is_some_and(|(opcode, _)| *opcode == 0x8) {
            stream
                .write_all(&masked(0x8, &1000u16.to_be_bytes()))
                .expect("close");
            break;
        }
    }
    (head, got)
}

/// `kubectl run NAME --image=busybox -- sleep 3600` in the served lab, and time to start.
fn running_pod(address: SocketAddr, name: &str) {
    let line = format!("kubectl run {name} --image=busybox -- sleep 3600\nsleep 5\n");
    let (code, body) = request(address, "POST", "/lab/shell", "", &line);
    assert_eq!(code, 200, "{body}");
}

#[test]
fn exec_is_a_websocket_with_the_streams_and_the_status_on_their_channels() {
    let address = start();
    running_pod(address, "box");
    let (head, frames) = websocket_exec(
        address,
        "/api/v1/namespaces/default/pods/box/exec?command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203&container=box&stdout=true&stderr=true",
        &[],
    );
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(
        head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        "{head}"
    );
    assert!(
        head.contains("Sec-WebSocket-Protocol: v5.channel.k8s.io"),
        "{head}"
    );
    let binary: Vec<&[u8]> = frames
        .iter()
        .filter(|(opcode, _)| *opcode == 0x2)
        .map(|(_, payload)| payload.as_slice())
        .collect();
    assert_eq!(binary[0], b"\x01out\n");
    assert_eq!(binary[1], b"\x02err\n");
    let status: serde_json::Value = serde_json::from_slice(&binary[2][1..]).expect("status");
    assert_eq!(binary[2][0], 3);
    assert_eq!(status["reason"], "NonZeroExitCode");
    assert_eq!(status["details"]["causes"][0]["reason"], "ExitCode");
    assert_eq!(status["details"]["causes"][0]["message"], "3");
    assert_eq!(frames.last(), Some(&(0x8, 1000u16.to_be_bytes().to_vec())));
}

#[test]
fn a_shells_stdin_is_its_script_and_a_missing_pod_is_refused_before_the_upgrade() {
    let address = start();
    running_pod(address, "box");
    let (head, frames) = websocket_exec(
        address,
        "/api/v1/namespaces/default/pods/box/exec?command=sh&container=box&stdin=true&stdout=true&stderr=true",
        &[b"\x00echo from", b"\x00 stdin\n", &[255, 0]],
    );
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert_eq!(frames[0], (0x2, b"\x01from stdin\n".to_vec()));
    let mut success = vec![3];
    success.extend_from_slice(br#"{"metadata":{},"status":"Success"}"#);
    assert_eq!(frames[1], (0x2, success));

    let (head, frames) = websocket_exec(
        address,
        "/api/v1/namespaces/default/pods/nope/exec?command=hostname&stdout=true",
        &[],
    );
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    assert!(frames.is_empty());

    // SPDY, kubectl's fallback, is not served: a Status says so.
    let (code, body) = request(
        address,
        "POST",
        "/api/v1/namespaces/default/pods/box/exec?command=hostname&stdout=true",
        "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n",
        "",
    );
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("WebSocket"), "{body}");
}

/// `kubectl cordon|uncordon` patch a node's `spec.unschedulable`, the one node field the
/// lab lets a client change; `describe node` reads the node's Lease (issue #12).
#[test]
fn nodes_can_be_cordoned_and_have_a_lease_and_nothing_else_changes() {
    let address = start();
    let smp = "Content-Type: application/strategic-merge-patch+json\r\n";
    let (code, body) = request(
        address,
        "PATCH",
        "/api/v1/nodes/k8s-node01",
        smp,
        r#"{"spec":{"unschedulable":true}}"#,
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"unschedulable\":true"), "{body}");
    assert!(body.contains("node.kubernetes.io/unschedulable"), "{body}");
    let (code, body) = request(
        address,
        "PATCH",
        "/api/v1/nodes/k8s-node01",
        smp,
        r#"{"spec":{"unschedulable":null}}"#,
    );
    assert_eq!(code, 200, "{body}");
    assert!(!body.contains("unschedulable\":true"), "{body}");
    let (code, body) = request(
        address,
        "PATCH",
        "/api/v1/nodes/k8s-node01",
        smp,
        r#"{"metadata":{"labels":{"disk":"ssd"}}}"#,
    );
    assert_eq!(code, 400, "{body}");
    let (code, body) = request(address, "PATCH", "/api/v1/nodes/nope", smp, "{}");
    assert_eq!(code, 404, "{body}");

    let (code, body) = request(
        address,
        "GET",
        "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/k8s-node02",
        "",
        "",
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"holderIdentity\":\"k8s-node02\""), "{body}");
    assert!(body.contains(".000000Z\""), "a MicroTime: {body}");
    let (code, body) = request(
        address,
        "GET",
        "/api/v1/pods?fieldSelector=spec.nodeName%3Dk8s-node02%2Cstatus.phase%21%3DFailed",
        "",
        "",
    );
    assert_eq!(code, 200, "{body}");
}

#[test]
fn pods_are_evicted_through_their_disruption_budget() {
    let address = start();
    let json = "Content-Type: application/json\r\n";
    let deployment = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"demoapp","image":"ikubernetes/demoapp:v1.0"}]}}}}"#;
    let (code, body) = request(
        address,
        "POST",
        "/apis/apps/v1/namespaces/default/deployments",
        json,
        deployment,
    );
    assert_eq!(code, 201, "{body}");
    let pdb = r#"{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web"},"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"app":"web"}}}}"#;
    let (code, body) = request(
        address,
        "POST",
        "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
        json,
        pdb,
    );
    assert_eq!(code, 201, "{body}");
    let (code, _) = request(address, "POST", "/lab/advance?seconds=30", "", "");
    assert_eq!(code, 200);

    // kubectl drain asks discovery whether the server has the eviction API.
    let (_, body) = request(address, "GET", "/api/v1", "", "");
    assert!(
        body.contains(r#""name":"pods/eviction""#) && body.contains(r#""group":"policy""#),
        "{body}"
    );
    let (_, body) = request(
        address,
        "GET",
        "/apis/policy/v1/namespaces/default/poddisruptionbudgets/web",
        "",
        "",
    );
    assert!(body.contains(r#""disruptionsAllowed":1"#), "{body}");

    let (_, pods) = request(address, "GET", "/api/v1/namespaces/default/pods", "", "");
    let pods: serde_json::Value = serde_json::from_str(&pods).expect("a pod list");
    let names: Vec<&str> = pods["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pod| pod["metadata"]["name"].as_str())
        .collect();
    assert!(names.len() >= 2, "{pods}");
    let eviction = |name: &str| {
        format!(
            r#"{{"apiVersion":"policy/v1","kind":"Eviction","metadata":{{"name":"{name}","namespace":"default"}},"deleteOptions":{{}}}}"#
        )
    };
    let path = |name: &str| format!("/api/v1/namespaces/default/pods/{name}/eviction");
    let (code, body) = request(address, "POST", &path(names[0]), json, &eviction(names[1]));
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("name in URL does not match name in Eviction object"));
    let (code, body) = request(address, "POST", &path(names[0]), json, &eviction(names[0]));
    assert_eq!(code, 201, "{body}");
    let (code, body) = request(address, "POST", &path(names[1]), json, &eviction(names[1]));
    assert_eq!(code, 429, "{body}");
    assert!(body.contains(
        r#""message":"Cannot evict pod as it would violate the pod's disruption budget.""#
    ));
    assert!(body.contains(r#""reason":"DisruptionBudget""#), "{body}");
    assert!(
        body.contains("The disruption budget web needs 1 healthy pods and has 1 currently"),
        "{body}"
    );
    let (code, _) = request(address, "POST", &path("nope"), json, &eviction("nope"));
    assert_eq!(code, 404);
}

#[test]
fn openapi_v3_carries_the_labs_schemas_for_explain() {
    let address = start();
    let (code, body) = request(address, "GET", "/openapi/v3/apis/apps/v1", "", "");
    assert_eq!(code, 200);
    let doc: serde_json::Value = serde_json::from_str(&body).expect("json");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Deployment"]["x-kubernetes-group-version-kind"][0],
        serde_json::json!({ "group": "apps", "version": "v1", "kind": "Deployment" })
    );
    let surge = &schemas["RollingUpdateDeployment"]["properties"]["maxSurge"];
    assert_eq!(
        surge["allOf"][0]["$ref"],
        "#/components/schemas/IntOrString"
    );
    assert!(schemas["IntOrString"].get("type").is_none());
    assert_eq!(schemas["Time"]["type"], "string");
    assert!(schemas["DeploymentSpec"]["required"]
        .as_array()
        .is_some_and(|r| r.contains(&serde_json::json!("selector"))));
    // An add-on's group version has no document until it is installed.
    let (code, _) = request(
        address,
        "GET",
        "/openapi/v3/apis/argoproj.io/v1alpha1",
        "",
        "",
    );
    assert_eq!(code, 404);
}

/// One protobuf field as the wire carries it: a varint, or a length-delimited run.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
}

/// A protobuf message's fields in order, for reading gnostic's `openapi_v2.Document`
/// without its generated code; `None` where the bytes are not a message of varint and
/// length-delimited fields.
fn fields(mut bytes: &[u8]) -> Option<Vec<(u64, Wire<'_>)>> {
    fn varint(bytes: &mut &[u8]) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = bytes.split_first()?;
            *bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let key = varint(&mut bytes)?;
        let value = match key & 7 {
            0 => Wire::Varint(varint(&mut bytes)?),
            2 => {
                let length = usize::try_from(varint(&mut bytes)?).ok()?;
                let (run, rest) = (bytes.get(..length)?, bytes.get(length..)?);
                bytes = rest;
                Wire::Bytes(run)
            }
            _ => return None,
        };
        out.push((key >> 3, value));
    }
    Some(out)
}

/// The length-delimited fields numbered `field`.
fn runs<'a>(message: &[(u64, Wire<'a>)], field: u64) -> Vec<&'a [u8]> {
    message
        .iter()
        .filter_map(|(number, value)| match value {
            Wire::Bytes(run) if *number == field => Some(*run),
            _ => None,
        })
        .collect()
}

/// Every `$ref` in a JSON document.
fn references(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner.as_str()) {
                    ("$ref", Some(target)) => out.push(target.to_string()),
                    _ => references(inner, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

const PROTOBUF_V2: &str = "Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf\r\n";

#[test]
fn openapi_v2_is_the_same_schemas_as_swagger_json_and_as_gnostic_protobuf() {
    let address = start();
    let (code, head, body) = get_bytes(address, "/openapi/v2", "Accept: application/json\r\n");
    assert_eq!(code, 200, "{head}");
    let doc: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(doc["swagger"], "2.0");
    let definitions = doc["definitions"].as_object().expect("definitions");
    let deployment = &definitions["io.k8s.api.apps.v1.Deployment"];
    assert_eq!(
        deployment["x-kubernetes-group-version-kind"][0],
        serde_json::json!({ "group": "apps", "version": "v1", "kind": "Deployment" })
    );
    assert_eq!(
        definitions["io.k8s.api.apps.v1.RollingUpdateDeployment"]["properties"]["maxSurge"]["$ref"],
        "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"
    );
    assert!(definitions.contains_key("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    // No add-on's types before it is installed, and no reference that dangles (kube-openapi
    // refuses the whole document for one).
    assert!(!definitions
        .keys()
        .any(|name| name.starts_with("io.argoproj")));
    let mut targets = Vec::new();
    references(&doc, &mut targets);
    assert!(!targets.is_empty());
    for target in &targets {
        let name = target.strip_prefix("#/definitions/").unwrap_or(target);
        assert!(definitions.contains_key(name), "dangling {target}");
    }
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .expect("an ETag")
        .to_string();

    // The protobuf form: a gnostic Document with the same definitions.
    let (code, head, body) = get_bytes(address, "/openapi/v2", PROTOBUF_V2);
    assert_eq!(code, 200, "{head}");
    assert!(
        head.contains("Content-Type: application/com.github.proto-openapi.spec.v2.v1.0+protobuf"),
        "{head}"
    );
    let document = fields(&body).expect("a protobuf message");
    assert_eq!(runs(&document, 1), [b"2.0".as_slice()]); // swagger
    let [definitions_run] = runs(&document, 9)[..] else {
        panic!("one definitions field: {document:?}");
    };
    let named: Vec<Vec<(u64, Wire)>> = runs(&fields(definitions_run).expect("Definitions"), 1)
        .into_iter()
        .map(|run| fields(run).expect("NamedSchema"))
        .collect();
    assert_eq!(named.len(), definitions.len());
    let deployment = named
        .iter()
        .find(|n| runs(n, 1) == [b"io.k8s.api.apps.v1.Deployment".as_slice()])
        .expect("the Deployment's definition");
    let schema = fields(runs(deployment, 2)[0]).expect("Schema");
    let extensions: Vec<Vec<(u64, Wire)>> = runs(&schema, 31)
        .into_iter()
        .map(|run| fields(run).expect("NamedAny"))
        .collect();
    assert!(extensions
        .iter()
        .any(|e| runs(e, 1) == [b"x-kubernetes-group-version-kind".as_slice()]));
    let properties = fields(runs(&schema, 25)[0]).expect("Properties");
    assert_eq!(
        runs(&properties, 1).len(),
        deployment_property_count(definitions)
    );

    // Unchanged: 304, for either form; a media type it cannot give: 406, as a Status.
    let (code, _, body) = get_bytes(
        address,
        "/openapi/v2",
        &format!("{PROTOBUF_V2}If-None-Match: {etag}\r\n"),
    );
    assert_eq!((code, body.len()), (304, 0));
    let (code, _, body) = get_bytes(address, "/openapi/v2", "Accept: text/html\r\n");
    assert_eq!(code, 406);
    assert!(String::from_utf8_lossy(&body).contains("\"kind\":\"Status\""));
}

fn deployment_property_count(definitions: &serde_json::Map<String, serde_json::Value>) -> usize {
    definitions["io.k8s.api.apps.v1.Deployment"]["properties"]
        .as_object()
        .map_or(0, |p| p.len())
}

/// The lab's lines that install Argo Rollouts, as the getting-started transcript does.
const INSTALL_ARGO_ROLLOUTS: &str = "kubectl create namespace argo-rollouts
kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml";

#[test]
fn real_kubectl_explains_from_openapi_v2_a_kind_and_an_add_ons_kind() {
    let address = start_after(INSTALL_ARGO_ROLLOUTS);
    let (code, _, body) = get_bytes(address, "/openapi/v2", "");
    assert_eq!(code, 200);
    let doc: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let rollout = &doc["definitions"]["io.argoproj.v1alpha1.Rollout"];
    assert_eq!(
        rollout["x-kubernetes-group-version-kind"][0]["kind"],
        "Rollout"
    );
    assert!(rollout["properties"]["spec"]["properties"]["strategy"].is_object());

    let Some(kubectl) = oracle_support::real_kubectl() else {
        oracle_support::summary(
            "kubectl explain (OpenAPI v2): skipped (no kubectl.1.30 on this machine)",
        );
        return;
    };
    let work = std::env::temp_dir().join(format!("rollout-openapi-v2-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("work dir");
    let config = work.join("kubeconfig");
    std::fs::write(&config, rollout_apiserver::kubeconfig(address)).expect("kubeconfig");
    let explain = |what: &str| {
        let output = std::process::Command::new(&kubectl)
            .args(["explain", what, "--output=plaintext-openapiv2"])
            .env("HOME", &work)
            .env("KUBECONFIG", &config)
            .output()
            .expect("kubectl runs");
        let text = String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "kubectl explain {what}:\n{text}");
        text
    };
    let strategy = explain("deployment.spec.strategy");
    for expected in [
        "KIND:     Deployment",
        "RESOURCE: strategy <Object>",
        "rollingUpdate\t<Object>",
        "type\t<string>",
        "Rolling update config params",
    ] {
        assert!(strategy.contains(expected), "{expected:?} in:\n{strategy}");
    }
    let spec = explain("rollouts.spec");
    for expected in [
        "KIND:     Rollout",
        "VERSION:  argoproj.io/v1alpha1",
        "strategy\t<Object>",
        "template\t<Object>",
        "workloadRef\t<Object>",
    ] {
        assert!(spec.contains(expected), "{expected:?} in:\n{spec}");
    }
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn discovery_is_aggregated_when_the_client_asks_for_it() {
    let address = start();
    let accept = "Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json\r\n";
    let (code, body) = request(address, "GET", "/apis", accept, "");
    assert_eq!(code, 200);
    let list: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(list["kind"], "APIGroupDiscoveryList");
    assert_eq!(list["apiVersion"], "apidiscovery.k8s.io/v2");
    let apps = list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|g| g["metadata"]["name"] == "apps"))
        .expect("apps");
    let deployments = &apps["versions"][0]["resources"][0];
    assert_eq!(deployments["resource"], "deployments");
    assert_eq!(deployments["scope"], "Namespaced");
    assert_eq!(deployments["shortNames"][0], "deploy");
    assert!(deployments["subresources"]
        .as_array()
        .is_some_and(|subs| subs
            .iter()
            .any(|s| s["subresource"] == "scale" && s["responseKind"]["group"] == "autoscaling")));
    let (_, core) = request(address, "GET", "/api", accept, "");
    let core: serde_json::Value = serde_json::from_str(&core).expect("json");
    assert_eq!(core["items"][0]["versions"][0]["version"], "v1");
    assert!(core["items"][0]["metadata"].get("name").is_none());
    // v2beta1 when that is all the client takes; legacy for plain JSON.
    let beta =
        "Accept: application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList\r\n";
    let (_, body) = request(address, "GET", "/apis", beta, "");
    assert!(body.contains("\"apidiscovery.k8s.io/v2beta1\""));
    let (_, body) = request(address, "GET", "/apis", "Accept: application/json\r\n", "");
    assert!(body.contains("\"APIGroupList\""));
}

#[test]
fn deletes_orphan_or_wait_for_dependents_as_their_policy_says() {
    let address = start();
    let deployments = "/apis/apps/v1/namespaces/default/deployments";
    let json = "Content-Type: application/json\r\n";
    let (code, _) = request(address, "POST", deployments, json, DEPLOYMENT);
    assert_eq!(code, 201);
    request(address, "POST", "/lab/advance?seconds=30", "", "");
    // Orphan: the ReplicaSet stays, without its owner reference.
    let orphan = r#"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Orphan"}"#;
    let (code, _) = request(
        address,
        "DELETE",
        &format!("{deployments}/web"),
        json,
        orphan,
    );
    assert_eq!(code, 200);
    request(address, "POST", "/lab/advance?seconds=30", "", "");
    let (_, body) = request(
        address,
        "GET",
        "/apis/apps/v1/namespaces/default/replicasets",
        "",
        "",
    );
    let list: serde_json::Value = serde_json::from_str(&body).expect("json");
    let rs = &list["items"][0];
    assert_eq!(rs["status"]["readyReplicas"], 2, "{body}");
    assert!(rs["metadata"].get("ownerReferences").is_none(), "{body}");
    // Foreground: the Deployment waits, marked, until its ReplicaSet and pods are gone.
    let (code, _) = request(
        address,
        "POST",
        deployments,
        json,
        &DEPLOYMENT.replace("\"web\"", "\"api\""),
    );
    assert_eq!(code, 201);
    request(address, "POST", "/lab/advance?seconds=30", "", "");
    let foreground = r#"{"propagationPolicy":"Foreground"}"#;
    let (code, body) = request(
        address,
        "DELETE",
        &format!("{deployments}/api"),
        json,
        foreground,
    );
    assert_eq!(code, 200);
    let waiting: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        waiting["metadata"]["finalizers"][0], "foregroundDeletion",
        "{body}"
    );
    assert!(
        waiting["metadata"]["deletionTimestamp"].is_string(),
        "{body}"
    );
    let (code, _) = request(address, "GET", &format!("{deployments}/api"), "", "");
    assert_eq!(code, 200, "still there while its pods terminate");
    request(address, "POST", "/lab/advance?seconds=60", "", "");
    let (code, _) = request(address, "GET", &format!("{deployments}/api"), "", "");
    assert_eq!(code, 404);
    // A policy the API does not know is refused.
    let bad = r#"{"propagationPolicy":"Sometimes"}"#;
    let (code, body) = request(
        address,
        "DELETE",
        "/apis/apps/v1/namespaces/default/replicasets/x",
        json,
        bad,
    );
    assert_eq!(code, 422, "{body}");
}

#[test]
fn server_side_apply_creates_updates_and_refuses_conflicts_unless_forced() {
    let address = start();
    let path = "/apis/apps/v1/namespaces/default/deployments/web";
    let apply = "Content-Type: application/apply-patch+yaml\r\n";
    let (code, body) = request(
        address,
        "PATCH",
        &format!("{path}?fieldManager=kubectl"),
        apply,
        DEPLOYMENT,
    );
    assert_eq!(code, 201, "{body}");
    // The same manager may change its own fields.
    let three = DEPLOYMENT.replace("\"replicas\":2", "\"replicas\":3");
    let (code, body) = request(
        address,
        "PATCH",
        &format!("{path}?fieldManager=kubectl"),
        apply,
        &three,
    );
    assert_eq!(code, 200, "{body}");
    // Another manager may not, unless forced.
    let four = DEPLOYMENT.replace("\"replicas\":2", "\"replicas\":4");
    let (code, body) = request(
        address,
        "PATCH",
        &format!("{path}?fieldManager=ci"),
        apply,
        &four,
    );
    assert_eq!(code, 409, "{body}");
    let status: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(status["reason"], "Conflict");
    assert_eq!(
        status["message"],
        "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"
    );
    let (code, body) = request(
        address,
        "PATCH",
        &format!("{path}?fieldManager=ci&force=true"),
        apply,
        &four,
    );
    assert_eq!(code, 200, "{body}");
    let (_, body) = request(address, "GET", path, "", "");
    let live: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(live["spec"]["replicas"], 4);
    // Without a manager an apply is invalid.
    let (code, _) = request(address, "PATCH", path, apply, DEPLOYMENT);
    assert_eq!(code, 422);
}

#[test]
fn autoscalers_are_served_at_v2_and_v1_and_metrics_once_metrics_server_is_ready() {
    let address = start();
    let (_, body) = request(address, "GET", "/apis", "", "");
    assert!(body.contains("\"autoscaling/v1\""), "{body}");
    assert!(!body.contains("metrics.k8s.io"), "{body}");
    let (code, _) = request(address, "GET", "/apis/metrics.k8s.io/v1beta1/pods", "", "");
    assert_eq!(code, 404);

    // kubectl autoscale's v1 object: stored as v2, answered as v1.
    let hpa = r#"{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":8,"targetCPUUtilizationPercentage":50}}"#;
    let path = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    let (code, body) = request(address, "POST", path, "", hpa);
    assert_eq!(code, 201, "{body}");
    let v1: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v1["apiVersion"], "autoscaling/v1");
    assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 50);
    let (code, body) = request(address, "POST", path, "", hpa);
    assert_eq!(code, 409, "{body}");
    let (code, body) = request(
        address,
        "GET",
        "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web",
        "",
        "",
    );
    assert_eq!(code, 200, "{body}");
    let v2: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v2["apiVersion"], "autoscaling/v2");
    assert_eq!(
        v2["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
        50
    );
    let (_, body) = request(address, "GET", path, "", "");
    assert!(body.contains("\"HorizontalPodAutoscalerList\""), "{body}");
    assert!(
        body.contains("\"targetCPUUtilizationPercentage\":50"),
        "{body}"
    );

    // Registered but not ready: in discovery, 503 behind it; then the last scrape.
    let (code, body) = request(
        address,
        "POST",
        "/lab/shell",
        "",
        "kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml",
    );
    assert_eq!(code, 200, "{body}");
    let (_, body) = request(address, "GET", "/apis", "", "");
    assert!(body.contains("metrics.k8s.io/v1beta1"), "{body}");
    let (code, body) = request(address, "GET", "/apis/metrics.k8s.io/v1beta1/nodes", "", "");
    assert_eq!(code, 503, "{body}");
    assert!(body.contains("ServiceUnavailable"), "{body}");
    let (code, _) = request(address, "POST", "/lab/advance?seconds=60", "", "");
    assert_eq!(code, 200);
    let (code, body) = request(address, "GET", "/apis/metrics.k8s.io/v1beta1/nodes", "", "");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"NodeMetricsList\""), "{body}");
    assert!(body.contains("\"k8s-node01\""), "{body}");
    let (code, body) = request(
        address,
        "GET",
        "/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dmetrics-server",
        "",
        "",
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"PodMetricsList\""), "{body}");
    let (code, body) = request(
        address,
        "GET",
        "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope",
        "",
        "",
    );
    assert_eq!(code, 404, "{body}");
    assert!(
        body.contains("podmetrics.metrics.k8s.io \\\"default/nope\\\" not found"),
        "{body}"
    );
}

/// kubectl port-forward's side of one connection: the upgrade, a pair of streams for
/// `port`, `request` on the data stream; what came back on the data and error streams.
fn spdy_forward(
    address: SocketAddr,
    pod: &str,
    port: u16,
    request: &str,
) -> (String, String, String) {
    use rollout_apiserver::spdy::{self, Frame, Headers, FIN};
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let upgrade = format!(
        "POST /api/v1/namespaces/default/pods/{pod}/portforward HTTP/1.1\r\nHost: lab\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n"
    );
    stream.write_all(upgrade.as_bytes()).expect("write");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    if !head.starts_with("HTTP/1.1 101") {
        // The connection stays open for the next request: its body, then the timeout.
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let mut rest = String::new();
        let _ = stream.read_to_string(&mut rest);
        return (head, rest, String::new());
    }
    let mut headers = Headers::default();
    let port = port.to_string();
    for (id, kind) in [(1, "error"), (3, "data")] {
        let pairs = [
            ("streamtype", kind),
            ("port", port.as_str()),
            ("requestid", "0"),
        ];
        spdy::write_syn_stream(&mut stream, &mut headers, id, &pairs).expect("syn");
    }
    spdy::write_data(&mut stream, 1, FIN, b"").expect("fin");
    spdy::write_data(&mut stream, 3, 0, request.as_bytes()).expect("data");
    let (mut data, mut error, mut open) = (Vec::new(), Vec::new(), 2);
    while open > 0 {
        let Ok(frame) = spdy::read_frame(&mut stream) else {
            break;
        };
        if let Frame::Data {
            stream: id,
            flags,
            payload,
        } = frame
        {
            match id {
                1 => error.extend_from_slice(&payload),
                _ => data.extend_from_slice(&payload),
            }
            if flags & FIN != 0 {
                open -= 1;
            }
        }
    }
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    (head, text(data), text(error))
}

#[test]
fn port_forward_carries_a_request_to_the_pod_over_spdy() {
    let address = start();
    let line = "kubectl create deployment web --image=ikubernetes/demoapp:v1.0\nsleep 30\n";
    let (code, body) = request(address, "POST", "/lab/shell", "", line);
    assert_eq!(code, 200, "{body}");
    let (_, pods) = request(address, "GET", "/api/v1/namespaces/default/pods", "", "");
    let pods: serde_json::Value = serde_json::from_str(&pods).expect("json");
    let pod = pods["items"][0]["metadata"]["name"]
        .as_str()
        .expect("a pod")
        .to_string();
    let get = "GET /hostname HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n";
    let (head, data, error) = spdy_forward(address, &pod, 80, get);
    assert!(head.contains("Upgrade: SPDY/3.1"), "{head}");
    assert!(data.starts_with("HTTP/1.0 200 OK\r\n"), "{data}");
    assert!(
        data.ends_with(&format!("\r\n\r\nServerName: {pod}\n")),
        "{data}"
    );
    assert_eq!(error, "");
    // Nothing listens on 8080 in the pod: the runtime's words on the error stream.
    let (_, data, error) = spdy_forward(address, &pod, 8080, get);
    assert_eq!(data, "");
    assert!(error.contains("connect: connection refused"), "{error}");
    // A pod that is not there is refused before the upgrade, as a Status.
    let (head, body, _) = spdy_forward(address, "nope", 80, get);
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    assert!(body.contains(r#"pods \"nope\" not found"#), "{body}");
}

/// A watch of `path`: the response's status line and the events read until `enough` says
/// so, the stream ends, or two seconds pass without a line.
fn watch_events(
    address: SocketAddr,
    path: &str,
    enough: impl Fn(&[serde_json::Value]) -> bool,
) -> (String, Vec<serde_json::Value>) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    let head = format!("GET {path} HTTP/1.1\r\nHost: lab\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("write");
    let mut bytes = Vec::new();
    let mut status = String::new();
    let mut events = Vec::new();
    let mut buf = [0u8; 65536];
    while !enough(&events) {
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        if status.is_empty() {
            let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
            status = head.lines().next().unwrap_or_default().to_string();
            bytes.drain(..end + 4);
            if !head.contains("Transfer-Encoding: chunked") {
                events.push(serde_json::from_slice(&bytes).unwrap_or_default());
                break;
            }
        }
        // Chunks: a hex length line, the bytes, CR LF; each one a line of JSON.
        while let Some(line_end) = bytes.windows(2).position(|w| w == b"\r\n") {
            let length = std::str::from_utf8(&bytes[..line_end])
                .ok()
                .and_then(|hex| usize::from_str_radix(hex.trim(), 16).ok())
                .expect("chunk length");
            if bytes.len() < line_end + 2 + length + 2 {
                break;
            }
            let chunk = &bytes[line_end + 2..line_end + 2 + length];
            if !chunk.is_empty() {
                events.push(serde_json::from_slice(chunk).expect("an event"));
            }
            bytes.drain(..line_end + 2 + length + 2);
        }
    }
    (status, events)
}

/// `metadata.resourceVersion` of a list at `path`.
fn listed_version(address: SocketAddr, path: &str) -> String {
    let (code, body) = request(address, "GET", path, "", "");
    assert_eq!(code, 200, "{body}");
    let list: serde_json::Value = serde_json::from_str(&body).expect("a list");
    list["metadata"]["resourceVersion"]
        .as_str()
        .expect("a version")
        .to_string()
}

#[test]
fn a_watch_from_a_listed_version_is_sent_every_step_since_then() {
    let address = start();
    let (code, _) = request(
        address,
        "POST",
        "/apis/apps/v1/namespaces/default/deployments",
        "Content-Type: application/json\r\n",
        DEPLOYMENT,
    );
    assert_eq!(code, 201);
    let _ = request(address, "POST", "/lab/advance?seconds=120", "", "");
    let replica_sets = "/apis/apps/v1/namespaces/default/replicasets";
    let listed = listed_version(address, replica_sets);

    // Between the list and the watch, a whole rollout happens.
    let (code, body) = request(
        address,
        "PATCH",
        "/apis/apps/v1/namespaces/default/deployments/web",
        "Content-Type: application/merge-patch+json\r\n",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}"#,
    );
    assert_eq!(code, 200, "{body}");
    let _ = request(address, "POST", "/lab/advance?seconds=120", "", "");

    let old_scaled_to_zero = |events: &[serde_json::Value]| {
        events.iter().any(|e| {
            e["type"] == "MODIFIED"
                && e["object"]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
                && e["object"]["spec"]["replicas"] == 0
        })
    };
    let (status, events) = watch_events(
        address,
        &format!("{replica_sets}?watch=1&resourceVersion={listed}"),
        old_scaled_to_zero,
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    let summary: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {} replicas={}",
                e["type"].as_str().unwrap_or_default(),
                e["object"]["spec"]["template"]["spec"]["containers"][0]["image"]
                    .as_str()
                    .unwrap_or_default(),
                e["object"]["spec"]["replicas"]
            )
        })
        .collect();
    // The new ReplicaSet is new to this client; the old one is seen scaling down step by
    // step, as `kubectl get rs -w` prints it.
    assert_eq!(
        summary.first().map(String::as_str),
        Some("ADDED nginx:1.26 replicas=1"),
        "{summary:#?}"
    );
    assert!(
        summary.contains(&"MODIFIED nginx:1.25 replicas=1".to_string()),
        "{summary:#?}"
    );
    assert!(old_scaled_to_zero(&events), "{summary:#?}");

    // A watch from now has nothing to catch up on.
    let now = listed_version(address, replica_sets);
    let (_, events) = watch_events(
        address,
        &format!("{replica_sets}?watch=1&resourceVersion={now}"),
        |events| !events.is_empty(),
    );
    assert!(events.is_empty(), "{events:#?}");

    // `rollout status` lists Deployments, then watches: the one it listed is now complete.
    let deployments = "/apis/apps/v1/namespaces/default/deployments";
    let (_, events) = watch_events(
        address,
        &format!("{deployments}?watch=1&resourceVersion={listed}"),
        |events| {
            events
                .iter()
                .any(|e| e["object"]["status"]["updatedReplicas"] == 2)
        },
    );
    assert!(
        events.iter().all(|e| e["type"] == "MODIFIED")
            && events
                .iter()
                .any(|e| e["object"]["status"]["updatedReplicas"] == 2
                    && e["object"]["status"]["availableReplicas"] == 2),
        "{events:#?}"
    );
}

#[test]
fn a_watch_from_too_old_a_version_is_gone_and_a_bad_one_refused() {
    let address = start();
    let (code, body) = request(address, "GET", "/lab/now", "", "");
    assert_eq!(code, 200, "{body}");
    let pods = "/api/v1/namespaces/default/pods";
    let first = listed_version(address, pods);
    // Enough writes to push the first state out of the history.
    for i in 0..140 {
        let namespace =
            format!(r#"{{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"ns-{i}"}}}}"#);
        let (code, body) = request(
            address,
            "POST",
            "/api/v1/namespaces",
            "Content-Type: application/json\r\n",
            &namespace,
        );
        assert_eq!(code, 201, "{body}");
    }
    let (_, body) = request(address, "GET", "/lab/now", "", "");
    assert!(body.contains("\"history\":128"), "{body}");

    // The real watch cache's answer: a 200 whose one event is a 410, then the end.
    let (status, events) = watch_events(
        address,
        &format!("{pods}?watch=1&resourceVersion={first}"),
        |_| false,
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(events.len(), 1, "{events:#?}");
    let error = &events[0];
    assert_eq!(error["type"], "ERROR");
    assert_eq!(error["object"]["kind"], "Status");
    assert_eq!(error["object"]["code"], 410);
    assert_eq!(error["object"]["reason"], "Expired");
    let message = error["object"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(&format!("too old resource version: {first} (")),
        "{message}"
    );

    // Not a number: kube-apiserver 1.30's answer, a 500 with the parser's text.
    let (code, body) = request(
        address,
        "GET",
        &format!("{pods}?watch=1&resourceVersion=-1"),
        "",
        "",
    );
    assert_eq!(code, 500, "{body}");
    assert!(
        body.contains(r#""message":"resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax""#)
            && !body.contains("\"reason\""),
        "{body}"
    );

    // "0": the current state, every object as ADDED.
    let (_, events) = watch_events(
        address,
        "/api/v1/namespaces?watch=1&resourceVersion=0",
        |events| events.len() >= 144,
    );
    assert_eq!(events.len(), 144);
    assert!(events.iter().all(|e| e["type"] == "ADDED"));
}

#[test]
fn a_followed_log_streams_what_the_container_writes_until_it_stops() {
    let address = start();
    let line = "kubectl run ticker --image=busybox -- sh -c 'i=0; while [ $i -lt 4 ]; do i=$((i+1)); echo tick $i; sleep 2; done'\nsleep 3\n";
    let (code, body) = request(address, "POST", "/lab/shell", "", line);
    assert_eq!(code, 200, "{body}");
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let get =
        "GET /api/v1/namespaces/default/pods/ticker/log?follow=true HTTP/1.1\r\nHost: lab\r\n\r\n";
    stream.write_all(get.as_bytes()).expect("write");
    let mut seen = Vec::new();
    let mut read_until = |stream: &mut TcpStream, text: &str| {
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&seen).contains(text) {
            let n = stream.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&seen).into_owned()
    };
    let so_far = read_until(&mut stream, "tick 1\n");
    assert!(so_far.contains("tick 1\n"), "{so_far}");
    assert!(!so_far.contains("tick 3"), "{so_far}");
    // The clock moves: the container writes on, and the stream carries it; it ends with the
    // container (the last chunk, `0`).
    request(address, "POST", "/lab/advance?seconds=10", "", "");
    let all = read_until(&mut stream, "\r\n0\r\n\r\n");
    assert!(all.contains("tick 4\n"), "{all}");
    assert!(all.ends_with("\r\n0\r\n\r\n"), "{all}");
}
