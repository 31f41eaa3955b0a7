//! `rollout/trafficrouting.go` with its one router the lab has, ingress-nginx
//! (`rollout/trafficrouting/nginx`): the canary weight the current step asks for, written
//! into the canary Ingress the controller owns, and recorded in `status.canary.weights`.

use super::gatewayapi;
use super::replicaset::rs_view;
use super::{arith, conditions, RolloutContext};
use crate::addons::argo_rollouts::utils::phase::{
    is_dynamically_rolling_back_to_stable, is_fully_promoted,
};
use crate::apiserver::ObjectKey;
use crate::controller::deployment::controller_ref;
use crate::objects::{
    EventType, Ingress, IngressSpec, Kind, ObjectMeta, ReplicaSet, Rollout, TrafficWeights,
    WeightDestination,
};

/// Upstream's `ingressutil.CanaryIngressSuffix`.
const CANARY_INGRESS_SUFFIX: &str = "-canary";
/// `GetCanaryIngressAnnotationPrefixOrDefault`.
const DEFAULT_ANNOTATION_PREFIX: &str = "nginx.ingress.kubernetes.io";

/// `ingressutil.GetCanaryIngressName`: `<rollout>-<stable ingress>-canary`, cut to a valid
/// name length.
pub fn canary_ingress_name(rollout: &str, stable_ingress: &str) -> String {
    let mut prefix = format!("{rollout}-{stable_ingress}");
    let max = 253 - CANARY_INGRESS_SUFFIX.len();
    if prefix.len() > max {
        let mut cut = max;
        while !prefix.is_char_boundary(cut) {
            cut -= 1;
        }
        prefix.truncate(cut);
    }
    format!("{prefix}{CANARY_INGRESS_SUFFIX}")
}

/// `reconcileTrafficRouting`. An `Err` ends the sync there, as upstream's returned error
/// does (nothing more is scaled or written; the next change syncs again).
pub(super) fn reconcile(c: &mut RolloutContext<'_>) -> Result<(), String> {
    let routing = c
        .rollout
        .canary()
        .and_then(|canary| canary.traffic_routing.clone());
    let nginx = routing.as_ref().and_then(|routing| routing.nginx.clone());
    let plugins = routing
        .as_ref()
        .and_then(|routing| routing.other.get("plugins"))
        .and_then(serde_json::Value::as_object)
        .cloned()
        .unwrap_or_default();
    if nginx.is_none() && plugins.is_empty() {
        c.new_status.canary.weights = None;
        return Ok(());
    }
    // `NewTrafficRoutingReconciler`: a plugin starts only if the controller's config
    // (`argo-rollouts-config`, read when the controller started) names it.
    let mut gateway = None;
    for (name, raw) in &plugins {
        if !c.registered_plugins.iter().any(|p| p == name) {
            return Err(format!(
                "failed to get traffic router plugin {name}: unable to start plugin system: unable to find plugin ({name}): plugin {name} not configured in configmap"
            ));
        }
        if name == gatewayapi::PLUGIN_NAME {
            gateway = Some(raw.clone());
        }
    }
    let managed_routes = routing
        .as_ref()
        .and_then(|routing| routing.other.get("managedRoutes"))
        .map(gatewayapi::managed_route_names)
        .unwrap_or_default();
    let canary_strategy = c.rollout.canary().cloned().unwrap_or_default();
    // Each call parses the plugin's config again, as each RPC does.
    let plugin_call = |c: &mut RolloutContext<'_>,
                       edit: gatewayapi::Edit<'_>,
                       what: &str|
     -> Result<(), String> {
        let Some(raw) = &gateway else {
            return Ok(());
        };
        let result = gatewayapi::config(raw, &c.rollout.metadata.namespace).and_then(|config| {
            let plugin = gatewayapi::Plugin {
                config,
                canary: &canary_strategy.canary_service,
                stable: &canary_strategy.stable_service,
                managed: managed_routes.clone(),
            };
            plugin.apply(c.cluster, &edit)
        });
        match result {
            Ok(wrote) => {
                c.wrote |= wrote;
                Ok(())
            }
            Err(message) => Err(format!("failed to {what} via plugin: {message}")),
        }
    };
    let view = c.view();
    let max_weight = arith::max_traffic_weight(&view);
    let (_, index) = arith::get_current_canary_step(&view);
    let canary_hash = c
        .new_rs
        .as_ref()
        .map(|rs| super::pod_template_hash(rs).to_string())
        .unwrap_or_default();
    let stable_hash = c
        .stable_rs
        .as_ref()
        .map(|rs| super::pod_template_hash(rs).to_string())
        .unwrap_or_default();
    let mut canary_hash = canary_hash;
    let dynamic_stable_scale = c.rollout.canary().is_some_and(|cs| cs.dynamic_stable_scale);
    let rolling_back_from = c
        .new_rs
        .as_ref()
        .and_then(|rs| is_dynamically_rolling_back_to_stable(&c.rollout, rs));
    let mut desired_weight = 0;
    if let Some(previous_desired) = rolling_back_from {
        // The stable is the desired ReplicaSet again: the weight is shared between the
        // *previous* desired one and the stable until the stable is back (upstream #3020).
        desired_weight = desired_weight_on_abort_or_stable_rollback(c);
        canary_hash = previous_desired;
    } else if is_fully_promoted(&c.rollout) {
        // The canary is the stable now: no weight to the canary Ingress.
        plugin_call(c, gatewayapi::Edit::RemoveManaged, "remove managed routes")?;
    } else if c.pause.is_aborted(&c.rollout) {
        desired_weight = desired_weight_on_abort_or_stable_rollback(c);
        // With dynamicStableScale the canary Service keeps its pods until the weight is
        // back to 0; otherwise the stable pods are all there already.
        if !dynamic_stable_scale || desired_weight == 0 {
            let canary_service = c
                .rollout
                .canary()
                .map(|cs| cs.canary_service.clone())
                .unwrap_or_default();
            let stable = c.stable_rs.clone();
            c.ensure_svc_targets_unchecked(&canary_service, stable.as_ref());
        }
        plugin_call(c, gatewayapi::Edit::RemoveManaged, "remove managed routes")?;
    } else if c
        .new_rs
        .as_ref()
        .is_none_or(|rs| rs.status.available_replicas == 0)
    {
        // Nothing to send traffic to yet; header routes to a defunct canary go.
        plugin_call(c, gatewayapi::Edit::RemoveManaged, "remove managed routes")?;
    } else if c.rollout.status.promote_full {
        // A full promotion moves the weight only as fast as the canary's pods come up.
        if dynamic_stable_scale {
            let available = c
                .new_rs
                .as_ref()
                .map_or(0, |rs| rs.status.available_replicas);
            desired_weight = ratio(max_weight, available, c.rollout.replicas());
        } else if let Some(weights) = &c.rollout.status.canary.weights {
            desired_weight = weights.canary.weight;
        }
        plugin_call(c, gatewayapi::Edit::RemoveManaged, "remove managed routes")?;
    } else if let Some(index) = index {
        let others: Vec<_> = c.other_rss.iter().map(rs_view).collect();
        let at_desired = arith::at_desired_replica_counts_for_canary(
            &view,
            c.new_rs.as_ref().map(rs_view).as_ref(),
            c.stable_rs.as_ref().map(rs_view).as_ref(),
            &others,
            None,
        );
        let steps = c
            .rollout
            .canary()
            .map(|cs| cs.steps.clone())
            .unwrap_or_default();
        if !at_desired {
            // The pods for this step are not there yet: keep the previous step's weight.
            desired_weight = (0..index)
                .rev()
                .filter_map(|i| steps.get(i as usize).and_then(|s| s.set_weight))
                .next()
                .unwrap_or(0);
        } else if index as usize != steps.len() {
            desired_weight = arith::get_current_set_weight(&view);
        } else {
            desired_weight = max_weight;
        }
    }
    if !check_replicas_available(
        &c.rollout,
        c.stable_rs.as_ref(),
        max_weight - desired_weight,
        max_weight,
    ) {
        return Ok(());
    }
    // Header routes only for an update (revision 1 runs step 0 at install).
    let current_step = index.and_then(|i| canary_strategy.steps.get(i as usize).cloned());
    let revision =
        crate::addons::argo_rollouts::utils::revision_of(&c.rollout.metadata.annotations);
    if let Some(step) = current_step.as_ref().filter(|_| revision > 1) {
        if let Some(raw) = &step.set_header_route {
            let header_route = gatewayapi::HeaderRoute::from_step(raw);
            plugin_call(
                c,
                gatewayapi::Edit::HeaderRoute(&header_route),
                "set header route",
            )?;
        }
    }
    if let Some(nginx) = &nginx {
        let mut ingresses = nginx.stable_ingresses.clone();
        if ingresses.is_empty() {
            ingresses.push(nginx.stable_ingress.clone());
        }
        for stable in ingresses {
            if let Err(message) = set_weight_per_ingress(c, &stable, desired_weight) {
                c.event(EventType::Warning, "TrafficRoutingError", message);
                return Ok(());
            }
        }
    }
    if let Err(message) = plugin_call(c, gatewayapi::Edit::Weight(desired_weight), "set weight") {
        c.event(EventType::Warning, "TrafficRoutingError", message.clone());
        return Err(message);
    }
    let canary = c.rollout.canary().cloned().unwrap_or_default();
    let weights = TrafficWeights {
        canary: WeightDestination {
            weight: desired_weight,
            service_name: canary.canary_service.clone(),
            pod_template_hash: canary_hash,
        },
        stable: WeightDestination {
            weight: max_weight - desired_weight,
            service_name: canary.stable_service.clone(),
            pod_template_hash: stable_hash,
        },
        verified: None,
    };
    let previous = c.rollout.status.canary.weights.clone();
    let modified = previous
        .as_ref()
        .is_none_or(|p| p.canary != weights.canary || p.stable != weights.stable);
    if modified {
        let detail = match &previous {
            None => format!("to {desired_weight}"),
            Some(p) if p.canary.weight != desired_weight => {
                format!("from {} to {desired_weight}", p.canary.weight)
            }
            Some(_) => String::new(),
        };
        c.event(
            EventType::Normal,
            conditions::TRAFFIC_WEIGHT_UPDATED_REASON,
            format!("Traffic weight updated {detail}"),
        );
        c.new_status.canary.weights = Some(weights);
    }
    // The plugin's `VerifyWeight` answers verified at a setWeight step of an update.
    if gateway.is_some() {
        let verify = !c.rollout.status.stable_rs.is_empty()
            && !is_fully_promoted(&c.rollout)
            && current_step
                .as_ref()
                .is_some_and(|s| s.set_weight.is_some());
        if let Some(weights) = c.new_status.canary.weights.as_mut() {
            weights.verified = verify.then_some(true);
        }
    }
    Ok(())
}

/// `maxWeight * replicas / total` with Go's truncating division, on `i64` so no product
/// overflows; a total of 0 gives 0.
fn ratio(max_weight: i32, replicas: i32, total: i32) -> i32 {
    if total == 0 {
        return 0;
    }
    let value = i64::from(max_weight) * i64::from(replicas) / i64::from(total);
    value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// `calculateDesiredWeightOnAbortOrStableRollback`: without `dynamicStableScale` the weight
/// drops to 0 at once. With it, the weight walks back down the steps, and moves to the
/// stable only as fast as the stable's pods become available, never back up when the
/// stable's availability flaps.
pub(super) fn desired_weight_on_abort_or_stable_rollback(c: &RolloutContext<'_>) -> i32 {
    let replicas = c.rollout.spec.replicas;
    let (Some(canary), Some(stable), Some(new_rs), Some(replicas)) = (
        c.rollout.canary(),
        c.stable_rs.as_ref(),
        c.new_rs.as_ref(),
        replicas,
    ) else {
        return 0;
    };
    if !canary.dynamic_stable_scale || replicas == 0 {
        return 0;
    }
    let view = c.view();
    let max_weight = arith::max_traffic_weight(&view);
    let desired_canary_weight =
        arith::get_desired_canary_weight(&view, Some(&rs_view(new_rs)), Some(&rs_view(stable)));
    let stable_weight = ratio(max_weight, stable.status.available_replicas, replicas);
    let expected_canary_weight = (max_weight - stable_weight).max(0);
    let Some(weights) = &c.rollout.status.canary.weights else {
        return expected_canary_weight.max(desired_canary_weight);
    };
    let current_canary_weight = weights.canary.weight;
    if desired_canary_weight <= 0 {
        return expected_canary_weight.min(current_canary_weight);
    }
    if stable_weight < max_weight - desired_canary_weight {
        // The stable is still scaling up: keep the canary's weight for now.
        return current_canary_weight;
    }
    desired_canary_weight.min(current_canary_weight)
}

/// `checkReplicasAvailable`: the stable keeps enough available pods for its share, or as
/// many as `replicaProgressThreshold` asks for.
fn check_replicas_available(
    ro: &Rollout,
    rs: Option<&ReplicaSet>,
    weight: i32,
    max_weight: i32,
) -> bool {
    let Some(rs) = rs else {
        return false;
    };
    let desired = (i64::from(weight) * i64::from(ro.replicas())) / i64::from(max_weight.max(1));
    if i64::from(rs.status.available_replicas) >= desired {
        return true;
    }
    let threshold = super::replicaset::rollout_view(ro)
        .canary
        .and_then(|canary| canary.replica_progress_threshold);
    let desired = i32::try_from(desired).unwrap_or(i32::MAX);
    arith::replica_progress_threshold_met(threshold.as_ref(), Some(&rs_view(rs)), desired)
}

/// `SetWeightPerIngress`: create or update `<rollout>-<stable>-canary`.
fn set_weight_per_ingress(
    c: &mut RolloutContext<'_>,
    stable_name: &str,
    weight: i32,
) -> Result<(), String> {
    let namespace = c.rollout.metadata.namespace.clone();
    let canary_name = canary_ingress_name(&c.rollout.metadata.name, stable_name);
    let stable = c
        .cluster
        .api
        .store
        .ingresses
        .get(&ObjectKey::new(&namespace, stable_name))
        .cloned()
        .ok_or_else(|| {
            format!("error retrieving stableIngress `{stable_name}` from cache: ingress.networking.k8s.io \"{stable_name}\" not found")
        })?;
    let desired = build_canary_ingress(&c.rollout, &stable, &canary_name, weight)?;
    let key = ObjectKey::new(&namespace, &canary_name);
    let existing = c.cluster.api.store.ingresses.get(&key).cloned();
    let Some(existing) = existing else {
        c.event(
            EventType::Normal,
            "CreatingCanaryIngress",
            format!("Creating canary ingress `{canary_name}` with weight `{weight}`"),
        );
        let mut metadata = c.cluster.api.new_metadata(&canary_name, &namespace);
        metadata.generation = 1;
        metadata.annotations = desired.metadata.annotations;
        metadata.owner_references = desired.metadata.owner_references;
        let ingress = Ingress {
            metadata,
            spec: desired.spec,
            status: Default::default(),
        };
        c.cluster.api.store.ingresses.insert(key, ingress);
        c.cluster.api.work.api_write();
        c.wrote = true;
        return Ok(());
    };
    let ours = existing
        .metadata
        .controller_ref()
        .is_some_and(|o| o.uid == c.rollout.metadata.uid);
    if !ours {
        return Err(format!(
            "canary ingress `{canary_name}` controlled by different object"
        ));
    }
    // Annotations someone else put there stay (`getDesiredAnnotations`).
    let mut annotations = desired.metadata.annotations.clone();
    for (k, v) in &existing.metadata.annotations {
        annotations.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let mut updated = existing.clone();
    updated.metadata.annotations = annotations;
    updated.spec = desired.spec;
    if updated == existing {
        return Ok(());
    }
    if updated.spec != existing.spec {
        updated.metadata.generation += 1;
    }
    c.event(
        EventType::Normal,
        "PatchingCanaryIngress",
        format!("Updating Ingress `{canary_name}` to desiredWeight '{weight}'"),
    );
    c.cluster.api.store.ingresses.insert(key, updated);
    c.cluster.api.work.api_write();
    c.wrote = true;
    Ok(())
}

/// `buildCanaryIngress`: the stable Ingress's rules that reach the stable Service, pointed
/// at the canary Service, with the canary annotations.
fn build_canary_ingress(
    ro: &Rollout,
    stable: &Ingress,
    name: &str,
    weight: i32,
) -> Result<Ingress, String> {
    let canary = ro.canary().cloned().unwrap_or_default();
    let routing = canary.traffic_routing.clone().unwrap_or_default();
    let nginx = routing.nginx.clone().unwrap_or_default();
    let prefix = if nginx.annotation_prefix.is_empty() {
        DEFAULT_ANNOTATION_PREFIX.to_string()
    } else {
        nginx.annotation_prefix.clone()
    };
    let mut metadata = ObjectMeta {
        name: name.to_string(),
        ..ObjectMeta::default()
    };
    if let Some(class) = stable
        .metadata
        .annotations
        .get("kubernetes.io/ingress.class")
    {
        metadata
            .annotations
            .insert("kubernetes.io/ingress.class".into(), class.clone());
    }
    metadata.owner_references = vec![controller_ref(
        Kind::Rollout,
        &ro.metadata.name,
        &ro.metadata.uid,
    )];
    let mut spec = IngressSpec {
        ingress_class_name: stable.spec.ingress_class_name.clone(),
        ..IngressSpec::default()
    };
    for rule in &stable.spec.rules {
        let mut rule = rule.clone();
        let mut reaches_stable = false;
        if let Some(http) = rule.http.as_mut() {
            for path in &mut http.paths {
                if let Some(service) = path.backend.service.as_mut() {
                    if service.name == canary.stable_service {
                        reaches_stable = true;
                        service.name = canary.canary_service.clone();
                    }
                }
            }
        }
        if reaches_stable {
            spec.rules.push(rule);
        }
    }
    if spec.rules.is_empty() {
        return Err(format!(
            "ingress `{}` has no rules using service {} backend",
            nginx.stable_ingress, canary.stable_service
        ));
    }
    for (k, v) in &nginx.additional_ingress_annotations {
        let key = if k.starts_with(&prefix) {
            k.clone()
        } else {
            format!("{prefix}/{k}")
        };
        metadata.annotations.insert(key, v.clone());
    }
    for (k, v) in &nginx.canary_ingress_annotations {
        metadata.annotations.insert(k.clone(), v.clone());
    }
    metadata
        .annotations
        .insert(format!("{prefix}/canary"), "true".into());
    metadata
        .annotations
        .insert(format!("{prefix}/canary-weight"), weight.to_string());
    if let Some(total) = routing.max_traffic_weight {
        metadata
            .annotations
            .insert(format!("{prefix}/canary-weight-total"), total.to_string());
    }
    Ok(Ingress {
        metadata,
        spec,
        status: Default::default(),
    })
}

impl RolloutContext<'_> {
    /// `ensureSVCTargets(…, checkRsAvailability=false)`.
    fn ensure_svc_targets_unchecked(&mut self, name: &str, rs: Option<&ReplicaSet>) {
        let (Some(rs), false) = (rs, name.is_empty()) else {
            return;
        };
        let Some(service) = self.service(name) else {
            return;
        };
        let desired = super::pod_template_hash(rs).to_string();
        if service
            .spec
            .selector
            .get(crate::addons::argo_rollouts::utils::ROLLOUTS_POD_TEMPLATE_HASH)
            != Some(&desired)
        {
            self.switch_service_selector(&service, &desired);
        }
    }
}
