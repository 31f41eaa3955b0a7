//! Data the page fetches instead of carrying it in its wasm, served in `data/` beside the
//! bundle (index.html has Trunk copy it there) and fetched by relative URL, so the page works
//! under any sub-path: kubectl's and bash's help texts right after start-up
//! (`rollout_kubectl::fetched`), kubectl explain's schemas on first use
//! (`rollout_kubectl::openapi`); each add-on's code, a wasm module beside the bundle
//! (`rollout_kubectl::releases`); and the module of kubectl's verbs beyond get/apply/create
//! on first use (`rollout_kubectl::cmd::more_verbs`).

use rollout_kubectl::cmd::autoscaling;
use rollout_kubectl::cmd::more_verbs;
use rollout_kubectl::shell::without_heredoc_bodies;
use rollout_kubectl::{fetched, held, openapi, releases};
use std::cell::RefCell;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::load_failure::LoadProblem;

/// Whether `command` (one or more typed lines) must wait for something fetched on first use
/// before it runs. Its here-documents' bodies are data and want nothing.
pub fn wanted_by(command: &str) -> bool {
    let command = without_heredoc_bodies(command);
    let line = command.as_str();
    held::wanted_by(line)
        || releases::module_wanted_by(line).is_some()
        || autoscaling::module_wanted_by(line)
}

/// The commands among `lines` typed one after another (a saved session's) that may want
/// something: every line but those of a here-document's body.
pub fn commands_of(lines: &[String]) -> Vec<String> {
    without_heredoc_bodies(&lines.join("\n"))
        .lines()
        .map(str::to_string)
        .collect()
}

/// Fetches what `lines` wait for; says what could not be fetched, for the terminal.
pub async fn fetch_wanted_by<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut failures = Vec::new();
    for command in lines {
        let command = without_heredoc_bodies(command);
        let line = command.as_str();
        if held::wants_releases(line) {
            let release = &fetched::METRICS_SERVER_RELEASE;
            release.provide(fetch_text(release.path).await.unwrap_or_default());
        }
        if fetched::missing().next().is_some() && held::may_print_help(line) {
            fetch_start_files().await;
        }
        if openapi::fetch_wanted_by(line) {
            fetch_explain_schemas().await;
        }
        if more_verbs::wanted_by(line) {
            if let Err(why) = more_verbs::load().await {
                failures.push(format!("rollout-lab: cannot load kubectl's {why}\n"));
            }
        }
        if autoscaling::module_wanted_by(line) {
            if let Err(why) = autoscaling::load_module().await {
                failures.push(format!("rollout-lab: cannot load the commands {why}\n"));
            }
        }
        // One module after another (at most the three a line may want): each loaded (or
        // failed) one is not wanted again.
        for _ in 0..3 {
            let Some(addon) = releases::module_wanted_by(line) else {
                break;
            };
            if let Err(why) = releases::load_module(addon).await {
                failures.push(format!("rollout-lab: cannot load the add-on {why}\n"));
            }
        }
    }
    (!failures.is_empty()).then(|| failures.concat())
}

/// Fetches the core's and the add-ons' schema files and hands them to kubectl; a file that
/// cannot be fetched is handed over as the reason, which `kubectl explain` prints.
async fn fetch_explain_schemas() {
    let core = fetch_text(openapi::CORE_FILE).await;
    let mut addons = Vec::new();
    for (addon, file) in openapi::ADDON_FILES {
        addons.push((*addon, fetch_text(file).await));
    }
    let texts = core.and_then(|core| {
        let addons = addons
            .into_iter()
            .map(|(addon, text)| text.map(|t| (addon, t)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((core, addons))
    });
    match texts {
        Ok((core, addons)) => {
            let addons: Vec<(&'static str, &str)> =
                addons.iter().map(|(a, t)| (*a, t.as_str())).collect();
            openapi::provide(&core, &addons);
        }
        Err(why) => openapi::provide_unavailable(why),
    }
}

thread_local! {
    /// The fetch of the start-up files under way, if one is: the page starts it after start-up
    /// and a line asking for help meanwhile awaits the same fetch instead of starting another.
    static START_FILES: RefCell<Option<wasm_bindgen_futures::js_sys::Promise>> = const { RefCell::new(None) };
}

/// Fetches the start-up files still missing and hands each to kubectl; one that cannot be
/// fetched is handed over empty (its help texts then print nothing), so no line waits forever.
/// Callers while a fetch is under way share it.
pub async fn fetch_start_files() {
    let promise = START_FILES.with_borrow_mut(|under_way| {
        under_way
            .get_or_insert_with(|| {
                future_to_promise(async {
                    let missing: Vec<_> = fetched::missing().collect();
                    for file in missing {
                        file.provide(fetch_text(file.path).await.unwrap_or_default());
                    }
                    START_FILES.with_borrow_mut(|under_way| *under_way = None);
                    Ok(JsValue::UNDEFINED)
                })
            })
            .clone()
    });
    // The fetch never rejects: every failure is handed over as an empty file.
    let _ = JsFuture::from(promise).await;
}

/// The text of `data/FILE` beside the page.
async fn fetch_text(file: &str) -> Result<String, String> {
    let url = format!("data/{file}");
    super::fetch::fetch_text(&url)
        .await
        .map_err(|why| match why {
            LoadProblem::Http(status) => format!("cannot fetch {url}: HTTP {status}"),
            _ => format!("cannot fetch {url}"),
        })
}
