//! Add-on releases the course installs with `kubectl apply -f <URL>`: the lab is offline, so
//! each known release URL is answered from a data file (`data/releases/*.txt`) that lists
//! what the real manifest creates. Applying one prints kubectl's line for every object,
//! creates the objects the lab models, and installs the add-on into the cluster once its
//! controller's Deployment exists — as applying the real manifest starts the controller.

use rollout_sim::cluster::{Addon, Cluster};

/// One release: its URLs, the add-on, the objects kubectl reports, the modelled manifest.
pub struct Release {
    pub addon: &'static str,
    pub urls: Vec<&'static str>,
    /// `(kind.group/name, scope)`: scope is `cluster`, `namespaced` or `modelled`.
    pub objects: Vec<(&'static str, &'static str)>,
    /// The objects the lab creates for real.
    pub manifest: &'static str,
    /// `(name, shortnames, apiVersion, namespaced, kind)` its CRDs add to discovery.
    pub resources: Vec<(&'static str, &'static str, &'static str, bool, &'static str)>,
}

const ARGO_ROLLOUTS: &str = include_str!("../data/releases/argo-rollouts.txt");
const ENVOY_GATEWAY: &str = include_str!("../data/releases/envoy-gateway.txt");

fn parse(text: &'static str) -> Release {
    let (header, manifest) = text.split_once("\n---\n").unwrap_or((text, ""));
    let mut release = Release {
        addon: "",
        urls: Vec::new(),
        objects: Vec::new(),
        manifest,
        resources: Vec::new(),
    };
    for line in header.lines().filter(|l| !l.starts_with('#')) {
        let words: Vec<&'static str> = line.split_whitespace().collect();
        if let ["resource", name, short, api_version, namespaced, kind] = words.as_slice() {
            let short = if *short == "-" { "" } else { short };
            release
                .resources
                .push((name, short, api_version, *namespaced == "true", kind));
            continue;
        }
        let mut words = words.into_iter();
        match (words.next(), words.next(), words.next()) {
            (Some("addon"), Some(name), None) => release.addon = name,
            (Some("url"), Some(url), None) => release.urls.push(url),
            (Some("object"), Some(object), Some(scope)) => release.objects.push((object, scope)),
            _ => {}
        }
    }
    release
}

/// Every release the course knows: metrics-server's once its text is at hand (the page
/// fetches it for the first line that may apply a URL, `held::wants_releases`).
pub fn all() -> impl Iterator<Item = Release> {
    [
        Some(ARGO_ROLLOUTS),
        Some(ENVOY_GATEWAY),
        crate::fetched::METRICS_SERVER_RELEASE.get(),
    ]
    .into_iter()
    .flatten()
    .filter(|text| !text.is_empty())
    .map(parse)
}

/// The release a URL serves, if the course knows it.
pub fn find(url: &str) -> Option<Release> {
    all().find(|release| release.urls.contains(&url))
}

/// The add-on a release installs, its controller running in `namespace`.
#[cfg(feature = "linked-addons")]
pub fn addon(name: &str, namespace: &str) -> Option<Box<dyn Addon>> {
    match name {
        rollout_sim::objects::ARGO_ROLLOUTS => Some(Box::new(
            rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon::running_in(namespace),
        )),
        rollout_sim::objects::GATEWAY_API => Some(Box::new(
            rollout_sim::addons::gateway_api::EnvoyGatewayAddon::running_in(
                rollout_sim::addons::gateway_api::NAMESPACE,
            ),
        )),
        rollout_sim::objects::METRICS_SERVER => Some(Box::new(
            rollout_sim::addons::metrics_server::MetricsServerAddon::default(),
        )),
        _ => None,
    }
}

/// The add-on a release installs, its controller running in `namespace`: made by its module,
/// which the page loaded before it ran the line (see [`module_wanted_by`]).
#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
pub fn addon(name: &str, namespace: &str) -> Option<Box<dyn Addon>> {
    crate::addon_modules::make(name, namespace)
}

#[cfg(all(not(target_arch = "wasm32"), not(feature = "linked-addons")))]
pub fn addon(_name: &str, _namespace: &str) -> Option<Box<dyn Addon>> {
    None
}

/// The add-on whose module must be loaded before `line` runs: it names the URL of a release
/// whose code the page has not fetched yet. The page holds such a line until it has
/// (`addon_modules::load`); a line that merely mentions the URL waits a moment for nothing.
///
/// A line that may run the Argo Rollouts kubectl plugin wants the plugin's module likewise,
/// and one that may run `sed`, `awk`, `xargs` or `kubectl diff` the text tools' module.
pub fn module_wanted_by(line: &str) -> Option<&'static str> {
    let release = all()
        .find(|release| release.urls.iter().any(|url| line.contains(url)))
        .map(|release| release.addon);
    let plugin =
        crate::plugins::may_run_argo_rollouts(line).then_some(crate::plugins::ARGO_ROLLOUTS_PLUGIN);
    let tools = crate::shell::tools::may_run(line).then_some(crate::shell::tools::TEXT_TOOLS);
    [release, plugin, tools]
        .into_iter()
        .flatten()
        .find(|module| module_missing(module))
}

/// Fetches `addon`'s module (the page's build; linked in otherwise). The error says why it
/// could not be, and is not retried: the line then runs without the add-on.
pub async fn load_module(addon: &'static str) -> Result<(), String> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return crate::addon_modules::load(addon).await;
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    {
        let _ = addon;
        Ok(())
    }
}

#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
fn module_missing(addon: &str) -> bool {
    crate::addon_modules::wanted(addon)
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
fn module_missing(_addon: &str) -> bool {
    false
}

/// Installs `name` into `cluster`, its controller in `namespace`, unless it is there already.
pub fn install(cluster: &mut Cluster, name: &str, namespace: &str) {
    if cluster.addons().names().any(|installed| installed == name) {
        return;
    }
    if let Some(addon) = addon(name, namespace) {
        cluster.install(addon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_argo_rollouts_release_lists_its_objects_and_models_two() {
        let release =
            find("https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml")
                .expect("known");
        assert_eq!(release.addon, "argo-rollouts");
        assert_eq!(release.objects.len(), 15);
        assert_eq!(
            release
                .objects
                .iter()
                .filter(|(_, scope)| *scope == "modelled")
                .count(),
            2
        );
        assert!(release.manifest.contains("kind: Deployment"));
        assert!(find("https://example.com/install.yaml").is_none());
    }
}
