//! `kubectl describe TYPE [NAME…]`: the detailed view, events at the bottom.

use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::describe::*;
use crate::error::KubectlError;
use crate::resource::parse_targets;
use crate::selector::Selector;
use rollout_sim::api::ApiError;
use rollout_sim::cluster::{in_namespace, Cluster, ObjectKey};
use rollout_sim::objects::{Event, Kind, ObjectMeta, PodPhase};

const COMMAND: &str = "kubectl describe";

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("selector", Some('l')),
            boolean("all-namespaces", Some('A')),
            boolean("show-events", None),
            value("filename", Some('f')),
        ],
    )?;
    if args.positional.is_empty() {
        return Err(KubectlError::plain(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        ));
    }
    let namespace = args.namespace().to_string();
    let selector = Selector::parse(args.value("selector").unwrap_or(""))?;
    let cluster: &Cluster = ctx.cluster;
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for (kind, name) in parse_targets(&args.positional, ctx.cluster)? {
        let names: Vec<String> = match &name {
            Some(name) => vec![name.clone()],
            None => names_of(cluster, kind, &namespace)
                .into_iter()
                .filter(|(_, labels)| selector.matches(labels))
                .map(|(n, _)| n)
                .collect(),
        };
        if names.is_empty() && name.is_none() {
            errors.push(format!("No resources found in {namespace} namespace."));
        }
        for name in names {
            match describe_one(cluster, kind, &namespace, &name) {
                Some(text) => texts.push(text),
                // describe accepts prefixes of names when there is no exact match.
                None => {
                    let prefixed: Vec<String> = names_of(cluster, kind, &namespace)
                        .into_iter()
                        .map(|(n, _)| n)
                        .filter(|n| n.starts_with(&name))
                        .collect();
                    if prefixed.is_empty() {
                        errors.push(ApiError::not_found(kind, name).to_string());
                    }
                    texts.extend(
                        prefixed
                            .iter()
                            .filter_map(|n| describe_one(cluster, kind, &namespace, n)),
                    );
                }
            }
        }
    }
    ctx.out.stdout.push_str(&texts.join("\n\n"));
    if !errors.is_empty() {
        return Err(KubectlError::Verbatim(errors.join("\n")));
    }
    Ok(Flow::Done)
}

fn names_of(
    cluster: &Cluster,
    kind: Kind,
    namespace: &str,
) -> Vec<(String, std::collections::BTreeMap<String, String>)> {
    let store = cluster.store();
    let meta = |m: &ObjectMeta| (m.name.clone(), m.labels.clone());
    match kind {
        Kind::Deployment => in_namespace(&store.deployments, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::ReplicaSet => in_namespace(&store.replica_sets, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::Pod => in_namespace(&store.pods, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::Service => in_namespace(&store.services, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::Endpoints => in_namespace(&store.endpoints, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::EndpointSlice => in_namespace(&store.endpoint_slices, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::Ingress => in_namespace(&store.ingresses, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::PodDisruptionBudget => in_namespace(&store.pod_disruption_budgets, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::HorizontalPodAutoscaler => in_namespace(&store.horizontal_pod_autoscalers, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::Rollout => in_namespace(&store.rollouts, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::AnalysisTemplate => in_namespace(&store.analysis_templates, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::ClusterAnalysisTemplate => in_namespace(&store.cluster_analysis_templates, "")
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::AnalysisRun => in_namespace(&store.analysis_runs, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => store
            .custom_in(kind, namespace)
            .map(|o| meta(&o.metadata))
            .collect(),
        Kind::Node => store.nodes.values().map(|o| meta(&o.metadata)).collect(),
        Kind::Namespace | Kind::Event => Vec::new(),
    }
}

/// The events about one object.
fn events_of(cluster: &Cluster, meta: &ObjectMeta) -> Vec<Event> {
    cluster
        .events()
        .iter()
        .filter(|e| e.involved_object.uid == meta.uid)
        .map(|e| Event::clone(e))
        .collect()
}

fn describe_one(cluster: &Cluster, kind: Kind, namespace: &str, name: &str) -> Option<String> {
    let store = cluster.store();
    let key = ObjectKey::new(namespace, name);
    let now = cluster.now();
    Some(match kind {
        Kind::Deployment => {
            let d = store.deployments.get(&key)?;
            let rss = store.replica_sets_owned_by(namespace, &d.metadata.uid);
            describe_deployment(d, &rss, &events_of(cluster, &d.metadata), now)
        }
        Kind::ReplicaSet => {
            let rs = store.replica_sets.get(&key)?;
            let pods: Vec<_> = store
                .pods_owned_by(namespace, &rs.metadata.uid)
                .cloned()
                .collect();
            describe_replica_set(rs, &pods, &events_of(cluster, &rs.metadata), now)
        }
        Kind::Pod => {
            let pod = store.pods.get(&key)?;
            describe_pod(pod, &events_of(cluster, &pod.metadata), now)
        }
        Kind::Service => {
            let service = store.services.get(&key)?;
            describe_service(
                service,
                store.endpoints.get(&key),
                &events_of(cluster, &service.metadata),
                now,
            )
        }
        Kind::Endpoints => {
            let endpoints = store.endpoints.get(&key)?;
            describe_endpoints(endpoints, &events_of(cluster, &endpoints.metadata), now)
        }
        Kind::EndpointSlice => {
            let slice = store.endpoint_slices.get(&key)?;
            crate::describe::describe_endpoint_slice(
                slice,
                &events_of(cluster, &slice.metadata),
                now,
            )
        }
        Kind::Ingress => {
            let ingress = store.ingresses.get(&key)?;
            let services: Vec<_> = in_namespace(&store.services, namespace).cloned().collect();
            let endpoints: Vec<_> = in_namespace(&store.endpoints, namespace).cloned().collect();
            describe_ingress(
                ingress,
                &services,
                &endpoints,
                &events_of(cluster, &ingress.metadata),
                now,
            )
        }
        Kind::PodDisruptionBudget => {
            let pdb = store.pod_disruption_budgets.get(&key)?;
            describe_pod_disruption_budget(pdb, &events_of(cluster, &pdb.metadata), now)
        }
        Kind::HorizontalPodAutoscaler => {
            let hpa = store.horizontal_pod_autoscalers.get(&key)?;
            let commands = super::autoscaling::commands().ok()?;
            commands.describe(hpa, &events_of(cluster, &hpa.metadata), now)
        }
        Kind::Rollout => {
            let rollout = store.rollouts.get(&key)?;
            let object = rollout_sim::objects::Object::Rollout(Box::new(rollout.clone()));
            describe_generic(&object, &events_of(cluster, &rollout.metadata), now)
        }
        // Argo's other kinds have no describer of their own either: the generic one.
        Kind::AnalysisTemplate
        | Kind::ClusterAnalysisTemplate
        | Kind::AnalysisRun
        | Kind::GatewayClass
        | Kind::Gateway
        | Kind::HTTPRoute
        | Kind::ReferenceGrant => {
            let object = cluster.get(kind, namespace, name)?;
            describe_generic(&object, &events_of(cluster, object.metadata()), now)
        }
        Kind::Node => {
            let node = store.nodes.get(name)?;
            // The field selector kubectl lists them with: bound here, not finished.
            let pods: Vec<&rollout_sim::objects::Pod> = store
                .pods
                .values()
                .map(std::rc::Rc::as_ref)
                .filter(|p| {
                    p.spec.node_name == name
                        && !matches!(
                            p.status.phase,
                            Some(PodPhase::Succeeded) | Some(PodPhase::Failed)
                        )
                })
                .collect();
            let heard = cluster.kubelet_last_heard(name);
            describe_node(node, &pods, &events_of(cluster, &node.metadata), now, heard)
        }
        Kind::Namespace | Kind::Event => return None,
    })
}
