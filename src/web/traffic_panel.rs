//! The traffic panel: the "send traffic" client, the share of answers per version (with the
//! canary weight the Ingress asks for beside it), a chart of that share over virtual time and
//! the stream of answers, newest on top. Everything shown comes from [`TrafficView`].

use leptos::prelude::*;

use super::app::Page;
use super::model::version_colour;
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
    let resolved = Memo::new(move |_| view.with(|v| v.resolved.clone()));

    let toggle = move |_| {
        let on = !sending.get_untracked();
        page.act(|s| s.traffic.set_sending(on));
    };
    let pick = move |ev| {
        let target = Target::from_value(&event_target_value(&ev));
        page.act(|s| s.traffic.set_target(target));
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
        <section class="traffic" aria-label="Traffic" data-testid="traffic">
            <div class="traffic-head">
                <h2>"Traffic"</h2>
                <button
                    class="tool"
                    class:primary=move || !sending.get()
                    data-testid="send-traffic"
                    aria-pressed=move || sending.get().to_string()
                    title="A client sends one request every virtual second"
                    on:click=toggle
                >
                    {move || if sending.get() { "■ stop traffic" } else { "▶ send traffic" }}
                </button>
                <select
                    class="tool"
                    data-testid="traffic-target"
                    aria-label="Where the client sends its requests"
                    prop:value=move || target.get()
                    on:change=pick
                >
                    <option value="auto">{move || match resolved.get() {
                        Some(t) => format!("auto: {}", t.label()),
                        None => Target::Auto.label(),
                    }}</option>
                    <For each=move || targets.get() key=|t| t.value() let:t>
                        <option value=t.value()>{t.label()}</option>
                    </For>
                </select>
                <Show when=move || sending.get() && resolved.with(Option::is_none)>
                    <span class="muted">"no Service to send to yet"</span>
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
                                title=format!("{} of the last {} answers", share.count, view.with_untracked(|v| v.measured))
                            >
                                <span class="swatch"></span>
                                {format!("{} {}%", share.version, share.percent)}
                            </span>
                        </For>
                        {move || weight.get().map(|w| view! {
                            <span class="share configured" data-testid="traffic-canary-weight" data-percent=w.to_string()>
                                <span class="swatch dashed"></span>
                                {format!("canary weight {w}%")}
                            </span>
                        })}
                    </div>
                    <svg
                        class="share-chart"
                        viewBox=format!("0 0 {CHART_W} {CHART_H}")
                        preserveAspectRatio="none"
                        role="img"
                        aria-label="Share of answers per version over the last two minutes"
                    >
                        <line class="grid" x1="0" x2=CHART_W y1=y_of(50.0) y2=y_of(50.0)></line>
                        {move || weight.get().map(|w| view! {
                            <line class="canary-weight" x1="0" x2=CHART_W y1=y_of(f64::from(w)) y2=y_of(f64::from(w))></line>
                        })}
                        {chart}
                    </svg>
                    <div class="chart-axis muted"><span>"−2 min"</span><span>"100% / 50% / 0%"</span><span>"now"</span></div>
                </div>
                <div class="curl-lines" aria-live="off">
                    <Show when=move || lines.with(Vec::is_empty)>
                        <p class="hint">"Press “send traffic” or run curl in the terminal: every answer shows here, coloured by the version that served it."</p>
                    </Show>
                    <For each=move || lines.get() key=|a| a.id let:answer>
                        <div
                            class="curl-line"
                            class:failed=answer.version == FAILED
                            data-testid="curl-line"
                            data-version=answer.version.clone()
                            style=format!("--version: {}", colour(&answer.version))
                        >
                            <span class="at muted">{format!("{}s", answer.at.millis() / 1_000)}</span>
                            <span class="version-chip">{answer.version.clone()}</span>
                            <span class="text">{answer.text.clone()}</span>
                        </div>
                    </For>
                </div>
            </div>
        </section>
    }
}
