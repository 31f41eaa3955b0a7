//! "Share": a link whose `#share=…` fragment replays the session (see `save`), put on the
//! clipboard. When the browser refuses (no permission, a page that is not a secure context,
//! an iframe without `clipboard-write`), the link is shown selected in a field instead, so
//! the student can copy it by hand. Either way the link stays on screen.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::i18n::t;
use super::page::Page;
use super::params::page_url_without_fragment;
use super::save::SHARE_PREFIX;
use super::work::{CopyState, Shared, Work};

/// Why the clipboard did not take the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClipboardError {
    /// There is no `navigator.clipboard` (the page is not a secure context).
    Unavailable,
    /// `writeText` was rejected (no permission, the document has no focus, …).
    Refused(String),
}

#[wasm_bindgen]
extern "C" {
    /// `navigator.clipboard.writeText(text)`; throws when there is no clipboard.
    #[wasm_bindgen(catch, js_namespace = ["navigator", "clipboard"], js_name = writeText)]
    fn clipboard_write_text(text: &str) -> Result<JsValue, JsValue>;
}

/// Puts `text` on the clipboard.
pub async fn copy_to_clipboard(text: &str) -> Result<(), ClipboardError> {
    let describe = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let promise = clipboard_write_text(text)
        .map_err(|_| ClipboardError::Unavailable)?
        .dyn_into::<web_sys::js_sys::Promise>()
        .map_err(|_| ClipboardError::Unavailable)?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| ClipboardError::Refused(describe(e)))
}

/// Makes the share link of the work so far and copies it.
pub fn share(page: Page, work: Work) {
    let Some(saved) = work.saved(&page) else {
        return;
    };
    let url = format!(
        "{}{SHARE_PREFIX}{}",
        page_url_without_fragment(),
        saved.to_fragment()
    );
    work.share.set(Some(Shared {
        url: url.clone(),
        copy: CopyState::Pending,
    }));
    leptos::task::spawn_local(async move {
        let copy = match copy_to_clipboard(&url).await {
            Ok(()) => CopyState::Done,
            Err(_) => CopyState::Refused,
        };
        // The lesson may have been restarted (or shared again) meanwhile.
        work.share.try_update(|shared| {
            if let Some(shared) = shared.as_mut().filter(|s| s.url == url) {
                shared.copy = copy;
            }
        });
    });
}

/// The link with what became of copying it: a notice and a read-only field that selects
/// itself (and is focused when the browser refused).
#[component]
pub fn ShareBox() -> impl IntoView {
    let page = expect_context::<Page>();
    let work = expect_context::<Work>();
    let lang = move || page.lang.get();
    let field = NodeRef::<leptos::html::Input>::new();
    // Refused: select the link so Ctrl-C / ⌘C copies it.
    Effect::new(move |_| {
        let refused = work
            .share
            .with(|s| s.as_ref().is_some_and(|s| s.copy == CopyState::Refused));
        if let (true, Some(input)) = (refused, field.get()) {
            _ = input.focus();
            input.select();
        }
    });
    move || {
        work.share.get().map(|shared| {
            let key = match shared.copy {
                CopyState::Pending => "share.copying",
                CopyState::Done => "share.copied",
                CopyState::Refused => "share.refused",
            };
            let copy = match shared.copy {
                CopyState::Pending => "pending",
                CopyState::Done => "done",
                CopyState::Refused => "refused",
            };
            view! {
                <div
                    class="share-box"
                    class:refused=shared.copy == CopyState::Refused
                    data-testid="share-box"
                    data-copy=copy
                    role="status"
                >
                    <span data-testid="share-status">{move || t(key, lang())}</span>
                    <input
                        type="text"
                        readonly=true
                        node_ref=field
                        data-testid="share-url"
                        aria-label=move || t("share.url", lang())
                        prop:value=shared.url
                        on:focus=move |ev| {
                            if let Some(input) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            {
                                input.select();
                            }
                        }
                    />
                    <button class="tool" on:click=move |_| work.share.set(None)>
                        {move || t("dismiss", lang())}
                    </button>
                </div>
            }
        })
    }
}
