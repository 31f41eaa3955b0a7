//! A Gateway drawn in the cluster view: its address and listeners, each attached HTTPRoute,
//! and each rule's backends with their configured weight and share. While the traffic client
//! sends to the Gateway, the requests flow along the backends a plain request can take (a
//! weight of 0 gets none), and a `RequestMirror` filter's copies flow as their own dashed
//! stream to the mirror, whose answers go nowhere. The traffic panel's table of configured
//! weights against measured shares is here too. Views are code-heavy in wasm: in the release
//! page this is a module of its own (`split_gateway_view.wasm`), fetched when the cluster
//! first has a Gateway (so only once the Gateway API's add-on serves the kind).

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;

use super::gateway::{GatewayView, RuleView};
use super::i18n::{t, tf};
use super::model::version_colour;
use super::page::Page;
use super::traffic::Target;

/// Whether the drawing's code is here, as a signal the views re-read.
static LOADED: AtomicBool = AtomicBool::new(false);
/// Whether a fetch is under way (or done).
static LOADING: AtomicBool = AtomicBool::new(false);

/// Fetches the module once (a no-op after, and without the split), registers its reader of
/// the Gateway objects, shows the page again with the Gateways read, then sets `ready`.
pub fn load(page: Page, ready: RwSignal<bool>) {
    if ready.get_untracked()
        || (LOADING.swap(true, Ordering::Relaxed) && !LOADED.load(Ordering::Relaxed))
    {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if LOADED.load(Ordering::Relaxed) {
            ready.set(true);
        } else if let Some(reader) = module::load().await {
            super::gateway::register(reader);
            LOADED.store(true, Ordering::Relaxed);
            // The model was read without the Gateways: read it again, paused or not.
            page.act(|_| ());
            ready.set(true);
        } else {
            LOADING.store(false, Ordering::Relaxed);
        }
    });
}

/// The Gateways, once the code is loaded.
pub fn gateways() -> Option<AnyView> {
    LOADED
        .load(Ordering::Relaxed)
        .then(module::gateways)
        .flatten()
}

/// The traffic panel's weights table, once the code is loaded.
pub fn backend_weights() -> Option<AnyView> {
    LOADED
        .load(Ordering::Relaxed)
        .then(module::backend_weights)
        .flatten()
}

#[cfg(feature = "split-modules")]
mod module {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    use leptos::prelude::*;
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    use crate::web::gateway::Reader;

    /// What the module hands out: a view, or the reader of the Gateway objects.
    enum Made {
        View(AnyView),
        Reader(Reader),
    }

    /// 0: the Gateways, 1: the weights table, 2: the reader.
    #[wasm_split(gateway_view, fallible, preload(load_gateway_view))]
    fn make(what: u8) -> Result<Made, SplitLoaderError> {
        Ok(match what {
            0 => Made::View(view! { <super::Gateways/> }.into_any()),
            1 => Made::View(view! { <super::BackendWeights/> }.into_any()),
            _ => Made::Reader(crate::web::gateway_read::read),
        })
    }

    /// Fetches the module; its reader once it is here.
    pub async fn load() -> Option<Reader> {
        load_gateway_view().await.ok()?;
        match made(2)? {
            Made::Reader(reader) => Some(reader),
            Made::View(_) => None,
        }
    }

    fn made(what: u8) -> Option<Made> {
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make(what));
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(made)) => Some(made),
            _ => None,
        }
    }

    fn view(what: u8) -> Option<AnyView> {
        match made(what)? {
            Made::View(view) => Some(view),
            Made::Reader(_) => None,
        }
    }

    pub fn gateways() -> Option<AnyView> {
        view(0)
    }

    pub fn backend_weights() -> Option<AnyView> {
        view(1)
    }
}

/// Without the split (the component tests), the code is linked in.
#[cfg(not(feature = "split-modules"))]
mod module {
    use leptos::prelude::*;

    use crate::web::gateway::Reader;

    pub async fn load() -> Option<Reader> {
        Some(crate::web::gateway_read::read)
    }

    pub fn gateways() -> Option<AnyView> {
        Some(view! { <super::Gateways/> }.into_any())
    }

    pub fn backend_weights() -> Option<AnyView> {
        Some(view! { <super::BackendWeights/> }.into_any())
    }
}

#[component]
fn Gateways() -> impl IntoView {
    let page = expect_context::<Page>();
    let keys = Memo::new(move |_| {
        page.model
            .with(|m| m.gateways.iter().map(|g| g.key.clone()).collect::<Vec<_>>())
    });
    view! {
        <For each=move || keys.get() key=|k| k.clone() let:key>
            <GatewayBox key=key/>
        </For>
    }
}

/// Each backend of the rule a plain request to the Gateway target takes: its configured
/// weight and share, and the measured share of the answers its version gave.
#[component]
fn BackendWeights() -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    let rows = Memo::new(move |_| page.traffic.with(|v| v.backend_weights.clone()));
    view! {
        <Show when=move || !rows.with(Vec::is_empty)>
            <table class="backend-weights" data-testid="backend-weights">
                <caption>{move || t("traffic.backends", lang())}</caption>
                <thead><tr>
                    <th scope="col">{move || t("traffic.backends.service", lang())}</th>
                    <th scope="col">{move || t("traffic.backends.weight", lang())}</th>
                    <th scope="col">{move || t("traffic.backends.measured", lang())}</th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|b| (b.service.clone(), b.weight, b.measured, b.version.clone()) let:b>
                        <tr
                            data-testid="backend-weight"
                            data-service=b.service.clone()
                            data-configured=b.configured.to_string()
                            data-measured=b.measured.to_string()
                            style=format!("--version: {}", version_colour(b.version.as_deref().unwrap_or("")))
                        >
                            <th scope="row"><span class="swatch"></span>{format!("{} {}", b.service, b.version.clone().unwrap_or_default())}</th>
                            <td>{format!("{} ({}%)", b.weight, b.configured)}</td>
                            <td>{format!("{}%", b.measured)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </Show>
    }
}

#[component]
fn GatewayBox(key: String) -> impl IntoView {
    let page = expect_context::<Page>();
    let view = Memo::new({
        let key = key.clone();
        move |_| {
            page.model
                .with(|m| m.gateways.iter().find(|g| g.key == key).cloned())
                .unwrap_or_default()
        }
    });
    let lang = move || page.lang.get();
    // The hosts the traffic client sends to through this Gateway, while it sends.
    let flowing_host = Memo::new(move |_| {
        page.traffic.with(|v| match (&v.resolved, v.sending) {
            (Some(Target::Gateway { address, host }), true)
                if view.with(|g| g.address == *address) =>
            {
                Some(host.clone())
            }
            _ => None,
        })
    });
    let head = move || {
        view.with(|g: &GatewayView| {
            let address = if g.address.is_empty() {
                t("cluster.gateway.no_address", lang()).to_string()
            } else {
                g.address.clone()
            };
            format!("{address} · {}", g.listeners.join(", "))
        })
    };
    let routes = move || {
        view.with(|g| g.routes.clone())
            .into_iter()
            .map(|route| {
                let hosts = route.hostnames.clone();
                let takes = move || {
                    flowing_host
                        .get()
                        .is_some_and(|host| hosts.is_empty() || hosts.contains(&host))
                };
                let hostnames = if route.hostnames.is_empty() {
                    "*".to_string()
                } else {
                    route.hostnames.join(", ")
                };
                view! {
                    <div class="gw-route" data-testid="httproute" data-name=route.name.clone()>
                        <div class="frame-head">
                            <span class="kind">"HTTPRoute"</span>
                            <span class="name">{route.name.clone()}</span>
                            <span class="muted">{hostnames}</span>
                        </div>
                        <ul class="gw-rules">
                            {route
                                .rules
                                .into_iter()
                                .map(|rule| rule_view(rule, takes.clone(), page))
                                .collect_view()}
                        </ul>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <div
            class="service gateway"
            data-testid="gateway"
            data-name=move || view.with(|g| g.name.clone())
            data-address=move || view.with(|g| g.address.clone())
            role="group"
            aria-label=move || view.with(|g| format!("Gateway {}", g.name))
        >
            <div class="frame-head">
                <span class="kind">"Gateway"</span>
                <span class="name">{move || view.with(|g| g.name.clone())}</span>
                <span class="muted">{head}</span>
            </div>
            {routes}
        </div>
    }
}

fn rule_view(
    rule: RuleView,
    takes: impl Fn() -> bool + Clone + Send + Sync + 'static,
    page: Page,
) -> impl IntoView {
    let lang = move || page.lang.get();
    let plain = rule.matches.is_empty();
    let matches = rule.matches.clone();
    let flows = move || plain && takes();
    let backends = rule
        .backends
        .into_iter()
        .map(|b| {
            let weight = b.weight;
            let percent = b.percent;
            let flows = flows.clone();
            let gets_some = weight > 0;
            view! {
                <li
                    class="gw-backend"
                    class:flowing=move || gets_some && flows()
                    class:idle=!gets_some
                    data-testid="gw-backend"
                    data-service=b.service.clone()
                    data-weight=weight.to_string()
                    data-percent=percent.to_string()
                >
                    <span class="gw-flow" aria-hidden="true"></span>
                    <span class="name">{b.service.clone()}</span>
                    <span class="badge gw-weight">
                        {move || tf("cluster.gateway.weight", lang(), &[("w", &weight), ("p", &percent)])}
                    </span>
                </li>
            }
        })
        .collect_view();
    let mirrors = rule
        .mirrors
        .into_iter()
        .map(|service| {
            let flows = flows.clone();
            view! {
                <li
                    class="gw-backend mirror"
                    class:flowing=flows
                    data-testid="gw-mirror"
                    data-service=service.clone()
                >
                    <span class="gw-flow" aria-hidden="true"></span>
                    <span class="name">{service.clone()}</span>
                    <span class="badge gw-mirror-badge">{move || t("cluster.gateway.mirror", lang())}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="gw-rule">
            <span class="muted gw-match">{move || if matches.is_empty() {
                t("cluster.gateway.every", lang()).to_string()
            } else {
                tf("cluster.gateway.matches", lang(), &[("m", &matches)])
            }}</span>
            <ul class="gw-backends">{backends}{mirrors}</ul>
        </li>
    }
}
