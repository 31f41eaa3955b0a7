//! The clock's controls and the timeline you can drag back.

use leptos::prelude::*;
use rollout_sim::clock::Duration;

use super::i18n::t;
use super::page::Page;
use super::session::SPEEDS;

/// Virtual seconds, as the clock shows them.
fn seconds(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

/// Play, pause, speed, step; the virtual time on screen.
#[component]
pub fn Clock() -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    let step = move |secs: i64| {
        page.act(|s| s.step(Duration::from_secs(secs)));
    };
    view! {
        <div class="clock" role="group" aria-label=move || t("clock", lang())>
            <button
                class="tool"
                data-testid="clock-play"
                title=move || t("clock.play", lang())
                aria-pressed=move || page.playing.get().to_string()
                class:active=move || page.playing.get()
                on:click=move |_| {
                    page.act(|s| s.set_playing(true));
                }
            >
                <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true"><path d="M1 0 L9 5 L1 10 Z" fill="currentColor"/></svg>
            </button>
            <button
                class="tool"
                data-testid="clock-pause"
                title=move || t("clock.pause", lang())
                aria-pressed=move || (!page.playing.get()).to_string()
                class:active=move || !page.playing.get()
                on:click=move |_| {
                    page.act(|s| s.set_playing(false));
                }
            >
                <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true"><rect x="1" y="0" width="3" height="10" fill="currentColor"/><rect x="6" y="0" width="3" height="10" fill="currentColor"/></svg>
            </button>
            <select
                class="tool"
                data-testid="clock-speed"
                title=move || t("clock.speed", lang())
                aria-label=move || t("clock.speed", lang())
                prop:value=move || page.speed.get().to_string()
                on:change=move |ev| {
                    if let Ok(speed) = event_target_value(&ev).parse::<u32>() {
                        page.act(|s| s.set_speed(speed));
                    }
                }
            >
                {SPEEDS
                    .iter()
                    .map(|speed| {
                        view! {
                            <option value=speed.to_string() selected=move || { page.speed.get() == *speed }>
                                {format!("{speed}×")}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <span class="clock-lagging" data-testid="clock-lagging" role="status" title=move || t("clock.lagging.title", lang())>
                {move || page.lagging.get().then(|| t("clock.lagging", lang()))}
            </span>
            <button class="tool" data-testid="clock-step" title=move || t("clock.step1", lang()) on:click=move |_| step(1)>
                {move || t("clock.by1", lang())}
            </button>
            <button class="tool" data-testid="clock-step-10" title=move || t("clock.step10", lang()) on:click=move |_| step(10)>
                {move || t("clock.by10", lang())}
            </button>
            <span class="clock-time" title=move || t("clock.since", lang())>
                "t = "
                <span data-testid="clock-time">{move || seconds(page.clock_ms.get())}</span>
                " "
                {move || t("clock.unit", lang())}
            </span>
        </div>
    }
}

/// Drag back to any earlier moment; play, step or type to continue from there.
#[component]
pub fn Timeline() -> impl IntoView {
    let page = expect_context::<Page>();
    let position = move || {
        let t = page.timeline.get();
        t.viewing.unwrap_or(t.snapshots)
    };
    view! {
        <div class="timeline" class:rewound=move || page.timeline.get().viewing.is_some()>
            <input
                type="range"
                data-testid="timeline"
                aria-label=move || t("timeline", page.lang.get())
                min="0"
                max=move || page.timeline.get().snapshots.to_string()
                step="1"
                prop:value=move || position().to_string()
                on:input=move |ev| {
                    if let Ok(index) = event_target_value(&ev).parse::<usize>() {
                        page.act(|s| s.view(index));
                    }
                }
            />
            <span class="timeline-label" data-testid="timeline-label" title=move || {
                let view = page.timeline.get();
                let lang = page.lang.get();
                let count = t("timeline.snapshots", lang).replace("{n}", &view.snapshots.to_string());
                match view.viewing {
                    Some(_) => format!("{} ({count})", t("timeline.rewound.title", lang)),
                    None => count,
                }
            }>
                {move || {
                    let lang = page.lang.get();
                    let view = page.timeline.get();
                    match view.viewing {
                        Some(_) => t("timeline.rewound", lang).replace("{s}", &seconds(view.shown_ms).to_string()),
                        None => t("timeline.live", lang).to_string(),
                    }
                }}
            </span>
        </div>
    }
}
