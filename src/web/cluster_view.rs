//! The cluster, drawn: Rollouts (in `rollout_view`) and Deployments holding their
//! ReplicaSets (`replica_set_row`) holding their pods (or, at the
//! flip of a toggle, the same pods in one lane per node), then the Services with their
//! endpoints and, drawn over them, a line from each Service to each pod it sends traffic to. Lists are keyed
//! by object, and each card reads its own slice of the model through a memo, so a frame in
//! which one pod became ready updates one card and nothing else.

use leptos::html::Section;
use leptos::prelude::*;

use super::i18n::{t, tf};
use super::model::{chip_text_colour, version_colour};
use super::node_lanes::NodeLanes;
use super::overlay::Overlay;
use super::page::Page;
use super::pod_card::PodCard;
use super::replica_set_row::ReplicaSetRow;
use super::rollout_view::RolloutFrame;

fn percent(part: i32, whole: i32) -> String {
    if whole <= 0 {
        return "0%".into();
    }
    format!(
        "{}%",
        (i64::from(part.clamp(0, whole)) * 100 / i64::from(whole))
    )
}

#[component]
pub fn ClusterView() -> impl IntoView {
    let page = expect_context::<Page>();
    let deployments = Memo::new(move |_| {
        page.model.with(|m| {
            m.deployments
                .iter()
                .map(|d| d.key.clone())
                .collect::<Vec<_>>()
        })
    });
    let rollouts = Memo::new(move |_| {
        page.model
            .with(|m| m.rollouts.iter().map(|r| r.key.clone()).collect::<Vec<_>>())
    });
    let standalone_rs = Memo::new(move |_| page.model.with(|m| m.standalone_replica_sets.clone()));
    let standalone_pods = Memo::new(move |_| page.model.with(|m| m.standalone_pods.clone()));
    let services = Memo::new(move |_| {
        page.model
            .with(|m| m.services.iter().map(|s| s.key.clone()).collect::<Vec<_>>())
    });
    let ingresses = Memo::new(move |_| page.model.with(|m| m.ingresses.clone()));
    let any_gateway = Memo::new(move |_| page.model.with(|m| m.has_gateways));
    let gateway_code = RwSignal::new(false);
    let empty = move || {
        page.model.with(|m| {
            m.deployments.is_empty()
                && m.rollouts.is_empty()
                && m.standalone_replica_sets.is_empty()
                && m.standalone_pods.is_empty()
                && m.services.is_empty()
                && m.gateways.is_empty()
        })
    };
    let by_node = RwSignal::new(false);
    let root = NodeRef::<Section>::new();
    // What moves cards besides the model: the grouping, and the words' widths.
    let relayout = Signal::derive(move || u64::from(by_node.get()) * 2 + page.lang.get() as u64);
    let lang = move || page.lang.get();

    view! {
        <section class="cluster" aria-label=move || t("cluster", page.lang.get()) data-testid="cluster" node_ref=root>
            <Overlay root=root relayout=relayout/>
            <div class="cluster-head">
                <h2>{move || t("cluster", page.lang.get())}</h2>
                <div class="group-by" role="group" aria-label=move || t("cluster.group", lang())>
                    <button
                        type="button"
                        data-testid="group-by-rs"
                        aria-pressed=move || (!by_node.get()).to_string()
                        on:click=move |_| by_node.set(false)
                    >
                        {move || t("cluster.group.rs", lang())}
                    </button>
                    <button
                        type="button"
                        data-testid="group-by-node"
                        aria-pressed=move || by_node.get().to_string()
                        on:click=move |_| by_node.set(true)
                    >
                        {move || t("cluster.group.node", lang())}
                    </button>
                </div>
            </div>
            <Show when=move || empty() && page.starting.get()>
                <p class="hint" data-testid="cluster-starting">{move || t("cluster.starting", page.lang.get())}</p>
            </Show>
            <Show when=move || empty() && !page.starting.get()>
                <p class="hint">
                    {move || t("cluster.empty.before", page.lang.get())}
                    <code>"kubectl apply -f FILE"</code>
                    {move || t("cluster.empty.after", page.lang.get())}
                </p>
            </Show>
            <Show
                when=move || by_node.get()
                fallback=move || view! {
                    <div class="workloads">
                        <For each=move || rollouts.get() key=|k| k.clone() let:key>
                            <RolloutFrame key=key/>
                        </For>
                        <For each=move || deployments.get() key=|k| k.clone() let:key>
                            <DeploymentFrame key=key/>
                        </For>
                        <For each=move || standalone_rs.get() key=|k| k.clone() let:key>
                            <div class="frame standalone">
                                <ReplicaSetRow key=key/>
                            </div>
                        </For>
                        <Show when=move || !standalone_pods.with(|p| p.is_empty())>
                            <div class="frame standalone">
                                <div class="frame-head"><span class="kind">"Pods"</span></div>
                                <div class="pods">
                                    <For each=move || standalone_pods.get() key=|k| k.clone() let:key>
                                        <PodCard key=key/>
                                    </For>
                                </div>
                            </div>
                        </Show>
                    </div>
                }
            >
                <NodeLanes/>
            </Show>
            <div class="services">
                {move || {
                    if !any_gateway.get() {
                        return None;
                    }
                    super::gateway_view::load(page, gateway_code);
                    gateway_code.get().then(super::gateway_view::gateways).flatten()
                }}
                <For each=move || services.get() key=|k| k.clone() let:key>
                    <ServiceBox key=key/>
                </For>
                <For each=move || ingresses.get() key=|i| i.clone() let:ing>
                    <div class="service ingress" data-testid="ingress" data-name=ing.name.clone()>
                        <span class="kind">"Ingress"</span>
                        <span class="name">{ing.name.clone()}</span>
                        <span class="muted">" → " {ing.backends.join(", ")}</span>
                        {ing.canary_weight.clone().map(|w| view! {
                            <span class="badge canary" data-testid="canary-weight" data-weight=ing.canary_weight.clone()>
                                {move || tf("cluster.canary", page.lang.get(), &[("w", &w)])}
                            </span>
                        })}
                    </div>
                </For>
            </div>
        </section>
    }
}

#[component]
fn DeploymentFrame(key: String) -> impl IntoView {
    let page = expect_context::<Page>();
    let view = Memo::new({
        let key = key.clone();
        move |_| {
            page.model
                .with(|m| m.deployments.iter().find(|d| d.key == key).cloned())
                .unwrap_or_default()
        }
    });
    let replica_sets = Memo::new(move |_| view.with(|d| d.replica_sets.clone()));
    let d = move || view.get();
    let lang = move || page.lang.get();
    view! {
        <div
            class="frame deployment"
            data-testid="deployment"
            data-name=move || view.with(|d| d.name.clone())
            data-paused=move || view.with(|d| d.paused.to_string())
            class:paused=move || view.with(|d| d.paused)
        >
            <div class="frame-head">
                <span class="kind">"Deployment"</span>
                <span class="name">{move || d().name}</span>
                <span class="muted">{move || {
                    let d = d();
                    tf("cluster.replicas", lang(), &[("strategy", &d.strategy), ("n", &d.replicas)])
                }}</span>
                <Show when=move || view.with(|d| d.paused)>
                    <span class="badge paused-badge" data-testid="paused-badge"><svg viewBox="0 0 10 10" width="9" height="9" aria-hidden="true"><rect x="1" y="0" width="3" height="10" fill="currentColor"/><rect x="6" y="0" width="3" height="10" fill="currentColor"/></svg>
                        " " {move || t("cluster.paused", lang())}</span>
                </Show>
            </div>
            {move || view.with(|d| d.hpa.clone()).map(|h| view! {
                <div class="hpa-line muted" data-testid="hpa">{tf(
                    "cluster.hpa",
                    lang(),
                    &[("name", &h.name), ("metrics", &h.metrics), ("min", &h.min), ("max", &h.max), ("desired", &h.desired)],
                )}</div>
            })}
            <div class="progress" title=move || t("cluster.progress", lang())>
                <div class="bar">
                    <div class="fill updated" style:width=move || view.with(|d| percent(d.updated, d.replicas))></div>
                </div>
                <span class="progress-text">{move || view.with(|d| tf("cluster.updated", lang(), &[("n", &d.updated), ("of", &d.replicas)]))}</span>
                <div class="bar">
                    <div class="fill available" style:width=move || view.with(|d| percent(d.available, d.replicas))></div>
                </div>
                <span class="progress-text">{move || view.with(|d| tf("cluster.available", lang(), &[("n", &d.available), ("of", &d.replicas)]))}</span>
            </div>
            <For each=move || replica_sets.get() key=|k| k.clone() let:key>
                <ReplicaSetRow key=key/>
            </For>
        </div>
    }
}

#[component]
fn ServiceBox(key: String) -> impl IntoView {
    let page = expect_context::<Page>();
    let view = Memo::new({
        let key = key.clone();
        move |_| {
            page.model
                .with(|m| m.services.iter().find(|s| s.key == key).cloned())
                .unwrap_or_default()
        }
    });
    let endpoints = Memo::new(move |_| view.with(|s| s.endpoints.clone()));
    let not_ready = Memo::new(move |_| view.with(|s| s.not_ready.clone()));
    let version_of = move |pod: &str| {
        page.model
            .with_untracked(|m| m.pods.get(pod).map(|p| p.version.clone()))
            .unwrap_or_default()
    };
    view! {
        <div class="service" data-testid="service" data-name=move || view.with(|s| s.name.clone())>
            <div class="frame-head">
                <span class="kind">"Service"</span>
                <span class="name">{move || view.with(|s| s.name.clone())}</span>
                <span class="muted">{move || view.with(|s| format!("{} {} · {}", s.type_, s.cluster_ip, s.selector))}</span>
                <span class="counts">{move || view.with(|s| tf("cluster.endpoints", page.lang.get(), &[("n", &s.endpoints.len())]))}</span>
            </div>
            <div class="endpoints">
                <For each=move || endpoints.get() key=|p| p.clone() let:pod>
                    <span
                        class="endpoint"
                        data-testid="endpoint"
                        data-pod=pod.clone()
                        style={
                            let colour = version_colour(&version_of(&pod));
                            format!("--version: {colour}; color: {}", chip_text_colour(colour))
                        }
                    >
                        {pod.rsplit('-').next().unwrap_or(&pod).to_string()}
                    </span>
                </For>
                <For each=move || not_ready.get() key=|p| p.clone() let:pod>
                    <span class="endpoint not-ready" data-testid="endpoint-not-ready" data-pod=pod.clone() title=move || t("cluster.not_ready", page.lang.get())>
                        {pod.rsplit('-').next().unwrap_or(&pod).to_string()}
                    </span>
                </For>
            </div>
        </div>
    }
}
