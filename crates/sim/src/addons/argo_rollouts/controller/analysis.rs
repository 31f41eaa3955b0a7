//! `rollout/analysis.go`: the AnalysisRuns a Rollout starts and reads — one for the current
//! canary `analysis` step, one in the background (`strategy.canary.analysis`), and the
//! blue-green pre- and post-promotion runs. A Failed or Error run aborts the update, an
//! Inconclusive one pauses it (`InconclusiveAnalysisRun`), a Successful one lets the step
//! (or the promotion) complete. Runs the Rollout no longer needs are terminated, old ones
//! deleted beyond the history limits.

use super::replicaset::{has_scale_down_deadline, is_saturated};
use super::{pod_template_hash, RolloutContext};
use crate::addons::argo_rollouts::utils::analysis::{
    self as util, run_labels, ROLLOUT_TYPE_BACKGROUND, ROLLOUT_TYPE_POST_PROMOTION,
    ROLLOUT_TYPE_PRE_PROMOTION, ROLLOUT_TYPE_STEP,
};
use crate::addons::argo_rollouts::utils::REVISION_ANNOTATION;
use crate::api::{go_quote, FieldError};
use crate::apiserver::ObjectKey;
use crate::clock::Duration;
use crate::cluster::Cluster;
use crate::objects::{
    AnalysisPhase, AnalysisRun, AnalysisRunSpec, AnalysisTemplateRef, AnalysisTemplateSpec, DryRun,
    EventType, Kind, MeasurementRetention, Metric, PauseReason, ReplicaSet, Rollout,
    RolloutAnalysis, RolloutAnalysisRunStatus,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// `analysisutil.CurrentAnalysisRuns`: the runs the Rollout's status names.
#[derive(Clone, Debug, Default)]
pub(super) struct CurrentAnalysisRuns {
    pub blue_green_pre_promotion: Option<AnalysisRun>,
    pub blue_green_post_promotion: Option<AnalysisRun>,
    pub canary_step: Option<AnalysisRun>,
    pub canary_background: Option<AnalysisRun>,
}

impl CurrentAnalysisRuns {
    fn names(&self) -> Vec<&str> {
        [
            &self.blue_green_post_promotion,
            &self.blue_green_pre_promotion,
            &self.canary_step,
            &self.canary_background,
        ]
        .into_iter()
        .flatten()
        .map(|ar| ar.metadata.name.as_str())
        .collect()
    }
}

/// `getAnalysisRunsForRollout` and `FilterCurrentRolloutAnalysisRuns`: the runs the Rollout
/// controls, split into the ones its status names and the others.
pub(super) fn analysis_runs_for_rollout(
    cluster: &Cluster,
    rollout: &Rollout,
) -> (CurrentAnalysisRuns, Vec<AnalysisRun>) {
    let owned = crate::cluster::in_namespace(
        &cluster.api.store.analysis_runs,
        &rollout.metadata.namespace,
    )
    .filter(|ar| {
        ar.metadata
            .controller_ref()
            .is_some_and(|r| r.uid == rollout.metadata.uid)
    });
    let name_of = |s: &Option<RolloutAnalysisRunStatus>| s.as_ref().map(|s| s.name.clone());
    let status = &rollout.status;
    let step = name_of(&status.canary.current_step_analysis_run_status);
    let background = name_of(&status.canary.current_background_analysis_run_status);
    let pre = name_of(&status.blue_green.pre_promotion_analysis_run_status);
    let post = name_of(&status.blue_green.post_promotion_analysis_run_status);
    let mut current = CurrentAnalysisRuns::default();
    let mut others = Vec::new();
    for ar in owned {
        let name = Some(ar.metadata.name.clone());
        if name == step {
            current.canary_step = Some(ar.clone());
        } else if name == background {
            current.canary_background = Some(ar.clone());
        } else if name == pre {
            current.blue_green_pre_promotion = Some(ar.clone());
        } else if name == post {
            current.blue_green_post_promotion = Some(ar.clone());
        } else {
            others.push(ar.clone());
        }
    }
    (current, others)
}

fn analysis_status(ar: &AnalysisRun) -> RolloutAnalysisRunStatus {
    RolloutAnalysisRunStatus {
        name: ar.metadata.name.clone(),
        status: ar.status.phase.as_str().to_string(),
        message: ar.status.message.clone(),
    }
}

/// `needsNewAnalysisRun`.
fn needs_new_analysis_run(current: Option<&AnalysisRun>, rollout: &Rollout) -> bool {
    let Some(current) = current else {
        return true;
    };
    let status = &rollout.status;
    let paused_for =
        |reason: PauseReason| status.pause_conditions.iter().any(|c| c.reason == reason);
    if status.controller_pause
        && !paused_for(PauseReason::CanaryPauseStep)
        && !paused_for(PauseReason::BlueGreenPause)
    {
        return current.status.phase == AnalysisPhase::Inconclusive;
    }
    status.aborted_at.is_some()
}

/// `skipPrePromotionAnalysisRun`.
fn skip_pre_promotion_analysis_run(
    rollout: &Rollout,
    new_rs: Option<&ReplicaSet>,
    current: Option<&AnalysisRun>,
) -> bool {
    let hash = new_rs.map(pod_template_hash).unwrap_or("");
    let active = &rollout.status.blue_green.active_selector;
    if rollout.status.stable_rs == hash || active.is_empty() || active == hash || hash.is_empty() {
        return true;
    }
    if current.is_some() {
        return false;
    }
    if let Some(count) = rollout.blue_green().and_then(|bg| bg.preview_replica_count) {
        return new_rs
            .is_none_or(|rs| rs.spec.replicas != count || rs.status.available_replicas != count);
    }
    !is_saturated(rollout, new_rs)
}

/// `skipPostPromotionAnalysisRun`.
fn skip_post_promotion_analysis_run(
    rollout: &Rollout,
    new_rs: Option<&ReplicaSet>,
    current: Option<&AnalysisRun>,
) -> bool {
    let hash = new_rs.map(pod_template_hash).unwrap_or("");
    let active = &rollout.status.blue_green.active_selector;
    if rollout.status.stable_rs == hash || active != hash || hash.is_empty() {
        return true;
    }
    if current.is_some() {
        return false;
    }
    !is_saturated(rollout, new_rs)
}

/// A `RolloutAnalysis`'s verbatim lists, read as upstream's types.
fn dry_run_of(analysis: &RolloutAnalysis) -> Vec<DryRun> {
    analysis
        .dry_run
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn retention_of(analysis: &RolloutAnalysis) -> Vec<MeasurementRetention> {
    analysis
        .measurement_retention
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn metadata_of(analysis: &RolloutAnalysis, field: &str) -> BTreeMap<String, String> {
    analysis
        .analysis_run_metadata
        .as_ref()
        .and_then(|m| m.get(field))
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// A metric as Go's `json.Marshal` writes it into the run: the typed structs a template's
/// providers decode into always write their `authentication` (and a Job's `metadata`).
fn as_go_typed(mut metric: Metric) -> Metric {
    let authentication = |auth: Option<Value>| {
        let mut map = match auth {
            Some(Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        for key in ["oauth2", "sigv4"] {
            map.entry(key)
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
        }
        Some(Value::Object(map))
    };
    if let Some(p) = metric.provider.prometheus.as_mut() {
        p.authentication = authentication(p.authentication.take());
    }
    if let Some(w) = metric.provider.web.as_mut() {
        w.authentication = authentication(w.authentication.take());
    }
    if let Some(job) = metric.provider.job.as_mut() {
        let mut meta = match job.metadata.take() {
            Some(Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        meta.entry("creationTimestamp").or_insert(Value::Null);
        job.metadata = Some(Value::Object(meta));
    }
    metric
}

impl RolloutContext<'_> {
    /// `reconcileAnalysisRuns`. `Err` is an error upstream returns from the sync (the status
    /// is not written; the Rollout is looked at again later).
    pub(super) fn reconcile_analysis_runs(&mut self) -> Result<(), String> {
        let aborted = self.pause.is_aborted(&self.rollout);
        let rollback_to_scale_down_delay =
            self.new_rs.as_ref().is_some_and(has_scale_down_deadline);
        let initial_deploy = self.rollout.status.stable_rs.is_empty();
        if aborted
            || self.rollout.status.promote_full
            || rollback_to_scale_down_delay
            || initial_deploy
        {
            let current = self.current_ars.clone();
            let mut all: Vec<AnalysisRun> = [
                current.blue_green_post_promotion.clone(),
                current.blue_green_pre_promotion.clone(),
                current.canary_step.clone(),
                current.canary_background.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            all.extend(self.other_ars.iter().cloned());
            self.set_current_analysis_runs(current);
            self.cancel_analysis_runs(&all);
            return Ok(());
        }
        let mut new_current = CurrentAnalysisRuns::default();
        if self.rollout.canary().is_some() {
            new_current.canary_step = self.reconcile_step_based_analysis_run()?;
            new_current.canary_background = self.reconcile_background_analysis_run()?;
        }
        if self.rollout.blue_green().is_some() {
            let pre = self.reconcile_pre_promotion_analysis_run()?;
            self.set_pause_or_abort_for_blue_green(pre.as_ref(), false);
            new_current.blue_green_pre_promotion = pre;
            let post = self.reconcile_post_promotion_analysis_run()?;
            self.set_pause_or_abort_for_blue_green(post.as_ref(), true);
            new_current.blue_green_post_promotion = post;
        }
        self.set_current_analysis_runs(new_current.clone());

        let current_names = new_current.names();
        let others: Vec<AnalysisRun> = self
            .other_ars
            .iter()
            .filter(|ar| !current_names.contains(&ar.metadata.name.as_str()))
            .cloned()
            .collect();
        self.cancel_analysis_runs(&others);
        let (limit_successful, limit_unsuccessful) =
            util::analysis_run_history_limits(&self.rollout);
        let refs: Vec<&AnalysisRun> = others.iter().collect();
        let delete: Vec<ObjectKey> = util::filter_analysis_runs_to_delete(
            &refs,
            &self.all_rss,
            limit_successful,
            limit_unsuccessful,
        )
        .into_iter()
        .filter(|ar| ar.metadata.deletion_timestamp.is_none())
        .map(|ar| ObjectKey::new(&ar.metadata.namespace, &ar.metadata.name))
        .collect();
        for key in delete {
            if self.cluster.api.store.analysis_runs.remove(&key).is_some() {
                self.cluster.api.work.dirty = true;
                self.wrote = true;
            }
        }
        self.reconcile_analysis_run_status_changes(&new_current);
        Ok(())
    }

    /// `SetCurrentAnalysisRuns`: the runs, and their phases in the new status.
    fn set_current_analysis_runs(&mut self, current: CurrentAnalysisRuns) {
        if self.rollout.canary().is_some() {
            if let Some(ar) = &current.canary_background {
                self.new_status
                    .canary
                    .current_background_analysis_run_status = Some(analysis_status(ar));
            }
            if let Some(ar) = &current.canary_step {
                self.new_status.canary.current_step_analysis_run_status = Some(analysis_status(ar));
            }
        } else if self.rollout.blue_green().is_some() {
            if let Some(ar) = &current.blue_green_pre_promotion {
                self.new_status.blue_green.pre_promotion_analysis_run_status =
                    Some(analysis_status(ar));
            }
            if let Some(ar) = &current.blue_green_post_promotion {
                self.new_status
                    .blue_green
                    .post_promotion_analysis_run_status = Some(analysis_status(ar));
            }
        }
        self.current_ars = current;
    }

    /// `setPauseOrAbortForBlueGreen`.
    fn set_pause_or_abort_for_blue_green(
        &mut self,
        ar: Option<&AnalysisRun>,
        post_promotion: bool,
    ) {
        let Some(ar) = ar else {
            return;
        };
        match ar.status.phase {
            AnalysisPhase::Inconclusive => {
                self.pause
                    .add_pause_condition(PauseReason::AnalysisRunInconclusive);
            }
            AnalysisPhase::Error | AnalysisPhase::Failed => {
                let mut message = if post_promotion {
                    "Blue/green post-promotion analysis phase error/failed".to_string()
                } else {
                    "Blue/green pre-promotion analysis phase error/failed".to_string()
                };
                if !ar.status.message.is_empty() {
                    message = format!("{message}: {}", ar.status.message);
                }
                self.pause.add_abort(message);
            }
            _ => {}
        }
    }

    /// `reconcileAnalysisRunStatusChanges` / `emitAnalysisRunStatusChanges`: an event on
    /// the Rollout whenever one of its current runs changes phase.
    fn reconcile_analysis_run_status_changes(&mut self, current: &CurrentAnalysisRuns) {
        let status = self.rollout.status.clone();
        let pairs = [
            (
                &status.blue_green.post_promotion_analysis_run_status,
                &current.blue_green_post_promotion,
                ROLLOUT_TYPE_POST_PROMOTION,
            ),
            (
                &status.blue_green.pre_promotion_analysis_run_status,
                &current.blue_green_pre_promotion,
                ROLLOUT_TYPE_PRE_PROMOTION,
            ),
            (
                &status.canary.current_step_analysis_run_status,
                &current.canary_step,
                ROLLOUT_TYPE_STEP,
            ),
            (
                &status.canary.current_background_analysis_run_status,
                &current.canary_background,
                ROLLOUT_TYPE_BACKGROUND,
            ),
        ];
        for (previous, ar, kind) in pairs {
            let Some(ar) = ar else {
                continue;
            };
            let phase = ar.status.phase;
            if phase == AnalysisPhase::Unset {
                continue;
            }
            let changed = match previous {
                None => true,
                Some(prev) => prev.name == ar.metadata.name && prev.status != phase.as_str(),
            };
            if !changed {
                continue;
            }
            let previous = previous
                .as_ref()
                .map_or("NoPreviousStatus".to_string(), |p| p.status.clone());
            let type_ = if matches!(phase, AnalysisPhase::Failed | AnalysisPhase::Error) {
                EventType::Warning
            } else {
                EventType::Normal
            };
            self.event(
                type_,
                &format!("AnalysisRun{}", phase.as_str()),
                format!(
                    "{kind} Analysis Run '{}' Status New: '{}' Previous: '{previous}'",
                    ar.metadata.name,
                    phase.as_str()
                ),
            );
        }
    }

    /// `reconcilePrePromotionAnalysisRun`.
    fn reconcile_pre_promotion_analysis_run(&mut self) -> Result<Option<AnalysisRun>, String> {
        let current = self.current_ars.blue_green_pre_promotion.clone();
        let analysis = self
            .rollout
            .blue_green()
            .and_then(|bg| bg.pre_promotion_analysis.clone())
            .filter(|a| !a.templates.is_empty());
        let Some(analysis) = analysis else {
            self.cancel_analysis_runs(current.as_slice());
            return Ok(None);
        };
        if skip_pre_promotion_analysis_run(&self.rollout, self.new_rs.as_ref(), current.as_ref()) {
            self.cancel_analysis_runs(current.as_slice());
            return Ok(current);
        }
        if super::pause::get_pause_condition(&self.rollout, PauseReason::AnalysisRunInconclusive)
            .is_some()
        {
            return Ok(current);
        }
        if needs_new_analysis_run(current.as_ref(), &self.rollout) {
            let labels = run_labels(
                ROLLOUT_TYPE_PRE_PROMOTION,
                &self.new_pod_hash(),
                None,
                &self.instance_id(),
            );
            return self.create_analysis_run(&analysis, "pre", labels).map(Some);
        }
        Ok(current)
    }

    /// `reconcilePostPromotionAnalysisRun`.
    fn reconcile_post_promotion_analysis_run(&mut self) -> Result<Option<AnalysisRun>, String> {
        let current = self.current_ars.blue_green_post_promotion.clone();
        let analysis = self
            .rollout
            .blue_green()
            .and_then(|bg| bg.post_promotion_analysis.clone())
            .filter(|a| !a.templates.is_empty());
        let Some(analysis) = analysis else {
            self.cancel_analysis_runs(current.as_slice());
            return Ok(None);
        };
        if skip_post_promotion_analysis_run(&self.rollout, self.new_rs.as_ref(), current.as_ref()) {
            self.cancel_analysis_runs(current.as_slice());
            return Ok(current);
        }
        if super::pause::get_pause_condition(&self.rollout, PauseReason::AnalysisRunInconclusive)
            .is_some()
        {
            return Ok(current);
        }
        if needs_new_analysis_run(current.as_ref(), &self.rollout) {
            let labels = run_labels(
                ROLLOUT_TYPE_POST_PROMOTION,
                &self.new_pod_hash(),
                None,
                &self.instance_id(),
            );
            return self
                .create_analysis_run(&analysis, "post", labels)
                .map(Some);
        }
        Ok(current)
    }

    /// `reconcileBackgroundAnalysisRun`.
    fn reconcile_background_analysis_run(&mut self) -> Result<Option<AnalysisRun>, String> {
        let current = self.current_ars.canary_background.clone();
        let analysis = self
            .rollout
            .canary()
            .and_then(|c| c.analysis.clone())
            .filter(|a| !a.analysis.templates.is_empty());
        let Some(analysis) = analysis else {
            self.cancel_analysis_runs(current.as_slice());
            return Ok(None);
        };
        let status = &self.rollout.status;
        if crate::addons::argo_rollouts::utils::phase::is_fully_promoted(&self.rollout)
            || status.stable_rs.is_empty()
            || status.current_pod_hash.is_empty()
            || super::arith::before_starting_step(&self.view())
        {
            return Ok(None);
        }
        if super::pause::get_pause_condition(&self.rollout, PauseReason::AnalysisRunInconclusive)
            .is_some()
        {
            return Ok(current);
        }
        if needs_new_analysis_run(current.as_ref(), &self.rollout) {
            let labels = run_labels(
                ROLLOUT_TYPE_BACKGROUND,
                &self.new_pod_hash(),
                None,
                &self.instance_id(),
            );
            return self
                .create_analysis_run(&analysis.analysis, "", labels)
                .map(Some);
        }
        if let Some(ar) = &current {
            self.pause_or_abort_for_canary(ar, "Background analysis phase error/failed");
        }
        Ok(current)
    }

    /// `reconcileStepBasedAnalysisRun`.
    fn reconcile_step_based_analysis_run(&mut self) -> Result<Option<AnalysisRun>, String> {
        let current = self.current_ars.canary_step.clone();
        if !self.rollout.status.pause_conditions.is_empty() || self.rollout.status.abort {
            return Ok(current);
        }
        let view = self.view();
        let (_, index) = super::arith::get_current_canary_step(&view);
        let step = index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.rollout.canary().and_then(|c| c.steps.get(i)))
            .cloned();
        let analysis = step.and_then(|s| s.analysis);
        let from_previous_step = analysis.is_some()
            && current.as_ref().is_some_and(|ar| {
                ar.metadata
                    .labels
                    .get(util::CANARY_STEP_INDEX_LABEL)
                    .map(String::as_str)
                    != index.map(|i| i.to_string()).as_deref()
            });
        let Some(analysis) = analysis.filter(|a| !a.templates.is_empty() && !from_previous_step)
        else {
            self.cancel_analysis_runs(current.as_slice());
            return Ok(None);
        };
        let Some(index) = index else {
            self.cancel_analysis_runs(current.as_slice());
            return Ok(None);
        };
        if needs_new_analysis_run(current.as_ref(), &self.rollout) {
            let labels = run_labels(
                ROLLOUT_TYPE_STEP,
                &self.new_pod_hash(),
                Some(index),
                &self.instance_id(),
            );
            return self
                .create_analysis_run(&analysis, &index.to_string(), labels)
                .map(Some);
        }
        if let Some(ar) = &current {
            self.pause_or_abort_for_canary(ar, "Step-based analysis phase error/failed");
        }
        Ok(current)
    }

    /// An Inconclusive run pauses the canary, a Failed or Error one aborts it.
    fn pause_or_abort_for_canary(&mut self, ar: &AnalysisRun, failed: &str) {
        match ar.status.phase {
            AnalysisPhase::Inconclusive => {
                self.pause
                    .add_pause_condition(PauseReason::AnalysisRunInconclusive);
            }
            AnalysisPhase::Error | AnalysisPhase::Failed => {
                let mut message = failed.to_string();
                if !ar.status.message.is_empty() {
                    message = format!("{message}: {}", ar.status.message);
                }
                self.pause.add_abort(message);
            }
            _ => {}
        }
    }

    fn new_pod_hash(&self) -> String {
        self.new_rs
            .as_ref()
            .map(|rs| pod_template_hash(rs).to_string())
            .unwrap_or_default()
    }

    /// `GetInstanceID`: the controller instance the Rollout is labelled for.
    fn instance_id(&self) -> String {
        self.rollout
            .metadata
            .labels
            .get(util::CONTROLLER_INSTANCE_ID_LABEL)
            .cloned()
            .unwrap_or_default()
    }

    /// `createAnalysisRun`: a run from the referenced templates, named
    /// `<rollout>-<pod hash>-<revision>[-<infix>]`, owned by the Rollout.
    fn create_analysis_run(
        &mut self,
        analysis: &RolloutAnalysis,
        infix: &str,
        labels: BTreeMap<String, String>,
    ) -> Result<AnalysisRun, String> {
        let args = util::build_arguments_for_rollout_analysis_run(
            &analysis.args,
            self.stable_rs.as_ref(),
            self.new_rs.as_ref(),
            &self.rollout,
        )?;
        let pod_hash = self.new_pod_hash();
        if pod_hash.is_empty() {
            let name = self
                .new_rs
                .as_ref()
                .map(|rs| rs.metadata.name.clone())
                .unwrap_or_default();
            return Err(format!(
                "Latest ReplicaSet '{name}' has no pod hash in the labels"
            ));
        }
        let revision = self
            .rollout
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .cloned()
            .unwrap_or_default();
        let mut parts = vec![
            self.rollout.metadata.name.clone(),
            pod_hash,
            revision.clone(),
        ];
        if !infix.is_empty() {
            parts.push(infix.to_string());
        }
        let name = parts.join("-");
        let templates = self.analysis_templates_from_refs(&analysis.templates)?;
        let specs: Vec<&AnalysisTemplateSpec> = templates.iter().collect();
        let template = util::flatten_templates(&specs)?;
        let args = util::merge_args(&args, &template.args)?;
        let mut dry_run = dry_run_of(analysis);
        dry_run.extend(template.dry_run.iter().cloned());
        util::validate_dry_run_metrics(&dry_run)?;
        let mut retention = retention_of(analysis);
        retention.extend(template.measurement_retention.iter().cloned());
        util::validate_measurement_retention_metrics(&retention)?;

        let mut run_labels = labels;
        run_labels.extend(metadata_of(analysis, "labels"));
        if let Some(selector) = &self.rollout.spec.selector {
            run_labels.extend(selector.match_labels.clone());
        }
        let mut annotations = BTreeMap::from([(REVISION_ANNOTATION.to_string(), revision)]);
        annotations.extend(metadata_of(analysis, "annotations"));
        let namespace = self.rollout.metadata.namespace.clone();
        let mut run = AnalysisRun {
            metadata: self.cluster.api.new_metadata(&name, &namespace),
            spec: AnalysisRunSpec {
                metrics: template.metrics.into_iter().map(as_go_typed).collect(),
                args,
                dry_run,
                measurement_retention: retention,
                ..AnalysisRunSpec::default()
            },
            status: Default::default(),
        };
        run.metadata.generation = 1;
        run.metadata.labels = run_labels;
        run.metadata.annotations = annotations;
        run.metadata.owner_references = vec![crate::controller::deployment::controller_ref(
            Kind::Rollout,
            &self.rollout.metadata.name,
            &self.rollout.metadata.uid,
        )];
        Ok(self.create_with_collision_counter(run))
    }

    /// `CreateWithCollisionCounter`: a name already taken gets `.1`, `.2`, … unless the run
    /// there is this one still running.
    fn create_with_collision_counter(&mut self, mut run: AnalysisRun) -> AnalysisRun {
        let base = run.metadata.name.clone();
        let mut collisions = 1;
        loop {
            let key = ObjectKey::new(&run.metadata.namespace, &run.metadata.name);
            let Some(existing) = self.cluster.api.store.analysis_runs.get(&key) else {
                self.cluster
                    .api
                    .store
                    .analysis_runs
                    .insert(key, run.clone());
                self.cluster.api.work.dirty = true;
                self.wrote = true;
                return run;
            };
            let same_owner = existing
                .metadata
                .controller_ref()
                .is_some_and(|r| r.uid == self.rollout.metadata.uid);
            if !existing.status.phase.completed()
                && util::is_semantically_equal(&run, existing)
                && same_owner
            {
                return existing.clone();
            }
            run.metadata.name = format!("{base}.{collisions}");
            collisions += 1;
        }
    }

    /// `getAnalysisTemplatesFromRefs`: the templates, nested ones included, each once
    /// (namespaced ones first, as `FlattenTemplates` takes them).
    fn analysis_templates_from_refs(
        &self,
        refs: &[AnalysisTemplateRef],
    ) -> Result<Vec<AnalysisTemplateSpec>, String> {
        let mut namespaced: Vec<(String, AnalysisTemplateSpec)> = Vec::new();
        let mut cluster_scoped: Vec<(String, AnalysisTemplateSpec)> = Vec::new();
        self.collect_templates(refs, &mut namespaced, &mut cluster_scoped, 0)?;
        let mut seen = std::collections::BTreeSet::new();
        let mut unique: Vec<AnalysisTemplateSpec> = Vec::new();
        for (name, spec) in namespaced {
            if seen.insert(name) {
                unique.push(spec);
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (name, spec) in cluster_scoped {
            if seen.insert(name) {
                unique.push(spec);
            }
        }
        Ok(unique)
    }

    fn collect_templates(
        &self,
        refs: &[AnalysisTemplateRef],
        namespaced: &mut Vec<(String, AnalysisTemplateSpec)>,
        cluster_scoped: &mut Vec<(String, AnalysisTemplateSpec)>,
        depth: usize,
    ) -> Result<(), String> {
        // Templates may nest; a cycle is not followed forever.
        if depth > 10 {
            return Ok(());
        }
        let store = &self.cluster.api.store;
        for r in refs {
            let spec = if r.cluster_scope {
                let spec = store
                    .cluster_analysis_templates
                    .get(&ObjectKey::new("", &r.template_name))
                    .map(|t| t.spec.clone())
                    .ok_or_else(|| {
                        format!(
                            "clusteranalysistemplate.argoproj.io {} not found",
                            go_quote(&r.template_name)
                        )
                    })?;
                cluster_scoped.push((r.template_name.clone(), spec.clone()));
                spec
            } else {
                let spec = store
                    .analysis_templates
                    .get(&ObjectKey::new(
                        &self.rollout.metadata.namespace,
                        &r.template_name,
                    ))
                    .map(|t| t.spec.clone())
                    .ok_or_else(|| {
                        format!(
                            "analysistemplate.argoproj.io {} not found",
                            go_quote(&r.template_name)
                        )
                    })?;
                namespaced.push((r.template_name.clone(), spec.clone()));
                spec
            };
            if !spec.templates.is_empty() {
                self.collect_templates(&spec.templates, namespaced, cluster_scoped, depth + 1)?;
            }
        }
        Ok(())
    }

    /// `cancelAnalysisRuns`: `spec.terminate: true` on every run still going.
    fn cancel_analysis_runs(&mut self, runs: &[AnalysisRun]) {
        for ar in runs {
            if ar.spec.terminate || ar.status.phase.completed() {
                continue;
            }
            let key = ObjectKey::new(&ar.metadata.namespace, &ar.metadata.name);
            if let Some(live) = self.cluster.api.store.analysis_runs.get_mut(&key) {
                if !live.spec.terminate {
                    live.spec.terminate = true;
                    live.metadata.generation += 1;
                    self.cluster.api.work.dirty = true;
                    self.wrote = true;
                }
            }
        }
    }

    /// The step's AnalysisRun completed Successful (`completedCurrentCanaryStep`'s analysis
    /// case).
    pub(super) fn current_step_analysis_successful(&self) -> bool {
        self.current_ars
            .canary_step
            .as_ref()
            .is_some_and(|ar| ar.status.phase == AnalysisPhase::Successful)
    }

    /// `completedPrePromotionAnalysis`.
    pub(super) fn completed_pre_promotion_analysis(&self) -> bool {
        let none = self
            .rollout
            .blue_green()
            .is_none_or(|bg| bg.pre_promotion_analysis.is_none());
        none || self
            .current_ars
            .blue_green_pre_promotion
            .as_ref()
            .is_some_and(|ar| ar.status.phase == AnalysisPhase::Successful)
    }

    /// `shouldFullPromote`'s post-promotion check for blue-green: `None` to wait for the
    /// post-promotion run, `Some(reason)` to promote now.
    pub(super) fn post_promotion_gate(&self) -> Option<Option<String>> {
        let bg = self.rollout.blue_green()?;
        bg.post_promotion_analysis.as_ref()?;
        if let Some(new_rs) = self
            .new_rs
            .as_ref()
            .filter(|rs| has_scale_down_deadline(rs))
        {
            return Some(Some(format!(
                "Rollback to '{}' within scaleDownDelay",
                new_rs.metadata.name
            )));
        }
        let successful = self
            .current_ars
            .blue_green_post_promotion
            .as_ref()
            .is_some_and(|ar| ar.status.phase == AnalysisPhase::Successful);
        Some(if successful {
            Some("Completed blue-green update".into())
        } else {
            None
        })
    }

    /// `getReferencedRolloutAnalyses`: every template the strategy references must exist
    /// (`AnalysisTemplate '<name>' not found` in the InvalidSpec condition).
    pub(super) fn analysis_template_errors(&self) -> Vec<FieldError> {
        let ro = &self.rollout;
        let mut references: Vec<(String, &[AnalysisTemplateRef])> = Vec::new();
        if let Some(bg) = ro.blue_green() {
            if let Some(a) = &bg.pre_promotion_analysis {
                references.push((
                    "spec.strategy.blueGreen.prePromotionAnalysis.templates".into(),
                    &a.templates,
                ));
            }
            if let Some(a) = &bg.post_promotion_analysis {
                references.push((
                    "spec.strategy.blueGreen.postPromotionAnalysis.templates".into(),
                    &a.templates,
                ));
            }
        } else if let Some(canary) = ro.canary() {
            for (i, step) in canary.steps.iter().enumerate() {
                if let Some(a) = &step.analysis {
                    references.push((
                        format!("spec.strategy.canary.steps[{i}].analysis.templates"),
                        &a.templates,
                    ));
                }
            }
            if let Some(a) = &canary.analysis {
                references.push((
                    "spec.strategy.canary.analysis.templates".into(),
                    &a.analysis.templates,
                ));
            }
        }
        let store = &self.cluster.api.store;
        let mut errors = Vec::new();
        for (path, refs) in references {
            for r in refs {
                let (found, kind) = if r.cluster_scope {
                    (
                        store
                            .cluster_analysis_templates
                            .contains_key(&ObjectKey::new("", &r.template_name)),
                        "ClusterAnalysisTemplate",
                    )
                } else {
                    (
                        store.analysis_templates.contains_key(&ObjectKey::new(
                            &ro.metadata.namespace,
                            &r.template_name,
                        )),
                        "AnalysisTemplate",
                    )
                };
                if !found {
                    errors.push(FieldError::invalid(
                        &path,
                        go_quote(&r.template_name),
                        format!("{kind} '{}' not found", r.template_name),
                    ));
                    return errors;
                }
            }
        }
        errors
    }

    /// An error from `reconcileAnalysisRuns` (a template argument without a value, say):
    /// upstream's sync fails, logs it and is retried with back-off; the lab retries in 10 s.
    pub(super) fn analysis_error(&mut self, _err: &str) {
        let at = self.now() + Duration::from_secs(10);
        self.requeue_at(at);
    }

    /// `scaleDownOldReplicaSetsForBlueGreen`: without `scaleDownDelaySeconds`, the old
    /// ReplicaSet stays until the post-promotion run succeeded.
    pub(super) fn post_promotion_analysis_blocks_scale_down(&self) -> bool {
        let Some(bg) = self.rollout.blue_green() else {
            return false;
        };
        let current = self.current_ars.blue_green_post_promotion.as_ref();
        bg.post_promotion_analysis.is_some()
            && bg.scale_down_delay_seconds.is_none()
            && !skip_post_promotion_analysis_run(&self.rollout, self.new_rs.as_ref(), current)
            && current.is_none_or(|ar| ar.status.phase != AnalysisPhase::Successful)
    }
}
