//! What a probe sees when it knocks on a container, and the app state behind the answer.

use super::images::App;
use crate::objects::{Probe, ProbeHandler};

/// The mutable state of a running app. demoapp keeps the values of `/livez` and `/readyz`,
/// which a `POST` can flip to make probes fail on purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppState {
    pub livez: String,
    pub readyz: String,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            livez: "OK".to_string(),
            readyz: "OK".to_string(),
        }
    }
}

/// The port an app listens on.
const APP_PORT: i32 = 80;

/// Runs one probe. `Err` carries the kubelet's failure text (after "Readiness probe failed: ").
pub fn run_probe(app: App, state: &AppState, probe: &Probe, pod_ip: &str) -> Result<(), String> {
    match &probe.handler {
        ProbeHandler::HttpGet { path, port } => {
            if !listens(app, *port) {
                return Err(format!(
                    "Get \"http://{pod_ip}:{port}{path}\": dial tcp {pod_ip}:{port}: connect: connection refused"
                ));
            }
            match http_status(app, state, path) {
                status if (200..400).contains(&status) => Ok(()),
                status => Err(format!("HTTP probe failed with statuscode: {status}")),
            }
        }
        ProbeHandler::TcpSocket { port } => {
            if listens(app, *port) {
                Ok(())
            } else {
                Err(format!(
                    "dial tcp {pod_ip}:{port}: connect: connection refused"
                ))
            }
        }
        // The lab does not run commands inside containers; exec probes pass.
        ProbeHandler::Exec { .. } => Ok(()),
    }
}

fn listens(app: App, port: i32) -> bool {
    matches!(app, App::Demoapp | App::Nginx) && port == APP_PORT
}

/// The status code the app answers a GET for `path` with.
fn http_status(app: App, state: &AppState, path: &str) -> u16 {
    let path = path.split('?').next().unwrap_or(path);
    match app {
        App::Demoapp => match path {
            "/livez" => ok_or_506(&state.livez),
            "/readyz" => ok_or_506(&state.readyz),
            "/" | "/hostname" => 200,
            _ => 404,
        },
        App::Nginx => match path {
            "/" | "/index.html" => 200,
            _ => 404,
        },
        App::Shell => 0,
    }
}

fn ok_or_506(value: &str) -> u16 {
    if value == "OK" {
        200
    } else {
        506
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http_probe(path: &str, port: i32) -> Probe {
        Probe {
            handler: ProbeHandler::HttpGet {
                path: path.to_string(),
                port,
            },
            initial_delay_seconds: 0,
            period_seconds: 10,
            timeout_seconds: 1,
            success_threshold: 1,
            failure_threshold: 3,
        }
    }

    #[test]
    fn demoapp_readiness_follows_its_readyz_value() {
        let mut state = AppState::default();
        let probe = http_probe("/readyz", 80);
        assert_eq!(
            run_probe(App::Demoapp, &state, &probe, "10.244.1.2"),
            Ok(())
        );
        state.readyz = "FAIL".into();
        assert_eq!(
            run_probe(App::Demoapp, &state, &probe, "10.244.1.2"),
            Err("HTTP probe failed with statuscode: 506".into())
        );
    }

    #[test]
    fn a_probe_on_a_closed_port_is_refused() {
        let probe = http_probe("/livez", 8080);
        assert_eq!(
            run_probe(App::Demoapp, &AppState::default(), &probe, "10.244.1.2"),
            Err("Get \"http://10.244.1.2:8080/livez\": dial tcp 10.244.1.2:8080: connect: connection refused".into())
        );
    }
}
