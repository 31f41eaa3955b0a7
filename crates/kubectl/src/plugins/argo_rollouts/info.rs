//! What the plugin shows about a Rollout, computed from the cluster's objects: upstream's
//! `pkg/kubectl-argo-rollouts/info` package (`rollout_info.go`, `replicaset_info.go`,
//! `pod_info.go`, `analysisrun_info.go`). The printers in `get`, `list` and `status` only
//! lay these values out.
//!
//! Everything here is a plain value that compares with `==`, because the watch modes, like
//! upstream's view controller, repaint only when the computed view changed.

use rollout_sim::addons::argo_rollouts::controller::rollout_view;
use rollout_sim::addons::argo_rollouts::replicaset::{
    get_current_canary_step, get_current_set_weight, max_traffic_weight,
};
use rollout_sim::addons::argo_rollouts::utils::phase::get_rollout_phase;
use rollout_sim::addons::argo_rollouts::utils::{
    pod_template_hash, revision_of, SCALE_DOWN_DEADLINE_ANNOTATION,
};
use rollout_sim::clock::Time;
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{
    ConditionStatus, ContainerState, OwnerReference, Pod, ReplicaSet, ReplicaSetConditionType,
    Rollout,
};

/// Status icons (`info.go`).
pub const ICON_WAITING: &str = "◷";
pub const ICON_PROGRESSING: &str = "◌";
pub const ICON_WARNING: &str = "⚠";
pub const ICON_UNKNOWN: &str = "?";
pub const ICON_OK: &str = "✔";
pub const ICON_BAD: &str = "✖";
pub const ICON_PAUSED: &str = "॥";
pub const ICON_NEUTRAL: &str = "•";

/// The roles a ReplicaSet plays, as INFO tags and image tags.
pub const TAG_CANARY: &str = "canary";
pub const TAG_STABLE: &str = "stable";
pub const TAG_ACTIVE: &str = "active";
pub const TAG_PREVIEW: &str = "preview";
pub const TAG_PING: &str = "ping";
pub const TAG_PONG: &str = "pong";

/// `rollout.RolloutInfo`: the header of `get rollout`, a `list` row, a `status` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolloutInfo {
    pub name: String,
    pub namespace: String,
    pub created: Option<Time>,
    /// `Healthy`, `Progressing`, `Paused`, `Degraded` (`GetRolloutPhase`).
    pub status: String,
    pub message: String,
    pub icon: &'static str,
    /// `Canary`, `BlueGreen`, or empty.
    pub strategy: &'static str,
    /// `i/n` while a canary has steps and a current step index; empty otherwise.
    pub step: String,
    pub set_weight: String,
    pub actual_weight: String,
    pub desired: i32,
    pub current: i32,
    pub updated: i32,
    pub ready: i32,
    pub available: i32,
    /// Revision descending, then name.
    pub replica_sets: Vec<ReplicaSetInfo>,
    /// Revision descending, creation ascending, then name descending.
    pub analysis_runs: Vec<AnalysisRunInfo>,
}

/// `rollout.ReplicaSetInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaSetInfo {
    pub name: String,
    pub created: Option<Time>,
    /// `Healthy`, `Progressing`, `ScaledDown`, `ReplicaFailure`.
    pub status: &'static str,
    pub icon: &'static str,
    pub revision: i64,
    /// `status.replicas`: only ReplicaSets with pods contribute images.
    pub replicas: i32,
    pub available: i32,
    pub stable: bool,
    pub canary: bool,
    pub active: bool,
    pub preview: bool,
    pub ping: bool,
    pub pong: bool,
    /// The `scale-down-deadline` annotation, as written (RFC 3339).
    pub scale_down_deadline: String,
    pub images: Vec<String>,
    /// Creation ascending, then name.
    pub pods: Vec<PodInfo>,
}

/// `rollout.PodInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodInfo {
    pub name: String,
    pub created: Option<Time>,
    pub status: String,
    pub icon: &'static str,
    /// `ready/total`.
    pub ready: String,
    pub restarts: i32,
}

/// `rollout.AnalysisRunInfo`: a row under its revision, with the measurement counts as
/// INFO and its Jobs as children.
///
/// Filled from each run the Rollout owns (`getAnalysisRunInfo`): its phase, the sums of its
/// metric results' counts, and one [`JobInfo`] per measurement that ran a Job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisRunInfo {
    pub name: String,
    pub created: Option<Time>,
    pub revision: i64,
    /// The run's phase (`Running`, `Successful`, …); may be empty.
    pub status: String,
    pub icon: &'static str,
    pub successful: i32,
    pub failed: i32,
    pub inconclusive: i32,
    pub error: i32,
    pub jobs: Vec<JobInfo>,
}

/// `rollout.JobInfo`: a Job a measurement ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobInfo {
    pub name: String,
    /// The measurement's `startedAt`.
    pub created: Option<Time>,
    pub status: String,
    pub icon: &'static str,
}

/// An image a ReplicaSet runs, with the roles of the ReplicaSets running it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub image: String,
    pub tags: Vec<&'static str>,
}

/// Upstream's `rollout.argoproj.io "NAME" not found`, from the view controller's lister.
pub fn rollout_info(cluster: &Cluster, namespace: &str, name: &str) -> Option<RolloutInfo> {
    let rollout = cluster
        .store()
        .rollouts
        .get(&rollout_sim::cluster::ObjectKey::new(namespace, name))?;
    Some(new_rollout_info(cluster, rollout))
}

/// `NewRolloutInfo`.
pub fn new_rollout_info(cluster: &Cluster, ro: &Rollout) -> RolloutInfo {
    let store = cluster.store();
    let namespace = &ro.metadata.namespace;
    let replica_sets = replica_set_infos(
        ro,
        rollout_sim::apiserver::in_namespace(&store.replica_sets, namespace),
        store.pods_in(namespace),
    );
    let (status, message) = get_rollout_phase(ro);
    let status = status.as_str().to_string();
    let mut info = RolloutInfo {
        name: ro.metadata.name.clone(),
        namespace: namespace.clone(),
        created: ro.metadata.creation_timestamp,
        icon: rollout_icon(&status),
        status,
        message,
        strategy: "",
        step: String::new(),
        set_weight: String::new(),
        actual_weight: String::new(),
        desired: ro.replicas(),
        current: ro.status.replicas,
        updated: ro.status.updated_replicas,
        ready: ro.status.ready_replicas,
        available: ro.status.available_replicas,
        analysis_runs: analysis_runs(cluster, ro),
        replica_sets,
    };
    if let Some(canary) = ro.canary() {
        info.strategy = "Canary";
        if let (Some(index), false) = (ro.status.current_step_index, canary.steps.is_empty()) {
            info.step = format!("{index}/{}", canary.steps.len());
        }
        let view = rollout_view(ro);
        // The weight the current step asks for, not the traffic the canary gets.
        info.set_weight = get_current_set_weight(&view).to_string();
        let max_weight = max_traffic_weight(&view);
        info.actual_weight = if get_current_canary_step(&view).0.is_none() {
            max_weight.to_string()
        } else if ro.status.available_replicas > 0 {
            if canary.traffic_routing.is_none() {
                // Without a router, traffic follows the available pods.
                info.replica_sets
                    .iter()
                    .rfind(|rs| rs.canary)
                    .map_or("0".to_string(), |rs| {
                        let share = i64::from(rs.available) * i64::from(max_weight)
                            / i64::from(ro.status.available_replicas);
                        share.to_string()
                    })
            } else {
                match &ro.status.canary.weights {
                    Some(weights) => weights.canary.weight.to_string(),
                    None => info.set_weight.clone(),
                }
            }
        } else {
            "0".to_string()
        };
    } else if ro.blue_green().is_some() {
        info.strategy = "BlueGreen";
    }
    info
}

/// `getAnalysisRunInfo`: the AnalysisRuns owned by the Rollout, newest revision first, then
/// oldest first, then by name (descending) as upstream sorts them.
fn analysis_runs(cluster: &Cluster, ro: &Rollout) -> Vec<AnalysisRunInfo> {
    let mut runs: Vec<AnalysisRunInfo> = cluster
        .store()
        .analysis_runs
        .values()
        .filter(|run| run.metadata.namespace == ro.metadata.namespace)
        .filter(|run| owned_by(&run.metadata.owner_references, &ro.metadata.uid))
        .map(|run| {
            let phase = run.status.phase.as_str().to_string();
            let mut info = AnalysisRunInfo {
                name: run.metadata.name.clone(),
                created: run.metadata.creation_timestamp,
                revision: run
                    .metadata
                    .annotations
                    .get("rollout.argoproj.io/revision")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
                icon: analysis_icon(&phase),
                status: phase,
                successful: 0,
                failed: 0,
                inconclusive: 0,
                error: 0,
                jobs: Vec::new(),
            };
            for result in &run.status.metric_results {
                info.successful += result.successful;
                info.failed += result.failed;
                info.inconclusive += result.inconclusive;
                info.error += result.error;
                for measurement in &result.measurements {
                    if let Some(job) = measurement.metadata.get("job-name") {
                        let status = measurement.phase.as_str().to_string();
                        info.jobs.push(JobInfo {
                            name: job.clone(),
                            created: measurement.started_at,
                            icon: analysis_icon(&status),
                            status,
                        });
                    }
                }
            }
            info
        })
        .collect();
    runs.sort_by(|a, b| {
        b.revision
            .cmp(&a.revision)
            .then_with(|| a.created.cmp(&b.created))
            .then_with(|| b.name.cmp(&a.name))
    });
    runs
}

/// `rolloutIcon`.
pub fn rollout_icon(status: &str) -> &'static str {
    match status {
        "Progressing" => ICON_PROGRESSING,
        "Error" | "InvalidSpec" => ICON_WARNING,
        "Paused" => ICON_PAUSED,
        "Healthy" => ICON_OK,
        "Degraded" => ICON_BAD,
        "Unknown" => ICON_UNKNOWN,
        "ScaledDown" => ICON_NEUTRAL,
        _ => " ",
    }
}

/// `analysisIcon` (experiments, AnalysisRuns and Jobs share it).
pub fn analysis_icon(phase: &str) -> &'static str {
    match phase {
        "Successful" => ICON_OK,
        "Inconclusive" => ICON_UNKNOWN,
        "Failed" => ICON_BAD,
        "Error" => ICON_WARNING,
        "Running" => ICON_PROGRESSING,
        "Pending" => ICON_WAITING,
        _ => " ",
    }
}

fn owned_by(owners: &[OwnerReference], uid: &str) -> bool {
    owners.iter().any(|owner| owner.uid == uid)
}

/// `GetReplicaSetInfo` + `addPodInfos`: the ReplicaSets the Rollout owns, with their roles
/// and pods.
fn replica_set_infos<'a>(
    ro: &Rollout,
    replica_sets: impl Iterator<Item = &'a ReplicaSet>,
    pods: impl Iterator<Item = &'a Pod>,
) -> Vec<ReplicaSetInfo> {
    let mut infos: Vec<(String, ReplicaSetInfo)> = Vec::new();
    for rs in replica_sets {
        if !owned_by(&rs.metadata.owner_references, &ro.metadata.uid) {
            continue;
        }
        let status = replica_set_health(rs);
        let mut info = ReplicaSetInfo {
            name: rs.metadata.name.clone(),
            created: rs.metadata.creation_timestamp,
            status,
            icon: replica_set_icon(status),
            revision: revision_of(&rs.metadata.annotations),
            replicas: rs.status.replicas,
            available: rs.status.available_replicas,
            stable: false,
            canary: false,
            active: false,
            preview: false,
            ping: false,
            pong: false,
            scale_down_deadline: rs
                .metadata
                .annotation(SCALE_DOWN_DEADLINE_ANNOTATION)
                .unwrap_or_default()
                .to_string(),
            images: rs
                .spec
                .template
                .spec
                .containers
                .iter()
                .map(|c| c.image.clone())
                .collect(),
            pods: Vec::new(),
        };
        let hash = pod_template_hash(rs);
        if let Some(canary) = ro.canary() {
            // Ping-pong (`trafficRouting.pingPong`: two Services swapped in turns). The lab
            // keeps no `status.canary.stablePingPong`, so the stable side is never `ping`.
            let ping_pong = canary.ping_pong.is_some();
            let stable_is_ping = false;
            if ro.status.stable_rs == hash {
                info.stable = true;
                if ping_pong {
                    info.ping = stable_is_ping;
                    info.pong = !stable_is_ping;
                }
            } else if ro.status.current_pod_hash == hash {
                info.canary = true;
                if ping_pong {
                    info.ping = !stable_is_ping;
                    info.pong = stable_is_ping;
                }
            }
        }
        if ro.blue_green().is_some() {
            info.stable = ro.status.stable_rs == hash;
            if ro.status.blue_green.active_selector == hash {
                info.active = true;
            } else if ro.status.blue_green.preview_selector == hash {
                info.preview = true;
            }
        }
        infos.push((rs.metadata.uid.clone(), info));
    }
    for pod in pods {
        let owner = infos
            .iter_mut()
            .find(|(uid, _)| owned_by(&pod.metadata.owner_references, uid));
        if let Some((_, rs)) = owner {
            rs.pods.push(pod_info(pod));
        }
    }
    let mut infos: Vec<ReplicaSetInfo> = infos.into_iter().map(|(_, info)| info).collect();
    // Upstream's comparator compares creation times without returning the answer, so ties
    // in revision are broken by name alone.
    infos.sort_by(|a, b| {
        b.revision
            .cmp(&a.revision)
            .then_with(|| a.name.cmp(&b.name))
    });
    for rs in &mut infos {
        rs.pods
            .sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.name.cmp(&b.name)));
    }
    infos
}

/// `getReplicaSetHealth`.
fn replica_set_health(rs: &ReplicaSet) -> &'static str {
    if rs.metadata.generation > rs.status.observed_generation {
        return "Progressing";
    }
    let failed = rs.status.conditions.iter().any(|c| {
        c.type_ == ReplicaSetConditionType::ReplicaFailure && c.status == ConditionStatus::True
    });
    if failed {
        return "ReplicaFailure";
    }
    if rs.status.available_replicas < rs.spec.replicas {
        return "Progressing";
    }
    if rs.spec.replicas == 0 {
        return "ScaledDown";
    }
    "Healthy"
}

/// `replicaSetIcon`.
fn replica_set_icon(status: &str) -> &'static str {
    match status {
        "Progressing" => ICON_PROGRESSING,
        "Healthy" => ICON_OK,
        "ReplicaFailure" => ICON_BAD,
        "ScaledDown" => ICON_NEUTRAL,
        _ => " ",
    }
}

/// `newPodInfo`: kubectl's pod STATUS, as the plugin computes it (the lab reports no init
/// container statuses, so the `Init:` branch never applies).
pub fn pod_info(pod: &Pod) -> PodInfo {
    let mut reason = crate::printers::pod_status::phase_name(pod.status.phase).to_string();
    let mut restarts = 0;
    let mut ready = 0;
    let mut has_running = false;
    for container in pod.status.container_statuses.iter().rev() {
        restarts += container.restart_count;
        match &container.state {
            ContainerState::Waiting { reason: why, .. } if !why.is_empty() => {
                reason = why.clone();
            }
            ContainerState::Terminated {
                reason: why,
                exit_code,
                ..
            } => {
                reason = if why.is_empty() {
                    format!("ExitCode:{exit_code}")
                } else {
                    why.clone()
                };
            }
            ContainerState::Running { .. } if container.ready => {
                has_running = true;
                ready += 1;
            }
            _ => {}
        }
    }
    if reason == "Completed" && has_running {
        reason = "Running".to_string();
    }
    if pod.metadata.deletion_timestamp.is_some() {
        reason = "Terminating".to_string();
    }
    PodInfo {
        name: pod.metadata.name.clone(),
        created: pod.metadata.creation_timestamp,
        icon: pod_icon(&reason),
        ready: format!("{ready}/{}", pod.spec.containers.len()),
        status: reason,
        restarts,
    }
}

/// `podIcon`.
fn pod_icon(status: &str) -> &'static str {
    if status.starts_with("Init:") {
        return ICON_PROGRESSING;
    }
    if status.starts_with("Signal:") || status.starts_with("ExitCode:") {
        return ICON_BAD;
    }
    if status.ends_with("Error") || status.starts_with("Err") {
        return ICON_WARNING;
    }
    match status {
        "Pending" | "Terminating" | "ContainerCreating" => ICON_PROGRESSING,
        "Running" | "Completed" => ICON_OK,
        "Failed" | "InvalidImageName" | "CrashLoopBackOff" => ICON_BAD,
        "ImagePullBackOff" | "RegistryUnavailable" => ICON_WARNING,
        "Unknown" => ICON_UNKNOWN,
        _ => " ",
    }
}

/// `Images`: every image running in a ReplicaSet with pods, tagged with the roles of the
/// ReplicaSets that run it, sorted by image.
pub fn images(info: &RolloutInfo) -> Vec<ImageInfo> {
    let mut images: Vec<ImageInfo> = Vec::new();
    for rs in info.replica_sets.iter().filter(|rs| rs.replicas > 0) {
        for image in &rs.images {
            let tags: Vec<&'static str> = [
                (rs.canary, TAG_CANARY),
                (rs.stable, TAG_STABLE),
                (rs.active, TAG_ACTIVE),
                (rs.preview, TAG_PREVIEW),
                (rs.ping, TAG_PING),
                (rs.pong, TAG_PONG),
            ]
            .into_iter()
            .filter_map(|(on, tag)| on.then_some(tag))
            .collect();
            merge_image(
                &mut images,
                ImageInfo {
                    image: image.clone(),
                    tags,
                },
            );
        }
    }
    images
}

/// `mergeImageAndTags`: a second ReplicaSet running the same image adds its tags (the union,
/// sorted alphabetically); the list stays sorted by image.
fn merge_image(images: &mut Vec<ImageInfo>, image: ImageInfo) {
    match images.iter_mut().find(|known| known.image == image.image) {
        Some(known) => {
            let mut tags = known.tags.clone();
            tags.extend(image.tags);
            tags.sort_unstable();
            tags.dedup();
            known.tags = tags;
        }
        None => images.push(image),
    }
    images.sort_by(|a, b| a.image.cmp(&b.image));
}

/// `Revisions`: every revision with a ReplicaSet or an AnalysisRun, highest first.
pub fn revisions(info: &RolloutInfo) -> Vec<i64> {
    let mut revisions: Vec<i64> = info
        .replica_sets
        .iter()
        .map(|rs| rs.revision)
        .chain(info.analysis_runs.iter().map(|run| run.revision))
        .collect();
    revisions.sort_unstable_by(|a, b| b.cmp(a));
    revisions.dedup();
    revisions
}

/// `ScaleDownDelay`: `passed`, the time left, or empty when the deadline does not parse.
pub fn scale_down_delay(deadline: &str, now: Time) -> String {
    match rollout_sim::objects::timestamp::parse_rfc3339(deadline) {
        Ok(at) if at.before(now) => "passed".to_string(),
        Ok(at) => crate::printers::duration::human_duration(at - now),
        Err(_) => String::new(),
    }
}

/// `Age`: HumanDuration since creation. An object without a creation time is Go's zero time,
/// whose distance from now saturates at the largest duration (292 years).
pub fn age(created: Option<Time>, now: Time) -> String {
    match created {
        Some(created) => crate::printers::duration::human_duration(now - created),
        None => "292y".to_string(),
    }
}
