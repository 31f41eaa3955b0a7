//! What is drawn over the cluster view's cards: a line from each Service to each pod behind
//! its ready endpoints, and, where a pod card just disappeared, its outline fading away.
//!
//! Both come from one measurement of the laid-out page, taken at most once per animation
//! frame and only when something that moves cards changed. Lines glide to their new places
//! (a CSS transition on the path). A card that was there at the last measurement and is not
//! now leaves a ghost at its old place — unless most cards went at once (a rewind, a new
//! lesson, the grouping toggle), which is a new picture, not a departure.

use leptos::html::Section;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;

use super::model::{version_colour, ClusterModel};
use super::page::Page;

/// As long as the `gone` animation in `style/main.css`.
const GHOST_LIFE: Duration = Duration::from_millis(700);

/// One line: a Bézier path from the Service's box to a pod card.
#[derive(Clone, Debug, PartialEq)]
struct Link {
    path: String,
    colour: &'static str,
}

/// Where a pod card was, relative to the cluster view.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Card {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    colour: &'static str,
}

/// What decides where cards are: which objects exist, in which order, and which pods are
/// endpoints. (A pod turning ready moves nothing; a new pod or endpoint does.)
fn layout_fingerprint(m: &ClusterModel) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (key, rs) in &m.replica_sets {
        (key, &rs.pods, rs.desired == 0).hash(&mut hasher);
    }
    m.standalone_pods.hash(&mut hasher);
    for s in &m.services {
        (&s.key, &s.endpoints, &s.not_ready).hash(&mut hasher);
    }
    for p in m.pods.values() {
        (&p.key, &p.node).hash(&mut hasher);
    }
    m.ingresses.hash(&mut hasher);
    hasher.finish()
}

/// `relayout`: anything else that moves cards (the language, the grouping).
#[component]
pub fn Overlay(root: NodeRef<Section>, relayout: Signal<u64>) -> impl IntoView {
    let page = expect_context::<Page>();
    let links = RwSignal::new(BTreeMap::<(String, String), Link>::new());
    let ghosts = RwSignal::new(Vec::<(u64, Card)>::new());
    let size = RwSignal::new((0, 0));
    let fingerprint = Memo::new(move |_| page.model.with(layout_fingerprint));
    let scheduled = Rc::new(Cell::new(false));
    let cards_before: Rc<RefCell<HashMap<String, Card>>> = Rc::default();
    let relayout_before = Rc::new(Cell::new(relayout.get_untracked()));
    let next_ghost = Rc::new(Cell::new(0_u64));

    let measure = move || {
        let Some(root) = root.get_untracked() else {
            return;
        };
        let seen = measure_page(&root, page);
        size.set((seen.width, seen.height));
        links.maybe_update(|current| {
            let changed = *current != seen.links;
            if changed {
                *current = seen.links;
            }
            changed
        });
        let regrouped =
            relayout_before.replace(relayout.get_untracked()) != relayout.get_untracked();
        let before = cards_before.replace(seen.cards);
        let now = cards_before.borrow();
        let gone: Vec<Card> = before
            .iter()
            .filter(|(name, _)| !now.contains_key(*name))
            .map(|(_, card)| *card)
            .collect();
        if regrouped || gone.is_empty() || gone.len() * 2 > before.len().max(2) {
            return;
        }
        let first = next_ghost.get();
        next_ghost.set(first + gone.len() as u64);
        let ids: Vec<u64> = (first..first + gone.len() as u64).collect();
        ghosts.update(|g| g.extend(ids.iter().copied().zip(gone)));
        set_timeout(
            move || ghosts.update(|g| g.retain(|(id, _)| !ids.contains(id))),
            GHOST_LIFE,
        );
    };
    let measure = send_wrapper::SendWrapper::new(Rc::new(measure));
    let schedule = {
        let scheduled = scheduled.clone();
        move || {
            if scheduled.replace(true) {
                return;
            }
            let scheduled = scheduled.clone();
            let measure = measure.clone();
            // After this frame's DOM updates, so the cards are where they will be drawn.
            request_animation_frame(move || {
                scheduled.set(false);
                measure();
            });
        }
    };
    let schedule = send_wrapper::SendWrapper::new(Rc::new(schedule));
    Effect::new({
        let schedule = schedule.clone();
        move |_| {
            // Read, not just tracked: a memo that was never read never computes, and so
            // never hears of the model changing.
            let _ = (fingerprint.get(), relayout.get());
            schedule();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| schedule());
    on_cleanup(move || resize.remove());

    let keys = Memo::new(move |_| links.with(|l| l.keys().cloned().collect::<Vec<_>>()));
    view! {
        <svg
            class="links"
            aria-hidden="true"
            width=move || size.get().0
            height=move || size.get().1
        >
            <For each=move || keys.get() key=|k| k.clone() let:key>
                <LinkPath links=links key=key/>
            </For>
        </svg>
        <For each=move || ghosts.get() key=|(id, _)| *id let:ghost>
            <div
                class="pod-ghost"
                aria-hidden="true"
                style:left=format!("{:.0}px", ghost.1.left)
                style:top=format!("{:.0}px", ghost.1.top)
                style:width=format!("{:.0}px", ghost.1.width)
                style:height=format!("{:.0}px", ghost.1.height)
                style:border-color=ghost.1.colour
            ></div>
        </For>
    }
}

#[component]
fn LinkPath(
    links: RwSignal<BTreeMap<(String, String), Link>>,
    key: (String, String),
) -> impl IntoView {
    let (service, pod) = key.clone();
    let link = Memo::new(move |_| links.with(|l| l.get(&key).cloned()));
    view! {
        <path
            class="link"
            data-service=service
            data-pod=pod
            d=move || link.with(|l| l.as_ref().map(|l| l.path.clone()))
            stroke=move || link.with(|l| l.as_ref().map(|l| l.colour))
        />
    }
}

/// One look at the laid-out cluster view.
struct Measured {
    links: BTreeMap<(String, String), Link>,
    cards: HashMap<String, Card>,
    /// The area the cards and Services take (to the farthest corner): no more, or the drawing
    /// itself would keep the panel scrollable after the cards that needed it shrank.
    width: i32,
    height: i32,
}

/// Reads the Services and pod cards under `root`.
fn measure_page(root: &web_sys::HtmlElement, page: Page) -> Measured {
    let elements = |scope: &web_sys::Element, selector: &str| -> Vec<web_sys::Element> {
        let Ok(list) = scope.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
            .collect()
    };
    let version_colour_of = |pod: &str| {
        let version = page
            .model
            .with_untracked(|m| m.pods.get(pod).map(|p| p.version.clone()))
            .unwrap_or_default();
        version_colour(&version)
    };
    let mut cards = HashMap::new();
    for card in elements(root, "[data-testid=pod]") {
        let Some(name) = card.get_attribute("data-name") else {
            continue;
        };
        let Some((left, top, width, height)) = layout_box(&card, root) else {
            continue;
        };
        if width > 0.0 {
            let colour = version_colour_of(&name);
            cards.insert(
                name,
                Card {
                    left,
                    top,
                    width,
                    height,
                    colour,
                },
            );
        }
    }
    let mut links = BTreeMap::new();
    let mut lowest_service = 0.0_f64;
    for service in elements(root, "[data-testid=service]") {
        let Some(name) = service.get_attribute("data-name") else {
            continue;
        };
        let Some((left, top, width, height)) = layout_box(&service, root) else {
            continue;
        };
        let (sx, sy) = (left + width / 2.0, top);
        lowest_service = lowest_service.max(top + height);
        for endpoint in elements(&service, "[data-testid=endpoint]") {
            let Some(pod) = endpoint.get_attribute("data-pod") else {
                continue;
            };
            let Some(card) = cards.get(&pod) else {
                continue;
            };
            let (px, py) = (card.left + card.width / 2.0, card.top + card.height);
            let middle = (sy + py) / 2.0;
            links.insert(
                (name.clone(), pod),
                Link {
                    path: format!(
                        "M {sx:.0} {sy:.0} C {sx:.0} {middle:.0}, {px:.0} {middle:.0}, {px:.0} {py:.0}"
                    ),
                    colour: card.colour,
                },
            );
        }
    }
    let (width, height) = cards
        .values()
        .fold((0.0_f64, lowest_service), |(w, h), card| {
            (w.max(card.left + card.width), h.max(card.top + card.height))
        });
    Measured {
        links,
        cards,
        width: width.ceil() as i32,
        height: height.ceil() as i32,
    }
}

/// Where `el` is laid out inside `root` (left, top, width, height), in `root`'s scrolled
/// content: the offsets up the chain of positioned ancestors. Transforms do not count, so a
/// card still scaling in on its entrance is measured where it will stand.
fn layout_box(el: &web_sys::Element, root: &web_sys::HtmlElement) -> Option<(f64, f64, f64, f64)> {
    let el = el.dyn_ref::<web_sys::HtmlElement>()?;
    let (mut left, mut top) = (0.0, 0.0);
    let mut at = el.clone();
    loop {
        left += f64::from(at.offset_left());
        top += f64::from(at.offset_top());
        let parent = at
            .offset_parent()?
            .dyn_into::<web_sys::HtmlElement>()
            .ok()?;
        if parent == *root {
            break;
        }
        // Offsets start inside the parent's border; scrolled containers between the card
        // and the root shift what is shown.
        left += f64::from(parent.client_left()) - f64::from(parent.scroll_left());
        top += f64::from(parent.client_top()) - f64::from(parent.scroll_top());
        at = parent;
    }
    Some((
        left,
        top,
        f64::from(el.offset_width()),
        f64::from(el.offset_height()),
    ))
}
