//! The page's add-ons, each in a wasm module of its own that is fetched when a line first
//! installs it (feature `linked-addons` off). The split points below are where the build's
//! splitter (`tools/wasm-split.mjs`) cuts the add-on's code out of the first download; the
//! page awaits [`load`] while it holds the line (`Session::wants_data`), after which
//! [`make`] builds the add-on at once.

use std::future::Future;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use crate::plugins::ARGO_ROLLOUTS_PLUGIN;
use crate::shell::tools::TEXT_TOOLS;
use rollout_sim::cluster::Addon;
use wasm_split_helpers::{wasm_split, SplitLoaderError};

#[wasm_split(argo_rollouts, fallible, preload(load_argo_rollouts))]
fn make_argo_rollouts(namespace: String) -> Result<Box<dyn Addon>, SplitLoaderError> {
    Ok(Box::new(
        rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon::running_in(&namespace),
    ))
}

#[wasm_split(envoy_gateway, fallible, preload(load_envoy_gateway))]
fn make_envoy_gateway(namespace: String) -> Result<Box<dyn Addon>, SplitLoaderError> {
    Ok(Box::new(
        rollout_sim::addons::gateway_api::EnvoyGatewayAddon::running_in(&namespace),
    ))
}

#[wasm_split(metrics_server, fallible, preload(load_metrics_server))]
fn make_metrics_server() -> Result<Box<dyn Addon>, SplitLoaderError> {
    Ok(Box::new(
        rollout_sim::addons::metrics_server::MetricsServerAddon::default(),
    ))
}

/// The add-ons whose module loaded, and those that could not be fetched (not asked for again
/// until the page reloads, so a held line does not retry for ever).
static LOADED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
static FAILED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn listed(list: &Mutex<Vec<&'static str>>, addon: &str) -> bool {
    list.lock()
        .map(|names| names.contains(&addon))
        .unwrap_or(false)
}

fn add(list: &Mutex<Vec<&'static str>>, addon: &'static str) {
    if let Ok(mut names) = list.lock() {
        names.push(addon);
    }
}

/// Whether `addon`'s module has still to be fetched.
pub fn wanted(addon: &str) -> bool {
    [
        rollout_sim::objects::ARGO_ROLLOUTS,
        ARGO_ROLLOUTS_PLUGIN,
        rollout_sim::objects::GATEWAY_API,
        rollout_sim::objects::METRICS_SERVER,
        TEXT_TOOLS,
    ]
    .contains(&addon)
        && !listed(&LOADED, addon)
        && !listed(&FAILED, addon)
}

/// Fetches `addon`'s module; the error says why it could not be.
pub async fn load(addon: &'static str) -> Result<(), String> {
    let loaded = match addon {
        rollout_sim::objects::ARGO_ROLLOUTS => load_argo_rollouts().await,
        rollout_sim::objects::METRICS_SERVER => load_metrics_server().await,
        ARGO_ROLLOUTS_PLUGIN => crate::plugins::page::load().await,
        rollout_sim::objects::GATEWAY_API => load_envoy_gateway().await,
        TEXT_TOOLS => crate::shell::tools::page::load().await,
        _ => return Ok(()),
    };
    if let Err(error) = loaded {
        add(&FAILED, addon);
        return Err(format!("{addon}: {error}"));
    }
    add(&LOADED, addon);
    // The plugin comes with the add-on: a script that installs it and then runs the plugin
    // does not name the plugin on the line the page holds.
    if addon == rollout_sim::objects::ARGO_ROLLOUTS && wanted(ARGO_ROLLOUTS_PLUGIN) {
        return Box::pin(load(ARGO_ROLLOUTS_PLUGIN)).await;
    }
    Ok(())
}

/// `addon`, its controller in `namespace`, if its module is loaded.
pub fn make(addon: &str, namespace: &str) -> Option<Box<dyn Addon>> {
    if !listed(&LOADED, addon) {
        return None;
    }
    match addon {
        rollout_sim::objects::ARGO_ROLLOUTS => ready(make_argo_rollouts(namespace.to_string())),
        rollout_sim::objects::GATEWAY_API => ready(make_envoy_gateway(
            rollout_sim::addons::gateway_api::NAMESPACE.to_string(),
        )),
        rollout_sim::objects::METRICS_SERVER => ready(make_metrics_server()),
        _ => None,
    }
}

/// The result of a split call whose module is loaded: its future is ready at its first poll.
fn ready(
    made: impl Future<Output = Result<Box<dyn Addon>, SplitLoaderError>>,
) -> Option<Box<dyn Addon>> {
    let mut made = std::pin::pin!(made);
    match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(addon)) => Some(addon),
        _ => None,
    }
}
