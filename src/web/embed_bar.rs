//! The embedded page's (`?embed=1`) one bar above its right column: the clock, so a lesson
//! can speed past its waits, and which panel sits above the terminal — the cluster, the
//! editor or the traffic — since an iframe of about 900×600 has room for one at a time.

use leptos::prelude::*;

use super::i18n::t;
use super::page::Page;
use super::timeline::Clock;

/// The panel shown above the embed's terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedView {
    Cluster,
    Editor,
    Traffic,
}

impl EmbedView {
    const ALL: [EmbedView; 3] = [EmbedView::Cluster, EmbedView::Editor, EmbedView::Traffic];

    fn label_key(self) -> &'static str {
        match self {
            EmbedView::Cluster => "cluster",
            EmbedView::Editor => "embed.editor",
            EmbedView::Traffic => "traffic",
        }
    }

    fn id(self) -> &'static str {
        match self {
            EmbedView::Cluster => "cluster",
            EmbedView::Editor => "editor",
            EmbedView::Traffic => "traffic",
        }
    }
}

#[component]
pub fn EmbedBar(shown: RwSignal<EmbedView>) -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    // `vim FILE` opens the file in the editor: bring it up, as the full page scrolls to it.
    Effect::new(move |_| {
        if page.edit.with(Option::is_some) {
            shown.set(EmbedView::Editor);
        }
    });
    view! {
        <div class="embed-bar" data-testid="embed-bar">
            <Clock/>
            <div class="embed-views" role="group" aria-label=move || t("embed.views", lang())>
                {EmbedView::ALL
                    .into_iter()
                    .map(|view| {
                        view! {
                            <button
                                class="tool"
                                data-testid="embed-view"
                                data-view=view.id()
                                class:active=move || shown.get() == view
                                aria-pressed=move || (shown.get() == view).to_string()
                                on:click=move |_| shown.set(view)
                            >
                                {move || t(view.label_key(), lang())}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}
