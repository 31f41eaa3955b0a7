use leptos::prelude::*;

use super::explanations::render;
use super::i18n::t;
use super::page::Page;

/// What the controllers and the kubelet did, newest first, each with why in plain words.
/// Clicking one shows the timeline at that moment.
#[component]
pub fn EventsPanel() -> impl IntoView {
    let page = expect_context::<Page>();
    view! {
        // Focusable, so the list scrolls from the keyboard too.
        <section class="events" tabindex="0" aria-label=move || t("events", page.lang.get())>
            <h2>{move || t("events", page.lang.get())}</h2>
            <ol class="event-list">
                <For each=move || page.events.get() key=|e| e.key.clone() let:event>
                    {
                        let at = event.at;
                        let explanation = event.explanation.clone();
                        view! {
                            <li
                                class="event"
                                class:warning=event.warning
                                data-testid="event"
                                data-reason=event.reason.clone()
                                title=move || t("events.show", page.lang.get())
                                tabindex="0"
                                on:click=move |_| {
                                    page.act(|s| s.view_time(at));
                                }
                                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                    if ev.key() == "Enter" || ev.key() == " " {
                                        ev.prevent_default();
                                        page.act(|s| s.view_time(at));
                                    }
                                }
                            >
                                <div class="event-head">
                                    <span class="event-time">{format!("{} s", at.millis().div_euclid(1000))}</span>
                                    <span class="event-reason">{event.reason.clone()}</span>
                                    <span class="event-object">{event.object.clone()}</span>
                                    {(event.count > 1).then(|| view! { <span class="event-count">{format!("×{}", event.count)}</span> })}
                                </div>
                                <div class="event-message">{event.message.clone()}</div>
                                {explanation.map(|e| view! {
                                    <div class="event-explanation">
                                        {move || render(&e, page.lang.get()).unwrap_or_default()}
                                    </div>
                                })}
                            </li>
                        }
                    }
                </For>
            </ol>
        </section>
    }
}
