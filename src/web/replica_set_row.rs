//! One ReplicaSet row: its revision, hash, version, counts and image, then its pods (as
//! cards, or past `pod_grid::COMPACT_THRESHOLD` as cells). Shared by
//! the Deployment frames and the Rollout cards of the cluster view.

use leptos::prelude::*;

use super::i18n::{t, tf};
use super::model::{chip_text_colour, version_colour, ReplicaSetView};
use super::page::Page;
use super::pod_card::tag_label;
use super::pod_grid::Pods;

/// One ReplicaSet and its pods. `roles` are the tags a Rollout gives it (`stable`,
/// `canary`, `active`, `preview`).
#[component]
pub fn ReplicaSetRow(
    key: String,
    #[prop(optional, into)] roles: Option<Signal<Vec<&'static str>>>,
) -> impl IntoView {
    let page = expect_context::<Page>();
    let view = Memo::new({
        let key = key.clone();
        move |_| {
            page.model
                .with(|m| m.replica_sets.get(&key).cloned())
                .unwrap_or_default()
        }
    });
    let pods = Memo::new(move |_| view.with(|rs| rs.pods.clone()));
    // One field at a time: the view holds a thousand pod names in a big ReplicaSet, and
    // every attribute below reads it every frame.
    let field = move |read: fn(&ReplicaSetView) -> String| move || view.with(read);
    let colour = move || view.with(|rs| version_colour(&rs.version));
    let idle = move || view.with(|rs: &ReplicaSetView| rs.desired == 0 && rs.pods.is_empty());
    let lang = move || page.lang.get();
    view! {
        <div
            class="replicaset"
            class:idle=idle
            data-testid="replicaset"
            data-name=field(|rs| rs.name.clone())
            data-desired=field(|rs| rs.desired.to_string())
            data-current=field(|rs| rs.current.to_string())
            data-ready=field(|rs| rs.ready.to_string())
            data-revision=field(|rs| rs.revision.clone())
            style:border-left-color=colour
        >
            <div class="rs-head">
                <span class="kind">"ReplicaSet"</span>
                <Show when=move || !view.with(|rs| rs.revision.is_empty())>
                    <span class="revision">{move || view.with(|rs| tf("cluster.revision", lang(), &[("n", &rs.revision)]))}</span>
                </Show>
                <span class="hash" title=field(|rs| rs.name.clone())>{field(|rs| {
                    if rs.hash.is_empty() { rs.name.clone() } else { rs.hash.clone() }
                })}</span>
                <span class="version-chip" title=move || t("cluster.image_tag", lang()) style:background=colour style:color=move || chip_text_colour(colour())>{field(|rs| tag_label(&rs.version))}</span>
                {roles.map(|roles| view! {
                    <For each=move || roles.get() key=|role| *role let:role>
                        <span class=format!("role role-{role}") data-testid="rs-role" data-role=role>{role}</span>
                    </For>
                })}
                <span class="counts" title=move || t("cluster.counts.title", lang())>
                    {move || view.with(|rs| {
                        tf(
                            "cluster.counts",
                            lang(),
                            &[("desired", &rs.desired), ("current", &rs.current), ("ready", &rs.ready)],
                        )
                    })}
                </span>
                <span class="image muted">{field(|rs| rs.image.clone())}</span>
            </div>
            <Pods pods=pods/>
        </div>
    }
}
