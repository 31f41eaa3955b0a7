//! `metricproviders/job`: a measurement that is a batch Job — Successful when it completes,
//! Failed when it fails.
//!
//! The lab has no Job kind (nor Job controller), so the minimum is modelled: for each
//! measurement the provider creates the Job's **pod** directly, named as the Job controller
//! would name it (`<job>-<5 random characters>`, the Job named as upstream names it,
//! `<run uid>.<metric>.<n>`), labelled `job-name: <job>` and owned by the AnalysisRun (so it
//! goes with the run). The pod runs the template's containers; the measurement is Successful
//! once the pod Succeeded and Failed once it Failed.
//!
//! The pod's command runs in the lab's shell (`kubelet::processes`), so its exit status
//! decides: `wget -qO- http://canary || exit 1` fails the measurement when the canary does
//! not answer. Without a host shell (the simulator alone) a shell image's command succeeds.
//!
//! What is missing: the Job object itself (`kubectl get jobs` shows nothing), its status and
//! events, `backoffLimit`, `activeDeadlineSeconds` and `parallelism`/`completions`.

use super::run::meta_now;
use crate::apiserver::ObjectKey;
use crate::clock::Time;
use crate::cluster::Cluster;
use crate::objects::{
    AnalysisPhase, AnalysisRun, Kind, Measurement, Metric, Object, Pod, PodPhase, PodTemplateSpec,
};
use std::collections::BTreeMap;
use std::rc::Rc;

pub const JOB_NAME_KEY: &str = "job-name";
pub const JOB_NAMESPACE_KEY: &str = "job-namespace";
const ANALYSIS_RUN_UID_LABEL: &str = "analysisrun.argoproj.io/uid";
const ANALYSIS_RUN_NAME_ANNOTATION: &str = "analysisrun.argoproj.io/name";
const ANALYSIS_RUN_NAMESPACE_ANNOTATION: &str = "analysisrun.argoproj.io/namespace";
const ANALYSIS_RUN_METRIC_ANNOTATION: &str = "analysisrun.argoproj.io/metric-name";
const KUBERNETES_DNS_LIMIT: usize = 63;

fn mark_error(mut m: Measurement, message: String, now: Time) -> Measurement {
    m.phase = AnalysisPhase::Error;
    m.message = message;
    if m.finished_at.is_none() {
        m.finished_at = Some(meta_now(now));
    }
    m
}

/// `newJobName`: `<run uid>.<metric>.<measurements so far + 1>`, the metric's name cut so the
/// whole fits in 63 characters.
fn new_job_name(run: &AnalysisRun, metric: &Metric) -> String {
    let id = crate::addons::argo_rollouts::utils::analysis::get_result(run, &metric.name)
        .map_or(1, |r| r.count + r.error + 1);
    let name = format!("{}.{}.{id}", run.metadata.uid, metric.name);
    if name.len() <= KUBERNETES_DNS_LIMIT {
        return name;
    }
    let over = name.len() - KUBERNETES_DNS_LIMIT;
    let keep = metric.name.len().saturating_sub(over);
    let cut: String = metric.name.chars().take(keep).collect();
    format!("{}.{cut}.{id}", run.metadata.uid)
}

/// The pods of a Job the provider started.
fn job_pods(cluster: &Cluster, namespace: &str, job: &str) -> Vec<Rc<Pod>> {
    crate::cluster::in_namespace(&cluster.api.store.pods, namespace)
        .filter(|p| p.metadata.labels.get(JOB_NAME_KEY).map(String::as_str) == Some(job))
        .cloned()
        .collect()
}

/// `Provider.Run`: the Job's pod is created; the measurement is Running until it ends.
pub(super) fn run(
    cluster: &mut Cluster,
    run: &AnalysisRun,
    metric: &Metric,
    now: Time,
) -> Result<Measurement, String> {
    let measurement = Measurement {
        started_at: Some(meta_now(now)),
        phase: AnalysisPhase::Running,
        ..Measurement::default()
    };
    let Some(job) = &metric.provider.job else {
        return Ok(mark_error(measurement, "no job in metric".into(), now));
    };
    let name = new_job_name(run, metric);
    let namespace = run.metadata.namespace.clone();
    let invalid = |detail: &str| format!("Job.batch \"{name}\" is invalid: {detail}");
    let template: PodTemplateSpec = match job
        .spec
        .get("template")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
    {
        Ok(Some(template)) => template,
        Ok(None) => PodTemplateSpec::default(),
        Err(err) => return Ok(mark_error(measurement, invalid(&err.to_string()), now)),
    };
    let restart_policy = template.spec.restart_policy.clone();
    match restart_policy.as_deref() {
        Some("Never" | "OnFailure") => {}
        None => {
            let detail = r#"spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never""#;
            return Ok(mark_error(measurement, invalid(detail), now));
        }
        Some(other) => {
            let detail = format!(
                r#"spec.template.spec.restartPolicy: Unsupported value: "{other}": supported values: "OnFailure", "Never""#
            );
            return Ok(mark_error(measurement, invalid(&detail), now));
        }
    }
    if template.spec.containers.is_empty() {
        let detail = "spec.template.spec.containers: Required value";
        return Ok(mark_error(measurement, invalid(detail), now));
    }
    let existing = job_pods(cluster, &namespace, &name);
    if existing.is_empty() {
        create_pod(cluster, run, metric, &name, template);
    }
    Ok(Measurement {
        metadata: BTreeMap::from([
            (JOB_NAME_KEY.to_string(), name),
            (JOB_NAMESPACE_KEY.to_string(), namespace),
        ]),
        ..measurement
    })
}

fn create_pod(
    cluster: &mut Cluster,
    run: &AnalysisRun,
    metric: &Metric,
    job: &str,
    template: PodTemplateSpec,
) {
    let namespace = run.metadata.namespace.clone();
    let base: String = format!("{job}-").chars().take(58).collect();
    let name = loop {
        let candidate = format!("{base}{}", cluster.api.rng.name_suffix(5));
        if !cluster
            .api
            .store
            .pods
            .contains_key(&ObjectKey::new(&namespace, &candidate))
        {
            break candidate;
        }
    };
    let mut metadata = cluster.api.new_metadata(&name, &namespace);
    metadata.labels = template.metadata.labels.clone();
    if let Some(labels) = metric
        .provider
        .job
        .as_ref()
        .and_then(|j| j.metadata.as_ref())
        .and_then(|m| m.get("labels"))
        .and_then(|l| serde_json::from_value::<BTreeMap<String, String>>(l.clone()).ok())
    {
        metadata.labels.extend(labels);
    }
    metadata.labels.insert(JOB_NAME_KEY.into(), job.to_string());
    metadata
        .labels
        .insert("batch.kubernetes.io/job-name".into(), job.to_string());
    metadata
        .labels
        .insert(ANALYSIS_RUN_UID_LABEL.into(), run.metadata.uid.clone());
    metadata.annotations = template.metadata.annotations.clone();
    metadata.annotations.insert(
        ANALYSIS_RUN_NAME_ANNOTATION.into(),
        run.metadata.name.clone(),
    );
    metadata
        .annotations
        .insert(ANALYSIS_RUN_NAMESPACE_ANNOTATION.into(), namespace.clone());
    metadata
        .annotations
        .insert(ANALYSIS_RUN_METRIC_ANNOTATION.into(), metric.name.clone());
    metadata.owner_references = vec![crate::controller::deployment::controller_ref(
        Kind::AnalysisRun,
        &run.metadata.name,
        &run.metadata.uid,
    )];
    let mut object = Object::Pod(Pod {
        metadata,
        spec: template.spec,
        status: Default::default(),
    });
    crate::manifest::apply_defaults(&mut object);
    let Object::Pod(mut pod) = object else {
        return;
    };
    pod.spec.node_name = String::new();
    cluster.api.work.pod_changed(&pod);
    cluster.api.work.unbound_pods = true;
    cluster
        .api
        .store
        .pods
        .insert(ObjectKey::new(&namespace, &name), Rc::new(pod));
}

/// The Job named in a measurement (`getJobNamespacedName`).
fn job_of(measurement: &Measurement, namespace: &str) -> Result<(String, String), String> {
    let name = measurement
        .metadata
        .get(JOB_NAME_KEY)
        .filter(|n| !n.is_empty())
        .ok_or("job metadata reference missing")?;
    let namespace = measurement
        .metadata
        .get(JOB_NAMESPACE_KEY)
        .filter(|n| !n.is_empty())
        .map_or(namespace, String::as_str);
    Ok((namespace.to_string(), name.clone()))
}

/// `Provider.Resume`: Successful once the pod Succeeded, Failed once it Failed.
pub(super) fn resume(
    cluster: &mut Cluster,
    run: &AnalysisRun,
    _metric: &Metric,
    mut measurement: Measurement,
    now: Time,
) -> Result<Measurement, String> {
    let (namespace, name) = match job_of(&measurement, &run.metadata.namespace) {
        Ok(job) => job,
        Err(err) => return Ok(mark_error(measurement, err, now)),
    };
    let pods = job_pods(cluster, &namespace, &name);
    if pods.is_empty() {
        return Ok(mark_error(
            measurement,
            format!("job.batch \"{name}\" not found"),
            now,
        ));
    }
    if pods
        .iter()
        .any(|p| p.status.phase == Some(PodPhase::Succeeded))
    {
        measurement.finished_at = Some(meta_now(now));
        measurement.phase = AnalysisPhase::Successful;
    } else if pods
        .iter()
        .any(|p| p.status.phase == Some(PodPhase::Failed))
    {
        measurement.finished_at = Some(meta_now(now));
        measurement.phase = AnalysisPhase::Failed;
    }
    Ok(measurement)
}

/// `Provider.Terminate`: the Job (its pod) is deleted; the measurement ends Successful.
pub(super) fn terminate(
    cluster: &mut Cluster,
    run: &AnalysisRun,
    _metric: &Metric,
    mut measurement: Measurement,
    now: Time,
) -> Result<Measurement, String> {
    let (namespace, name) = match job_of(&measurement, &run.metadata.namespace) {
        Ok(job) => job,
        Err(err) => return Ok(mark_error(measurement, err, now)),
    };
    delete_job(cluster, &namespace, &name);
    measurement.finished_at = Some(meta_now(now));
    measurement.phase = AnalysisPhase::Successful;
    Ok(measurement)
}

fn delete_job(cluster: &mut Cluster, namespace: &str, name: &str) {
    for pod in job_pods(cluster, namespace, name) {
        if pod.metadata.deletion_timestamp.is_none() {
            let key = ObjectKey::new(namespace, &pod.metadata.name);
            cluster.node().delete_pod_gracefully(&key, None);
        }
    }
}

/// `Provider.GarbageCollect`: the metric's Jobs beyond the newest `limit` are deleted.
pub(super) fn garbage_collect(
    cluster: &mut Cluster,
    run: &AnalysisRun,
    metric: &Metric,
    limit: usize,
) {
    let mut jobs: Vec<(Option<Time>, String)> =
        crate::cluster::in_namespace(&cluster.api.store.pods, &run.metadata.namespace)
            .filter(|p| {
                p.metadata.labels.get(ANALYSIS_RUN_UID_LABEL) == Some(&run.metadata.uid)
                    && p.metadata.annotations.get(ANALYSIS_RUN_METRIC_ANNOTATION)
                        == Some(&metric.name)
            })
            .filter_map(|p| {
                p.metadata
                    .labels
                    .get(JOB_NAME_KEY)
                    .map(|job| (p.metadata.creation_timestamp, job.clone()))
            })
            .collect();
    jobs.sort();
    jobs.dedup_by(|a, b| a.1 == b.1);
    let excess = jobs.len().saturating_sub(limit);
    for (_, job) in jobs.into_iter().take(excess) {
        delete_job(cluster, &run.metadata.namespace.clone(), &job);
    }
}
