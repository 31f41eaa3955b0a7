//! The editor's warning before an apply that would undo a change made outside the file: a
//! file written before `kubectl set image` (or `scale`, `edit`) sets the live object back to
//! what the file says, as kubectl does. The page asks first and shows each field (path, live
//! value, file value); what the fields are is the kubectl layer's
//! ([`rollout_kubectl::cmd::overwrites`]). kubectl's own output is never changed.

use leptos::prelude::*;
use rollout_kubectl::cmd::overwrites::Overwrite;

use super::i18n::{t, tf};
use super::page::Page;

/// Shown while `found` holds the fields of the apply the student asked for; `apply` goes on
/// with it, Cancel drops it.
#[component]
pub fn StaleFileWarning(
    file: Signal<String>,
    found: RwSignal<Vec<Overwrite>>,
    apply: Callback<()>,
) -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    view! {
        <Show when=move || !found.with(Vec::is_empty)>
            <div class="stale-file" data-testid="stale-file" role="alert">
                <p>{move || tf("editor.stale", lang(), &[("file", &file.get())])}</p>
                <ul class="stale-fields">
                    <For each=move || found.get() key=|o| (o.object.clone(), o.path.clone()) let:field>
                        <li data-testid="stale-field" data-path=field.path.clone()>
                            <code class="path">{format!("{} {}", field.object, field.path)}</code>
                            <span class="live">
                                {move || t("editor.stale.live", lang())}
                                ": "
                                <code>{field.live.clone()}</code>
                            </span>
                            <span class="file">
                                {move || t("editor.stale.file", lang())}
                                ": "
                                <code>{field.file.clone()}</code>
                            </span>
                        </li>
                    </For>
                </ul>
                <div class="stale-actions">
                    <button class="tool primary" data-testid="stale-apply" on:click=move |_| {
                        found.set(Vec::new());
                        apply.run(());
                    }>
                        {move || t("editor.stale.apply", lang())}
                    </button>
                    <button class="tool" data-testid="stale-cancel" on:click=move |_| found.set(Vec::new())>
                        {move || t("editor.stale.cancel", lang())}
                    </button>
                </div>
            </div>
        </Show>
    }
}
