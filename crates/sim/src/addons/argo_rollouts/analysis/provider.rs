//! `metricproviders/`: where a measurement comes from. The lab measures `web` metrics
//! through its own network and `prometheus` metrics against its own request counters; every
//! other provider (Datadog, New Relic, CloudWatch, Kayenta, …) is a system the lab cannot
//! reach, and its measurements are errors that say so.

use super::evaluate::{self, Value};
use super::jsonpath::JsonPath;
use super::promql::{self, QueryResult};
use super::run::{meta_now, Measure};
use crate::clock::Time;
use crate::cluster::{Cluster, HttpFailure};
use crate::network::http::{Headers, Request};
use crate::network::ConnectError;
use crate::objects::{
    AnalysisPhase, AnalysisRun, Measurement, Metric, PrometheusMetric, WebMetric,
};
use std::collections::BTreeMap;

/// The namespace the Argo Rollouts controller runs in: its pod resolves names from there.
pub const CONTROLLER_NAMESPACE: &str = "argo-rollouts";
/// The controller pod's address, as the apps see it.
pub const CONTROLLER_POD_IP: &str = "10.244.1.254";
/// CoreDNS's Service address, in Go's resolver errors.
const CLUSTER_DNS: &str = "10.96.0.10:53";
/// `ResolvedPrometheusQuery`.
pub const RESOLVED_PROMETHEUS_QUERY: &str = "ResolvedPrometheusQuery";

/// The providers of a lab cluster.
pub struct LabProviders<'a> {
    pub cluster: &'a mut Cluster,
}

/// `metricproviders.Type`.
fn provider_type(metric: &Metric) -> Option<&str> {
    let p = &metric.provider;
    if p.prometheus.is_some() {
        return Some("prometheus");
    }
    if p.job.is_some() {
        return Some("job");
    }
    if p.web.is_some() {
        return Some("web");
    }
    [
        "kayenta",
        "datadog",
        "wavefront",
        "newRelic",
        "cloudWatch",
        "graphite",
        "influxdb",
        "skywalking",
        "plugin",
    ]
    .into_iter()
    .find(|name| p.other.get(*name).is_some_and(|v| !v.is_null()))
}

impl Measure for LabProviders<'_> {
    fn run(
        &mut self,
        run: &AnalysisRun,
        metric: &Metric,
        now: Time,
    ) -> Result<Measurement, String> {
        match provider_type(metric) {
            Some("web") => {
                let web = metric.provider.web.clone().unwrap_or_default();
                let json_path = new_web_metric_json_parser(&web)?;
                check_oauth(web.authentication.as_ref())?;
                Ok(web_run(self.cluster, metric, &web, &json_path, now))
            }
            Some("prometheus") => {
                let prometheus = metric.provider.prometheus.clone().unwrap_or_default();
                new_prometheus_api(&prometheus)?;
                Ok(prometheus_run(self.cluster, metric, &prometheus, now))
            }
            Some("job") => super::job::run(self.cluster, run, metric, now),
            Some(other) => Err(format!(
                "the lab cannot reach {other}: it measures web, prometheus and job metrics only"
            )),
            None => Err(format!("no valid provider in metric '{}'", metric.name)),
        }
    }

    fn resume(
        &mut self,
        run: &AnalysisRun,
        metric: &Metric,
        measurement: Measurement,
        now: Time,
    ) -> Result<Measurement, String> {
        match provider_type(metric) {
            Some("job") => super::job::resume(self.cluster, run, metric, measurement, now),
            // Web and Prometheus measure in `Run`; upstream's Resume returns it unchanged.
            _ => {
                self.check(metric)?;
                Ok(measurement)
            }
        }
    }

    fn terminate(
        &mut self,
        run: &AnalysisRun,
        metric: &Metric,
        measurement: Measurement,
        now: Time,
    ) -> Result<Measurement, String> {
        match provider_type(metric) {
            Some("job") => super::job::terminate(self.cluster, run, metric, measurement, now),
            _ => {
                self.check(metric)?;
                Ok(measurement)
            }
        }
    }

    fn metadata(&self, metric: &Metric) -> BTreeMap<String, String> {
        match &metric.provider.prometheus {
            Some(p) if !p.query.is_empty() => {
                BTreeMap::from([(RESOLVED_PROMETHEUS_QUERY.to_string(), p.query.clone())])
            }
            _ => BTreeMap::new(),
        }
    }

    fn garbage_collect(&mut self, run: &AnalysisRun, metric: &Metric, limit: usize) {
        if provider_type(metric) == Some("job") {
            super::job::garbage_collect(self.cluster, run, metric, limit);
        }
    }
}

impl LabProviders<'_> {
    /// `NewProvider`'s checks alone, for providers that do nothing on resume.
    fn check(&self, metric: &Metric) -> Result<(), String> {
        match provider_type(metric) {
            Some("web") => {
                let web = metric.provider.web.clone().unwrap_or_default();
                new_web_metric_json_parser(&web)?;
                check_oauth(web.authentication.as_ref())
            }
            Some("prometheus") => {
                new_prometheus_api(&metric.provider.prometheus.clone().unwrap_or_default())
            }
            Some("job") => Ok(()),
            Some(other) => Err(format!(
                "the lab cannot reach {other}: it measures web, prometheus and job metrics only"
            )),
            None => Err(format!("no valid provider in metric '{}'", metric.name)),
        }
    }
}

/// `MarkMeasurementError`.
fn mark_error(mut m: Measurement, message: String, now: Time) -> Measurement {
    m.phase = AnalysisPhase::Error;
    m.message = message;
    if m.finished_at.is_none() {
        m.finished_at = Some(meta_now(now));
    }
    m
}

fn check_oauth(authentication: Option<&serde_json::Value>) -> Result<(), String> {
    let Some(oauth) = authentication.and_then(|a| a.get("oauth2")) else {
        return Ok(());
    };
    let field = |name: &str| oauth.get(name).and_then(|v| v.as_str()).unwrap_or("");
    if !field("tokenUrl").is_empty()
        && (field("clientId").is_empty() || field("clientSecret").is_empty())
    {
        return Err("missing mandatory parameter in metric for OAuth2 setup".into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// web (metricproviders/webmetric)

/// `NewWebMetricJsonParser`: the jsonPath, `{$}` by default.
fn new_web_metric_json_parser(web: &WebMetric) -> Result<JsonPath, String> {
    let path = if web.json_path.is_empty() {
        "{$}"
    } else {
        &web.json_path
    };
    JsonPath::parse(path)
}

/// A URL as Go's `http.NewRequest` and the transport read it.
struct Url {
    scheme: String,
    host: String,
    port: u16,
    /// The `Host` header: the authority as written.
    authority: String,
    path: String,
}

fn parse_url(text: &str) -> Result<Url, String> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err("unsupported protocol scheme \"\"".to_string());
    };
    let scheme = scheme.to_ascii_lowercase();
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if authority.is_empty() {
        return Err("http: no Host in request URL".into());
    }
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() => (
            host,
            port.parse::<u16>()
                .map_err(|_| format!("invalid port {:?} after host", format!(":{port}")))?,
        ),
        Some((host, _)) => (host, default_port),
        None => (authority, default_port),
    };
    let tail = tail.split('#').next().unwrap_or("");
    let path = if tail.starts_with('/') {
        tail.to_string()
    } else {
        format!("/{tail}")
    };
    Ok(Url {
        scheme,
        host: host.to_string(),
        port,
        authority: authority.to_string(),
        path,
    })
}

/// Go's `url.Error` text: `Get "http://…": <cause>`.
fn url_error(method: &str, url: &str, cause: &str) -> String {
    let mut op = method.to_ascii_lowercase();
    if let Some(first) = op.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{op} {}: {cause}", crate::strconv::quote(url))
}

/// `Provider.Run` of the web metric: one request through the lab's network, its JSON body
/// read at the jsonPath and judged by the conditions.
fn web_run(
    cluster: &mut Cluster,
    metric: &Metric,
    web: &WebMetric,
    json_path: &JsonPath,
    now: Time,
) -> Measurement {
    let measurement = Measurement {
        started_at: Some(meta_now(now)),
        ..Measurement::default()
    };
    let method = if web.method.is_empty() {
        "GET".to_string()
    } else {
        web.method.clone()
    };
    let json_body = web.json_body.as_ref().filter(|b| !b.is_null());
    if !web.body.is_empty() && json_body.is_some() {
        return mark_error(
            measurement,
            "use either Body or JSONBody; both cannot exists for WebMetric payload".into(),
            now,
        );
    }
    if (!web.body.is_empty() || json_body.is_some()) && method == "GET" {
        return mark_error(
            measurement,
            "Body/JSONBody can only be used with POST or PUT WebMetric Method types".into(),
            now,
        );
    }
    let url = match parse_url(&web.url) {
        Ok(url) => url,
        Err(err) => return mark_error(measurement, url_error(&method, &web.url, &err), now),
    };
    if url.scheme != "http" && url.scheme != "https" {
        let cause = format!(
            "unsupported protocol scheme {}",
            crate::strconv::quote(&url.scheme)
        );
        return mark_error(measurement, url_error(&method, &web.url, &cause), now);
    }
    let mut headers = Headers::new();
    headers.push("User-Agent", "Go-http-client/1.1");
    for header in &web.headers {
        headers.set(&header.key, header.value.clone());
    }
    let body = match json_body {
        Some(json) => {
            headers.set("Content-Type", "application/json");
            serde_json::to_string(json).unwrap_or_default()
        }
        None => web.body.clone(),
    };
    headers.push("Accept-Encoding", "gzip");
    let request = Request {
        method: method.clone(),
        host: url.authority.clone(),
        path: url.path.clone(),
        headers,
        cookies: Vec::new(),
        body,
        client_ip: CONTROLLER_POD_IP.to_string(),
    };
    let exchange = match cluster.controller_http(CONTROLLER_NAMESPACE, &url.host, url.port, request)
    {
        Ok(exchange) => exchange,
        Err(HttpFailure::Unresolved) => {
            let cause = format!(
                "dial tcp: lookup {} on {CLUSTER_DNS}: no such host",
                url.host
            );
            return mark_error(measurement, url_error(&method, &web.url, &cause), now);
        }
        Err(HttpFailure::Connect { ip, error }) => {
            let cause = match error {
                ConnectError::Refused | ConnectError::EmptyReply => {
                    format!("dial tcp {ip}:{}: connect: connection refused", url.port)
                }
                ConnectError::TimedOut => format!(
                    "dial tcp {ip}:{}: i/o timeout (Client.Timeout exceeded while awaiting headers)",
                    url.port
                ),
            };
            return mark_error(measurement, url_error(&method, &web.url, &cause), now);
        }
    };
    let status = exchange.response.status;
    if !(200..300).contains(&status) {
        return mark_error(
            measurement,
            format!("received non 2xx response code: {status}"),
            now,
        );
    }
    let body = exchange.response.body;
    let data: serde_json::Value = match serde_json::from_str(&body) {
        Ok(data) => data,
        // A body that is not JSON is the value, and the measurement succeeds as it is.
        Err(_) => {
            return Measurement {
                value: body,
                phase: AnalysisPhase::Successful,
                finished_at: Some(meta_now(now)),
                ..measurement
            }
        }
    };
    let found = match json_path.find(&data) {
        Ok(found) => found,
        Err(err) => {
            return mark_error(
                measurement,
                format!("Could not find JSONPath in body: {err}"),
                now,
            )
        }
    };
    let Some(value) = found.first() else {
        return mark_error(
            measurement,
            "result of web metric produced no value".into(),
            now,
        );
    };
    let value_string = go_json(value);
    match evaluate::evaluate_result(&Value::from_json(value), metric) {
        Ok(phase) => Measurement {
            value: value_string,
            phase,
            finished_at: Some(meta_now(now)),
            ..measurement
        },
        Err(err) => mark_error(measurement, err, now),
    }
}

// ---------------------------------------------------------------------------------------
// prometheus (metricproviders/prometheus)

/// `NewPrometheusAPI` and `NewPrometheusProvider`'s checks. Any well-formed address reaches
/// the lab's Prometheus.
fn new_prometheus_api(prometheus: &PrometheusMetric) -> Result<(), String> {
    if prometheus.address.is_empty() {
        return Err("prometheus address is not configured".into());
    }
    let is_url = prometheus
        .address
        .split_once("://")
        .is_some_and(|(scheme, rest)| {
            !scheme.is_empty() && !rest.split(['/', '?']).next().unwrap_or("").is_empty()
        });
    if !is_url {
        return Err("prometheus address is not is url format".into());
    }
    if prometheus.timeout.is_some_and(|t| t < 0) {
        return Err("prometheus timeout should not be negative".into());
    }
    Ok(())
}

/// Go's `model.SampleValue.String()`: the shortest decimal form.
fn sample_string(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{value}")
    }
}

/// `Provider.Run` of the Prometheus metric.
fn prometheus_run(
    cluster: &mut Cluster,
    metric: &Metric,
    prometheus: &PrometheusMetric,
    now: Time,
) -> Measurement {
    let measurement = Measurement {
        started_at: Some(meta_now(now)),
        ..Measurement::default()
    };
    if prometheus.range_query.is_some() {
        return mark_error(
            measurement,
            "the lab's Prometheus answers instant queries only (rangeQuery is not evaluated)"
                .into(),
            now,
        );
    }
    let response = match promql::query(&cluster.network.requests, &prometheus.query, now) {
        Ok(response) => response,
        Err(err) => return mark_error(measurement, err, now),
    };
    let (value, result) = match response {
        QueryResult::Scalar(f) => (sample_string(f), Value::Float(f)),
        QueryResult::Vector(samples) => {
            let values: Vec<f64> = samples.iter().map(|(_, v)| *v).collect();
            let text = values
                .iter()
                .map(|v| sample_string(*v))
                .collect::<Vec<_>>()
                .join(",");
            (format!("[{text}]"), Value::Floats(values))
        }
    };
    match evaluate::evaluate_result(&result, metric) {
        Ok(phase) => Measurement {
            value,
            phase,
            finished_at: Some(meta_now(now)),
            ..measurement
        },
        Err(err) => mark_error(measurement, err, now),
    }
}

/// `json.Marshal` of a decoded body value: map keys sorted, `<>&` escaped, numbers as Go
/// writes a float64 (`1`, `0.5`, `1e+21`).
fn go_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let abs = f.abs();
            if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
                let text = format!("{f:e}");
                let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
                let exponent: i32 = exponent.parse().unwrap_or(0);
                let sign = if exponent < 0 { '-' } else { '+' };
                format!("{mantissa}e{sign}{:02}", exponent.abs())
            } else {
                format!("{f}")
            }
        }
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(go_json).collect::<Vec<_>>().join(",")
            )
        }
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        go_json(&serde_json::Value::String(k.clone())),
                        go_json(&map[k])
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        other => serde_json::to_string(other)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    }
}
