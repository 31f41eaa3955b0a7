//! The API server over real sockets: what kubectl asks, what a bad client sends.

use rollout_apiserver::{bind, serve, Server};
use rollout_kubectl::lab::Lab;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// A server on a free loopback port, serving a fresh lab on its own thread.
fn start() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(bound) = bind(Ipv4Addr::LOCALHOST.into(), 0) else {
            return;
        };
        let _ = tx.send(bound.address);
        let server = Server::new(Lab::headless(1), bound.address, 0.0);
        let _ = serve(bound, server);
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("server started")
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
