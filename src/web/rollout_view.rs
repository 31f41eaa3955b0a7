//! One Argo Rollout, drawn: its status as the plugin names it, the canary steps (done,
//! current, pending) with the pause countdown, the weight the step asks for beside the one the
//! canary gets, where its Services and Ingresses send traffic, the newest explanation of what
//! its controller did, its AnalysisRuns, and its ReplicaSets tagged with their roles. The
//! Promote, Abort and Retry buttons type the plugin's command into the terminal, so the
//! learner sees (and can retype) what they did. Everything shown is a field of
//! [`RolloutView`].

use leptos::prelude::*;

use super::explanations::render;
use super::i18n::{t, tf};
use super::model::RolloutView;
use super::page::Page;
use super::replica_set_row::ReplicaSetRow;

#[component]
pub fn RolloutFrame(key: String) -> impl IntoView {
    let page = expect_context::<Page>();
    let view = Memo::new({
        let key = key.clone();
        move |_| {
            page.model
                .with(|m| m.rollouts.iter().find(|r| r.key == key).cloned())
                .unwrap_or_default()
        }
    });
    let lang = move || page.lang.get();
    let field = move |read: fn(&RolloutView) -> String| move || view.with(read);
    let canary = Memo::new(move |_| view.with(|r| r.strategy == "Canary"));
    let steps = Memo::new(move |_| view.with(|r| r.steps.clone()));
    let routes = Memo::new(move |_| view.with(|r| r.routes.clone()));
    let runs = Memo::new(move |_| view.with(|r| r.analysis_runs.clone()));
    let replica_sets = Memo::new(move |_| {
        view.with(|r| {
            r.replica_sets
                .iter()
                .map(|rs| rs.key.clone())
                .collect::<Vec<_>>()
        })
    });
    // What the controller explained at the latest moment it explained anything about this
    // Rollout (a step's end and the pause it leads to come at the same instant). A repeated
    // event folds into its first occurrence, so the moment is read from its time, not its
    // place in the list.
    let why = Memo::new(move |_| {
        let object = view.with(|r| format!("rollout/{}", r.name));
        page.events.with(|events| {
            let explained = || {
                events
                    .iter()
                    .rev()
                    .filter(|e| e.object == object && e.explanation.is_some())
            };
            let latest = explained().map(|e| e.at).max();
            let mut moment: Vec<_> = explained().filter(|e| Some(e.at) == latest).collect();
            // What the Rollout now is (paused, aborted, promoted) reads last, after what led
            // to it.
            moment.sort_by_key(|e| {
                matches!(
                    e.reason.as_str(),
                    "RolloutPaused" | "RolloutAborted" | "RolloutCompleted"
                )
            });
            moment
                .into_iter()
                .filter_map(|e| e.explanation.clone())
                .collect::<Vec<_>>()
        })
    });

    let run = move |verb: &'static str| {
        move |_| {
            let line = view.with_untracked(|r| r.command(verb));
            page.act(|s| s.enter(&line));
        }
    };
    let command_title = move |verb: &'static str| {
        tf(
            "rollout.command.title",
            lang(),
            &[("command", &view.with(|r| r.command(verb)))],
        )
    };

    view! {
        <article
            class="frame rollout"
            class:paused=move || view.with(|r| r.status == "Paused")
            class:degraded=move || view.with(|r| r.status == "Degraded")
            data-testid="rollout"
            data-name=field(|r| r.name.clone())
            data-strategy=field(|r| r.strategy.clone())
            data-status=field(|r| r.status.clone())
            data-step=move || view.with(|r| r.step.clone())
            data-set-weight=move || view.with(|r| r.set_weight.map(|w| w.to_string()))
            data-actual-weight=move || view.with(|r| r.actual_weight.map(|w| w.to_string()))
            aria-label=move || view.with(|r| format!("Rollout {}", r.name))
        >
            <div class="frame-head">
                <span class="kind">"Rollout"</span>
                <span class="name">{field(|r| r.name.clone())}</span>
                <span class="muted">{move || view.with(|r| tf("rollout.replicas", lang(), &[("strategy", &r.strategy), ("n", &r.replicas)]))}</span>
                <span class="image muted">{field(|r| r.image.clone())}</span>
                <span
                    class=move || format!("badge rollout-status status-{}", view.with(|r| r.status.to_lowercase()))
                    data-testid="rollout-status"
                    title=move || t("rollout.status.title", lang())
                >
                    {field(|r| r.status.clone())}
                </span>
                <Show when=move || view.with(|r| !r.message.is_empty())>
                    <span class="rollout-message muted" data-testid="rollout-message">{field(|r| r.message.clone())}</span>
                </Show>
            </div>
            <Show when=move || canary.get()>
                <div class="rollout-weights" title=move || t("rollout.weights.title", lang())>
                    <Show when=move || view.with(|r| r.step.is_some())>
                        <span class="rollout-step-count">{move || view.with(|r| tf("rollout.step", lang(), &[("step", &r.step.clone().unwrap_or_default())]))}</span>
                    </Show>
                    <div class="bar weight-bar" aria-hidden="true">
                        <div class="fill actual" style:width=move || view.with(|r| format!("{}%", r.actual_weight.unwrap_or(0).clamp(0, 100)))></div>
                        <div class="set-mark" style:left=move || view.with(|r| format!("{}%", r.set_weight.unwrap_or(0).clamp(0, 100)))></div>
                    </div>
                    <span class="weight set" data-testid="rollout-set-weight">{move || view.with(|r| tf("rollout.set_weight", lang(), &[("w", &r.set_weight.unwrap_or(0))]))}</span>
                    <span class="weight actual" data-testid="rollout-actual-weight">{move || view.with(|r| tf("rollout.actual_weight", lang(), &[("w", &r.actual_weight.unwrap_or(0))]))}</span>
                </div>
                <ol class="rollout-steps" aria-label=move || t("rollout.steps", lang())>
                    {move || steps.get().into_iter().enumerate().map(|(i, step)| {
                        let state = step.state.as_str();
                        let current = state == "current";
                        view! {
                            <li
                                class=format!("rollout-step {state}")
                                data-testid="rollout-step"
                                data-state=state
                                aria-current=current.then_some("step")
                            >
                                <span class="step-mark" aria-hidden="true">{match state {
                                    "done" => "✔",
                                    "current" => "▶",
                                    _ => "○",
                                }}</span>
                                <span class="visually-hidden">{move || t(match state {
                                    "done" => "rollout.step.done",
                                    "current" => "rollout.step.current",
                                    _ => "rollout.step.pending",
                                }, lang())}": "</span>
                                <span class="step-index">{i + 1}". "</span>
                                <code>{step.label.clone()}</code>
                                {current.then(|| view! {
                                    <Show when=move || view.with(|r| r.pause_left_s.is_some())>
                                        <span class="countdown" data-testid="rollout-countdown" data-seconds=move || view.with(|r| r.pause_left_s.unwrap_or(0).to_string())>
                                            {move || view.with(|r| tf("rollout.pause.left", lang(), &[("s", &r.pause_left_s.unwrap_or(0))]))}
                                        </span>
                                    </Show>
                                    <Show when=move || view.with(|r| r.awaits_promotion)>
                                        <span class="countdown waiting">{move || t("rollout.pause.promote", lang())}</span>
                                    </Show>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </Show>
            <Show when=move || !canary.get() && view.with(|r| r.pause_left_s.is_some() || r.awaits_promotion)>
                <p class="rollout-pause">
                    <span class="countdown" data-testid="rollout-countdown" data-seconds=move || view.with(|r| r.pause_left_s.map(|s| s.to_string()))>
                        {move || view.with(|r| match r.pause_left_s {
                            Some(s) => tf("rollout.pause.left", lang(), &[("s", &s)]),
                            None => t("rollout.pause.promote", lang()).to_string(),
                        })}
                    </span>
                </p>
            </Show>
            <Show when=move || !routes.with(Vec::is_empty)>
                <ul class="rollout-routes" aria-label=move || t("rollout.routes", lang())>
                    <For each=move || routes.get() key=|r| r.clone() let:route>
                        <li class=format!("route role-{}", route.role) data-testid="rollout-route" data-name=route.name.clone() data-role=route.role data-to=route.to.clone()>
                            <span class="kind">{route.kind}</span>
                            " "
                            <span class="name">{route.name.clone()}</span>
                            <span class=format!("role role-{}", route.role)>{route.role}</span>
                            " → "
                            {if route.to.is_empty() {
                                let all = move || t("rollout.route.all", lang());
                                view! { <span class="muted">{all}</span> }.into_any()
                            } else {
                                view! { <span class="target">{route.to.clone()}</span> }.into_any()
                            }}
                            {route.weight.clone().map(|w| {
                                let shown = w.clone();
                                view! {
                                    <span class="badge canary" data-testid="rollout-route-weight" data-weight=w>
                                        {move || tf("rollout.route.weight", lang(), &[("w", &shown)])}
                                    </span>
                                }
                            })}
                        </li>
                    </For>
                </ul>
            </Show>
            <Show when=move || !why.with(Vec::is_empty)>
                <div class="rollout-why" data-testid="rollout-why">
                    <span class="why-label">{move || t("rollout.why", lang())}</span>
                    {move || why.get().iter().filter_map(|e| render(e, lang())).map(|text| view! { <p>{text}</p> }).collect_view()}
                </div>
            </Show>
            <div class="rollout-actions" role="group" aria-label=move || t("rollout.actions", lang())>
                <button
                    type="button"
                    class="tool"
                    class:primary=move || view.with(|r| r.awaits_promotion)
                    data-testid="rollout-promote"
                    title=move || command_title("promote")
                    on:click=run("promote")
                >
                    {move || t("rollout.promote", lang())}
                </button>
                <button
                    type="button"
                    class="tool danger"
                    data-testid="rollout-abort"
                    title=move || command_title("abort")
                    on:click=run("abort")
                >
                    {move || t("rollout.abort", lang())}
                </button>
                <button
                    type="button"
                    class="tool"
                    class:primary=move || view.with(|r| r.aborted)
                    data-testid="rollout-retry"
                    title=move || command_title("retry rollout")
                    on:click=run("retry rollout")
                >
                    {move || t("rollout.retry", lang())}
                </button>
            </div>
            <Show when=move || !runs.with(Vec::is_empty)>
                <ul class="analysis-runs" aria-label=move || t("rollout.analysis", lang())>
                    <For each=move || runs.get() key=|run| run.clone() let:run>
                        <li class="analysis-run" data-testid="analysis-run" data-name=run.name.clone() data-phase=run.phase.clone()>
                            <span class="kind">"AnalysisRun"</span>
                            " "
                            <span class="name">{run.name.clone()}</span>
                            " "
                            <span class=format!("badge analysis-{}", run.phase.to_lowercase())>{run.phase.clone()}</span>
                        </li>
                    </For>
                </ul>
            </Show>
            <For each=move || replica_sets.get() key=|k| k.clone() let:key>
                {
                    let roles = Signal::derive({
                        let key = key.clone();
                        move || {
                            view.with(|r| {
                                r.replica_sets
                                    .iter()
                                    .find(|rs| rs.key == key)
                                    .map(|rs| rs.roles.clone())
                                    .unwrap_or_default()
                            })
                        }
                    });
                    view! { <ReplicaSetRow key=key roles=roles/> }
                }
            </For>
        </article>
    }
}
