//! End-to-end: curl command lines in, exactly what curl prints out, through DNS,
//! kube-proxy, ingress-nginx and the apps.

use super::curl::{curl, split_words, CurlCommand, CurlOutput, UsageError};
use super::demoapp::ProbeResult;
use super::fixture::{endpoints, ingress, running_pod, service, Fixture};
use super::ingress_nginx::{CANARY, CANARY_BY_HEADER, CANARY_WEIGHT};
use super::{Client, IngressController, NetworkState};
use crate::clock::{Duration, Time};
use crate::objects::{EndpointAddress, ProbeHandler};
use crate::rng::Rng;

const CLIENT_IP: &str = "10.244.3.74";
const V11_IP: &str = "10.244.4.69";

/// Three v1.0 pods and one v1.1 pod behind `demoapp-svc`, one more v1.1 pod not ready; a
/// Service with no endpoints; ingress-nginx with a 5% canary for `demoapp.magedu.com`.
fn lab() -> Fixture {
    let mut cluster = Fixture::default();
    let v10 = [
        ("deployment-demo-584777f66f-6d29s", "10.244.5.59"),
        ("deployment-demo-584777f66f-kfb7b", "10.244.4.68"),
        ("deployment-demo-584777f66f-jqhwc", "10.244.5.55"),
    ];
    let v11 = [("deployment-demo-8dcb44cb-fjt2t", V11_IP)];
    for (name, ip) in v10 {
        cluster.pods.push((
            ip.into(),
            running_pod("default", name, "ikubernetes/demoapp:v1.0"),
        ));
    }
    for (name, ip) in v11 {
        cluster.pods.push((
            ip.into(),
            running_pod("default", name, "ikubernetes/demoapp:v1.1"),
        ));
    }
    cluster.pods.push((
        "10.244.3.90".into(),
        running_pod(
            "default",
            "deployment-demo-8dcb44cb-zzzzz",
            "ikubernetes/demoapp:v1.1",
        ),
    ));
    cluster.pods.push((
        CLIENT_IP.into(),
        running_pod("default", "client-7438", "ikubernetes/admin-box:v1.2"),
    ));

    cluster
        .services
        .push(service("default", "demoapp-svc", "10.101.199.252", 80));
    let all: Vec<&str> = v10.iter().chain(v11.iter()).map(|(_, ip)| *ip).collect();
    let mut eps = endpoints("default", "demoapp-svc", &all, 80);
    eps.subsets[0].not_ready_addresses.push(EndpointAddress {
        ip: "10.244.3.90".into(),
        ..EndpointAddress::default()
    });
    cluster.endpoints.push(eps);
    cluster
        .services
        .push(service("default", "empty-svc", "10.96.0.50", 80));
    cluster
        .endpoints
        .push(endpoints("default", "empty-svc", &[], 80));

    cluster
        .services
        .push(service("default", "demoapp-v10", "10.96.10.10", 80));
    cluster.endpoints.push(endpoints(
        "default",
        "demoapp-v10",
        &v10.map(|(_, ip)| ip),
        80,
    ));
    cluster
        .services
        .push(service("default", "demoapp-v11", "10.96.11.11", 80));
    cluster
        .endpoints
        .push(endpoints("default", "demoapp-v11", &[V11_IP], 80));
    cluster.ingresses.push(ingress(
        "default",
        "demoapp",
        Some("demoapp.magedu.com"),
        "/",
        "Prefix",
        "demoapp-v10",
        80,
    ));
    let mut canary = ingress(
        "default",
        "demoapp-canary",
        Some("demoapp.magedu.com"),
        "/",
        "Prefix",
        "demoapp-v11",
        80,
    );
    canary
        .metadata
        .annotations
        .insert(CANARY.into(), "true".into());
    canary
        .metadata
        .annotations
        .insert(CANARY_WEIGHT.into(), "5".into());
    canary
        .metadata
        .annotations
        .insert(CANARY_BY_HEADER.into(), "X-Canary".into());
    cluster.ingresses.push(canary);
    cluster.controller = Some(IngressController {
        addresses: vec!["10.0.0.100".into()],
        pod_ip: "10.244.0.9".into(),
        class: Default::default(),
    });
    cluster
        .hosts
        .push(("demoapp.magedu.com".into(), "10.0.0.100".into()));
    cluster
}

fn client() -> Client {
    Client {
        namespace: Some("default".into()),
        ip: CLIENT_IP.into(),
    }
}

struct Session {
    cluster: Fixture,
    network: NetworkState,
    rng: Rng,
    now: Time,
}

impl Session {
    fn new() -> Session {
        Session {
            cluster: lab(),
            network: NetworkState::default(),
            rng: Rng::new(8),
            now: Time(0),
        }
    }

    fn curl(&mut self, line: &str) -> CurlOutput {
        self.curl_from(&client(), line)
    }

    fn curl_from(&mut self, client: &Client, line: &str) -> CurlOutput {
        let words = split_words(line).unwrap_or_default();
        let args = words.get(1..).unwrap_or_default();
        let output = curl(
            args,
            &mut self.network,
            &self.cluster,
            client,
            self.now,
            &mut self.rng,
        );
        self.now = self.now + output.elapsed;
        output
    }
}

/// One command line: what stdout, stderr and the exit code must be.
#[track_caller]
fn check(line: &str, stdout: &str, stderr: &str, exit_code: i32) {
    let output = Session::new().curl(line);
    assert_eq!(
        (
            output.stdout().as_str(),
            output.stderr().as_str(),
            output.exit_code
        ),
        (stdout, stderr, exit_code),
        "{line}"
    );
}

#[test]
fn curling_a_pod_ip_prints_demoapps_line() {
    check(
        &format!("curl {V11_IP}"),
        "iKubernetes demoapp v1.1 !! ClientIP: 10.244.3.74, ServerName: deployment-demo-8dcb44cb-fjt2t, ServerIP: 10.244.4.69!\n",
        "",
        0,
    );
    check(
        &format!("curl http://{V11_IP}:80/hostname"),
        "ServerName: deployment-demo-8dcb44cb-fjt2t\n",
        "",
        0,
    );
}

#[test]
fn curling_the_service_reaches_one_of_its_ready_pods() {
    for host in [
        "demoapp-svc",
        "demoapp-svc.default",
        "demoapp-svc.default.svc.cluster.local",
        "10.101.199.252",
    ] {
        let output = Session::new().curl(&format!("curl {host}"));
        assert_eq!(output.exit_code, 0);
        assert!(
            output.stdout().starts_with("iKubernetes demoapp v1."),
            "{host}"
        );
        assert!(output
            .stdout()
            .contains("ClientIP: 10.244.3.74, ServerName: deployment-demo-"));
        assert_eq!(
            output.routes[0].service.as_deref(),
            Some("default/demoapp-svc")
        );
    }
}

#[test]
fn one_new_pod_in_four_gets_about_a_quarter_of_a_curl_loop() {
    let mut session = Session::new();
    let mut v11 = 0;
    for _ in 0..4_000 {
        let out = session.curl("curl demoapp-svc.default");
        assert!(
            !out.stdout().contains("zzzzz"),
            "the unready pod never answers"
        );
        v11 += usize::from(out.stdout().contains("demoapp v1.1"));
    }
    assert!((920..=1080).contains(&v11), "{v11}");
}

#[test]
fn unknown_hosts_fail_with_exit_code_6() {
    check(
        "curl demoapp",
        "",
        "curl: (6) Could not resolve host: demoapp\n",
        6,
    );
    check("curl -s demoapp", "", "", 6);
    check(
        "curl -sS demoapp",
        "",
        "curl: (6) Could not resolve host: demoapp\n",
        6,
    );
}

#[test]
fn a_service_without_ready_endpoints_refuses_with_exit_code_7() {
    check(
        "curl empty-svc",
        "",
        "curl: (7) Failed to connect to empty-svc port 80 after 0 ms: Couldn't connect to server\n",
        7,
    );
    check(
        &format!("curl {CLIENT_IP}"),
        "",
        "curl: (7) Failed to connect to 10.244.3.74 port 80 after 0 ms: Couldn't connect to server\n",
        7,
    );
}

#[test]
fn an_address_nobody_answers_hangs_until_a_timeout() {
    let mut session = Session::new();
    let out = session.curl("curl -m 3 demoapp-svc:8080");
    assert_eq!(out.stderr(), "curl: (28) Failed to connect to demoapp-svc port 8080 after 3001 ms: Timeout was reached\n");
    assert_eq!(
        (out.exit_code, out.elapsed),
        (28, Duration::from_millis(3001))
    );
    let out = session.curl("curl 10.1.2.3");
    assert_eq!(out.stderr(), "curl: (7) Failed to connect to 10.1.2.3 port 80 after 127000 ms: Couldn't connect to server\n");
    assert_eq!(out.elapsed, Duration::from_secs(127));
}

#[test]
fn posting_livez_fail_makes_the_pod_answer_506_until_it_restarts() {
    let mut session = Session::new();
    let set = session.curl(&format!("curl -X POST -d 'livez=FAIL' {V11_IP}/livez"));
    assert_eq!((set.combined().as_str(), set.exit_code), ("", 0));
    let get = session.curl(&format!("curl -s -w ' %{{http_code}}\\n' {V11_IP}/livez"));
    assert_eq!(get.stdout(), "FAIL 506\n");
    let failing = session.curl(&format!("curl -f {V11_IP}/livez"));
    assert_eq!(
        (failing.stderr().as_str(), failing.exit_code),
        ("curl: (22) The requested URL returned error: 506\n", 22)
    );

    let (pod, container) = {
        let pod = &session
            .cluster
            .pods
            .iter()
            .find(|(ip, _)| ip == V11_IP)
            .expect("fixture pod")
            .1;
        (pod.clone(), pod.spec.containers[0].clone())
    };
    let probe = ProbeHandler::HttpGet {
        path: "/livez".into(),
        port: 80,
    };
    assert_eq!(
        session.network.probe(&pod, &container, V11_IP, &probe),
        ProbeResult::Failure("HTTP probe failed with statuscode: 506".into())
    );
    let exec = ProbeHandler::Exec {
        command: vec![
            "/bin/sh".into(),
            "-c".into(),
            "[ \"$(curl -s 127.0.0.1/livez)\" == \"OK\" ]".into(),
        ],
    };
    assert!(matches!(
        session.network.probe(&pod, &container, V11_IP, &exec),
        ProbeResult::Failure(_)
    ));

    // The kubelet restarts the container: a fresh process, back to OK.
    for (ip, pod) in &mut session.cluster.pods {
        if ip == V11_IP {
            pod.status.container_statuses[0].restart_count = 1;
        }
    }
    assert_eq!(session.curl(&format!("curl {V11_IP}/livez")).stdout(), "OK");
}

#[test]
fn head_requests_print_the_status_line_and_headers() {
    check(
        &format!("curl -I {V11_IP}"),
        "HTTP/1.0 200 OK\nContent-Type: text/html; charset=utf-8\nContent-Length: 118\nServer: Werkzeug/1.0.0 Python/3.8.2\nDate: Mon, 23 Nov 2026 09:00:00 GMT\n\n",
        "",
        0,
    );
    check(
        &format!("curl -i {V11_IP}/readyz"),
        "HTTP/1.0 200 OK\nContent-Type: text/html; charset=utf-8\nContent-Length: 2\nServer: Werkzeug/1.0.0 Python/3.8.2\nDate: Mon, 23 Nov 2026 09:00:00 GMT\n\nOK",
        "",
        0,
    );
}

#[test]
fn write_out_reports_the_status_code_even_when_nothing_connected() {
    check(
        &format!("curl -s -o /dev/null -w '%{{http_code}}' {V11_IP}/nope"),
        "404",
        "",
        0,
    );
    check(
        "curl -s -o /dev/null -w '%{http_code}\\n' demoapp",
        "000\n",
        "",
        6,
    );
    check(
        &format!("curl -s -w '%{{remote_ip}}:%{{remote_port}} %{{bogus}}' -o /dev/null {V11_IP}"),
        "10.244.4.69:80 ",
        "curl: unknown --write-out variable: 'bogus'\n",
        0,
    );
}

#[test]
fn writing_to_a_file_shows_the_progress_meter() {
    check(
        &format!("curl -o /dev/null {V11_IP}"),
        "",
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100   118  100   118    0     0   115k      0 --:--:-- --:--:-- --:--:--  115k\n",
        0,
    );
}

#[test]
fn verbose_mode_shows_the_conversation() {
    let out = Session::new().curl(&format!("curl -v -H 'X-Canary: always' {V11_IP}/livez"));
    assert_eq!(
        out.combined(),
        "*   Trying 10.244.4.69:80...\n\
         * Connected to 10.244.4.69 (10.244.4.69) port 80\n\
         > GET /livez HTTP/1.1\n\
         > Host: 10.244.4.69\n\
         > User-Agent: curl/8.5.0\n\
         > Accept: */*\n\
         > X-Canary: always\n\
         > \n\
         * HTTP 1.0, assume close after body\n\
         < HTTP/1.0 200 OK\n\
         < Content-Type: text/html; charset=utf-8\n\
         < Content-Length: 2\n\
         < Server: Werkzeug/1.0.0 Python/3.8.2\n\
         < Date: Mon, 23 Nov 2026 09:00:00 GMT\n\
         < \n\
         OK* Closing connection\n"
    );
}

#[test]
fn bad_options_print_curls_usage_errors_with_exit_code_2() {
    let try_help = "curl: try 'curl --help' or 'curl --manual' for more information\n";
    check(
        "curl --foo demoapp-svc",
        "",
        &format!("curl: option --foo: is unknown\n{try_help}"),
        2,
    );
    check(
        "curl -sZ demoapp-svc",
        "",
        &format!("curl: option -sZ: is unknown\n{try_help}"),
        2,
    );
    check(
        "curl demoapp-svc -H",
        "",
        &format!("curl: option -H: requires parameter\n{try_help}"),
        2,
    );
    check(
        "curl -s",
        "",
        &format!("curl: no URL specified!\n{try_help}"),
        2,
    );
    check(
        "curl -m soon x",
        "",
        &format!("curl: option -m: expected a proper numerical parameter\n{try_help}"),
        2,
    );
    check(
        "curl --max-time=5 x",
        "",
        &format!("curl: option --max-time=5: is unknown\n{try_help}"),
        2,
    );
    assert_eq!(
        CurlCommand::parse(&["-I", "-d", "a=1", "x"]),
        Err(UsageError::TwoMethods)
    );
}

#[test]
fn short_options_cluster_and_take_attached_values() {
    let cmd = CurlCommand::parse(&[
        "-sSXPOST",
        "-o/dev/null",
        "-dreadyz=FAIL",
        "http://x/readyz",
    ])
    .expect("valid");
    assert!(cmd.silent && cmd.show_error);
    assert_eq!(cmd.method.as_deref(), Some("POST"));
    assert_eq!(cmd.output.as_deref(), Some("/dev/null"));
    assert_eq!(cmd.data, ["readyz=FAIL"]);
    assert_eq!(cmd.urls, ["http://x/readyz"]);
}

#[test]
fn malformed_urls_are_rejected_like_curl_does() {
    check(
        "curl ftp://x",
        "",
        "curl: (1) Protocol \"ftp\" not supported\n",
        1,
    );
    check(
        "curl http://x:99999",
        "",
        "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n",
        3,
    );
    check(
        "curl http://",
        "",
        "curl: (3) URL rejected: No host part in the URL\n",
        3,
    );
}

#[test]
fn through_the_ingress_the_pod_sees_the_controller_as_client() {
    let out =
        Session::new().curl("curl -H 'X-Canary: always' -H 'Host: demoapp.magedu.com' 10.0.0.100");
    assert_eq!(
        out.stdout(),
        "iKubernetes demoapp v1.1 !! ClientIP: 10.244.0.9, ServerName: deployment-demo-8dcb44cb-fjt2t, ServerIP: 10.244.4.69!\n"
    );
    assert_eq!(
        out.routes[0].ingress.as_deref(),
        Some("default/demoapp-canary")
    );
    assert!(out.routes[0].canary);
    let head = Session::new().curl("curl -I demoapp.magedu.com");
    assert_eq!(
        head.stdout(),
        "HTTP/1.1 200 OK\nDate: Mon, 23 Nov 2026 09:00:00 GMT\nContent-Type: text/html; charset=utf-8\nContent-Length: 119\nConnection: keep-alive\n\n"
    );
}

#[test]
fn the_ingress_canary_with_weight_5_gets_about_5_percent() {
    let mut session = Session::new();
    let canary = (0..4_000)
        .filter(|_| {
            session
                .curl("curl -s demoapp.magedu.com")
                .routes
                .first()
                .is_some_and(|r| r.canary)
        })
        .count();
    assert!((140..=260).contains(&canary), "{canary}");
    let never = (0..200)
        .filter(|_| {
            session
                .curl("curl -H 'X-Canary: never' demoapp.magedu.com")
                .stdout()
                .contains("v1.1")
        })
        .count();
    assert_eq!(never, 0);
}

#[test]
fn an_unknown_host_at_the_ingress_gets_nginxs_404_page() {
    let out = Session::new().curl("curl -i -H 'Host: nope.example.com' 10.0.0.100");
    assert_eq!(
        out.stdout(),
        "HTTP/1.1 404 Not Found\nDate: Mon, 23 Nov 2026 09:00:00 GMT\nContent-Type: text/html\nContent-Length: 146\nConnection: keep-alive\n\n\
         <html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
}

#[test]
fn loopback_inside_a_demoapp_pod_reaches_its_own_app() {
    let inside = Client {
        namespace: Some("default".into()),
        ip: V11_IP.into(),
    };
    let mut session = Session::new();
    assert_eq!(
        session
            .curl_from(&inside, "curl -s 127.0.0.1/livez")
            .stdout(),
        "OK"
    );
    assert!(session
        .curl_from(&inside, "curl localhost")
        .stdout()
        .contains("ClientIP: 127.0.0.1, ServerName: deployment-demo-8dcb44cb-fjt2t"));
}

#[test]
fn a_node_cannot_resolve_cluster_names_but_reaches_cluster_ips() {
    let node = Client {
        namespace: None,
        ip: "10.244.0.0".into(),
    };
    let mut session = Session::new();
    assert_eq!(
        session
            .curl_from(&node, "curl demoapp-svc.default")
            .exit_code,
        6
    );
    assert!(session
        .curl_from(&node, "curl 10.101.199.252")
        .stdout()
        .contains("ClientIP: 10.244.0.0,"));
}

#[test]
fn help_and_version_print_without_a_url() {
    let help = Session::new().curl("curl --help");
    assert!(help
        .stdout()
        .starts_with("Usage: curl [options...] <url>\n"));
    assert!(Session::new()
        .curl("curl -V")
        .stdout()
        .starts_with("curl 8.5.0 "));
}

#[test]
fn words_split_like_a_shell() {
    assert_eq!(
        split_words(r#"curl -H 'Host: a b' -d "x=\"1\"" c\ d"#),
        Ok(vec![
            "curl".into(),
            "-H".into(),
            "Host: a b".into(),
            "-d".into(),
            "x=\"1\"".into(),
            "c d".into()
        ])
    );
    assert!(split_words("curl 'open").is_err());
}

#[test]
fn absurd_command_lines_never_panic() {
    let mut session = Session::new();
    // Each line with the exit code curl documents for it (curl(1) "EXIT CODES": 2 failed
    // to initialize / bad usage, 3 malformed URL, 6 could not resolve host, 28 timeout,
    // 49 malformed option syntax), checked against curl 7.88 where no cluster is involved.
    let lines = [
        ("curl", 2),
        ("curl -", 2),
        ("curl --", 2),
        ("curl -- -s", 6),
        ("curl ''", 3),
        ("curl '' ''", 3),
        ("curl -w '%{' x", 6),
        ("curl -w '\\' x", 6),
        ("curl -w '%{http_code' 10.244.4.69", 0),
        ("curl -m -1 x", 2),
        ("curl -m 1e400 x", 2),
        ("curl --resolve :: x", 49),
        ("curl --resolve a:99999:1.2.3.4 a", 49),
        ("curl http://:80", 3),
        ("curl 'http://a b'", 3),
        ("curl http://x:/", 6),
        ("curl -H ':' -H ';' -H 'Host:' 10.244.4.69", 0),
        ("curl -b '' -b '=;;=' 10.244.4.69", 0),
        ("curl -X '' 10.244.4.69", 0),
        ("curl 10.244.4.69?x#y", 0),
        ("curl 999.1.1.1", 6),
        ("curl -m 0 10.9.9.9", 28),
        ("curl -H 'Host: demoapp.magedu.com:notaport' 10.0.0.100", 0),
        ("curl --data-urlencode 'ü=ä ö' 10.244.4.69/livez", 0),
        ("curl -d @/etc/passwd 10.244.4.69/livez", 0),
        ("curl -o", 2),
        ("curl -ooo", 2),
        ("curl -\u{1F600}", 2),
    ];
    for (line, code) in lines {
        let out = session.curl(line);
        assert_eq!(out.exit_code, code, "{line}: {}", out.stderr());
    }
    // An IPv6 literal and a host that is not a valid IDN: the lab's curl refuses the URL (3)
    // where a real one would try to connect (7) or resolve (6); either way a code curl
    // documents, never a crash.
    for line in ["curl http://[::1]/", "curl \u{1F600}"] {
        assert!([3, 6, 7].contains(&session.curl(line).exit_code), "{line}");
    }
    let long = format!("curl {}", "a.".repeat(10_000));
    assert_eq!(session.curl(&long).exit_code, 6);
}
