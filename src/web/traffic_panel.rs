//! The traffic panel: the "send traffic" client, the share of answers per version (with the
//! canary weight the Ingress asks for, and the weight a Rollout's current step asks for,
//! beside it), a chart of that share over virtual time and
//! the stream of answers, newest on top. Everything shown comes from [`TrafficView`].

use leptos::prelude::*;

use super::i18n::{t, tf};
use super::model::{chip_text_colour, version_colour};
use super::page::Page;
use super::traffic::{Series, Target, TrafficView, FAILED};

const CHART_W: f64 = 400.0;
const CHART_H: f64 = 110.0;

fn colour(version: &str) -> &'static str {
    if version == FAILED {
        "#b91c1c"
    } else {
        version_colour(version)
    }
}

fn y_of(percent: f64) -> f64 {
    CHART_H - percent.clamp(0.0, 100.0) / 100.0 * CHART_H
}

fn polyline(series: &Series, from_ms: i64, to_ms: i64) -> String {
    let span = (to_ms - from_ms).max(1) as f64;
    series
        .points
        .iter()
        .map(|(t, p)| {
            let x = (*t - from_ms) as f64 / span * CHART_W;
            format!("{x:.1},{:.1}", y_of(*p))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn TrafficPanel() -> impl IntoView {
    let page = expect_context::<Page>();
    let view = page.traffic;
    let sending = Memo::new(move |_| view.with(|v| v.sending));
    let targets = Memo::new(move |_| view.with(|v| v.targets.clone()));
    let target = Memo::new(move |_| view.with(|v| v.target.value()));
    let shares = Memo::new(move |_| view.with(|v| v.shares.clone()));
    let lines = Memo::new(move |_| view.with(|v| v.lines.clone()));
    let weight = Memo::new(move |_| view.with(|v| v.canary_weight));
    let rollout_weight = Memo::new(move |_| view.with(|v| v.rollout_weight.clone()));
    let resolved = Memo::new(move |_| view.with(|v| v.resolved.clone()));
    // Whether the target is a Gateway's route, whose weights the panel compares.
    let weighs = Memo::new(move |_| view.with(|v| !v.backend_weights.is_empty()));
    let gateway_code = RwSignal::new(false);
    let lang = move || page.lang.get();

    let toggle = move |_| {
        let on = !sending.get_untracked();
        page.act(|s| s.set_sending(on));
    };
    let pick = move |ev| {
        let target = Target::from_value(&event_target_value(&ev));
        page.act(|s| s.set_traffic_target(target));
    };

    let chart = move || {
        view.with(|v: &TrafficView| {
            v.series
                .iter()
                .map(|s| {
                    view! {
                        <polyline
                            class="share-line"
                            points=polyline(s, v.from_ms, v.to_ms)
                            stroke=colour(&s.version)
                        ></polyline>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <section
            class="traffic"
            class:quiet=move || lines.with(Vec::is_empty)
            aria-label=move || t("traffic", lang())
            data-testid="traffic"
        >
            <div class="traffic-head">
                <h2>{move || t("traffic", lang())}</h2>
                <button
                    class="tool"
                    class:primary=move || !sending.get()
                    data-testid="send-traffic"
                    aria-pressed=move || sending.get().to_string()
                    title=move || t("traffic.send.title", lang())
                    on:click=toggle
                >
                    {move || t(if sending.get() { "traffic.stop" } else { "traffic.send" }, lang())}
                </button>
                <select
                    class="tool"
                    data-testid="traffic-target"
                    aria-label=move || t("traffic.target", lang())
                    prop:value=move || target.get()
                    on:change=pick
                >
                    <option value="auto">{move || match resolved.get() {
                        Some(target) => tf("traffic.auto.now", lang(), &[("target", &target.label(lang()))]),
                        None => Target::Auto.label(lang()),
                    }}</option>
                    <For each=move || targets.get() key=|target| target.value() let:target>
                        <option value=target.value()>{
                            let target = target.clone();
                            move || target.label(lang())
                        }</option>
                    </For>
                </select>
                <Show when=move || sending.get() && resolved.with(Option::is_none)>
                    <span class="muted">{move || t("traffic.nowhere", lang())}</span>
                </Show>
            </div>
            <div class="traffic-body">
                <div class="traffic-chart">
                    <div class="shares">
                        <For each=move || shares.get() key=|s| (s.version.clone(), s.percent) let:share>
                            <span
                                class="share"
                                data-testid="traffic-share"
                                data-version=share.version.clone()
                                data-percent=share.percent.to_string()
                                style=format!("--version: {}", colour(&share.version))
                                title=move || tf(
                                    "traffic.share.title",
                                    lang(),
                                    &[("n", &share.count), ("of", &view.with(|v| v.measured))],
                                )
                            >
                                <span class="swatch"></span>
                                {format!("{} {}%", share.version, share.percent)}
                            </span>
                        </For>
                        {move || weight.get().map(|w| view! {
                            <span class="share configured" data-testid="traffic-canary-weight" data-percent=w.to_string()>
                                <span class="swatch dashed"></span>
                                {move || tf("traffic.weight", lang(), &[("w", &w)])}
                            </span>
                        })}
                        {move || rollout_weight.get().map(|rw| view! {
                            <span
                                class="share configured rollout-asks"
                                data-testid="traffic-rollout-weight"
                                data-rollout=rw.rollout.clone()
                                data-percent=rw.weight.to_string()
                                title=move || t("traffic.rollout_weight.title", lang())
                            >
                                <span class="swatch dotted"></span>
                                {
                                    let (rollout, w) = (rw.rollout.clone(), rw.weight);
                                    move || tf("traffic.rollout_weight", lang(), &[("rollout", &rollout), ("w", &w)])
                                }
                            </span>
                        })}
                    </div>
                    {move || {
                        if !weighs.get() {
                            return None;
                        }
                        super::gateway_view::load(page, gateway_code);
                        gateway_code.get().then(super::gateway_view::backend_weights).flatten()
                    }}
                    <svg
                        class="share-chart"
                        viewBox=format!("0 0 {CHART_W} {CHART_H}")
                        preserveAspectRatio="none"
                        role="img"
                        aria-label=move || t("traffic.chart", lang())
                    >
                        <line class="grid" x1="0" x2=CHART_W y1=y_of(50.0) y2=y_of(50.0)></line>
                        {move || weight.get().map(|w| view! {
                            <line class="canary-weight" x1="0" x2=CHART_W y1=y_of(f64::from(w)) y2=y_of(f64::from(w))></line>
                        })}
                        {move || rollout_weight.get().map(|rw| view! {
                            <line class="rollout-weight" x1="0" x2=CHART_W y1=y_of(f64::from(rw.weight)) y2=y_of(f64::from(rw.weight))></line>
                        })}
                        {chart}
                    </svg>
                    <div class="chart-axis muted" data-testid="chart-axis" data-by-order=move || view.with(|v| v.by_order.to_string())>
                        <span>{move || if view.with(|v| v.by_order) {
                            t("traffic.axis.first", lang()).to_string()
                        } else {
                            t("traffic.axis.from", lang()).to_string()
                        }}</span>
                        <span>"100% / 50% / 0%"</span>
                        <span>{move || if view.with(|v| v.by_order) {
                            tf("traffic.axis.last", lang(), &[("n", &view.with(|v| v.to_ms))])
                        } else {
                            t("traffic.axis.now", lang()).to_string()
                        }}</span>
                    </div>
                </div>
                <div class="curl-lines" tabindex="0" role="region" aria-live="off" aria-label=move || t("traffic.answers", lang())>
                    <Show when=move || lines.with(Vec::is_empty)>
                        <TrafficHint/>
                    </Show>
                    <For each=move || lines.get() key=|a| a.id let:answer>
                        <div
                            class="curl-line"
                            class:failed=answer.version == FAILED
                            data-testid="curl-line"
                            data-version=answer.version.clone()
                            data-at=answer.at.millis().to_string()
                            style=format!("--version: {}", colour(&answer.version))
                        >
                            <span class="at muted">{format!("{}s", answer.at.millis() / 1_000)}</span>
                            <span class="version-chip" style:color=chip_text_colour(colour(&answer.version))>{answer.version.clone()}</span>
                            <span class="text">{answer.text.clone()}</span>
                        </div>
                    </For>
                </div>
            </div>
        </section>
    }
}

/// What to send requests to, and from where, before any answer came: the target the client
/// would pick, and the command that asks it once by hand, to click.
#[component]
fn TrafficHint() -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    let target = Memo::new(move |_| {
        page.traffic
            .with(|v| v.resolved.clone().or_else(|| v.targets.first().cloned()))
    });
    move || match target
        .get()
        .and_then(|target| Some((target.client_command()?, target)))
    {
        None => {
            view! { <p class="hint" data-testid="traffic-hint">{t("traffic.hint", lang())}</p> }
                .into_any()
        }
        Some((command, target)) => {
            let key = match target {
                Target::Ingress { .. } | Target::Gateway { .. } => "traffic.hint.ingress",
                _ => "traffic.hint.service",
            };
            let run = command.clone();
            view! {
                <div class="hint" data-testid="traffic-hint">
                    <p>{tf(key, lang(), &[("target", &target.label(lang()))])}</p>
                    <button
                        class="lesson-command"
                        data-testid="traffic-hint-command"
                        title=t("lesson.run", lang())
                        on:click=move |_| {
                            page.act(|s| s.enter(&run));
                            super::layout::show_terminal();
                        }
                    >
                        <code>{command}</code>
                    </button>
                    <p class="hint-after">{t("traffic.hint.after", lang())}</p>
                </div>
            }
            .into_any()
        }
    }
}
