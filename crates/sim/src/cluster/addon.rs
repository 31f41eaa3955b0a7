//! The one place an add-on plugs into the cluster.
//!
//! A real cluster runs kube-controller-manager's controllers and then whatever was installed
//! into it: ingress-nginx, a Gateway API implementation, Argo Rollouts, metrics-server. Each
//! arrives as a controller that watches the API server, sometimes a proxy on the data plane,
//! and sometimes kinds of its own (a kind's names are a row of `objects::KINDS`, its columns
//! a table in kubectl's printers, its schema entries in explain's data). The lab mirrors that split: the core controllers are called by name in
//! [`Cluster::settle`], and everything else is an [`Addon`] that [`Cluster::install`] adds,
//! which the settle loop runs after the core controllers, in the order installed.
//!
//! What an add-on may touch: the API objects (through the cluster's store and write path,
//! like any controller), events, and its own state, which lives inside the add-on value and
//! so is part of every snapshot. What it may not: the kubelet's runtime, the timers of other
//! components, or the clock — time moves only in [`Cluster::advance`].

use super::Cluster;
use crate::network::IngressController;
use crate::objects::Kind;
use std::fmt;

/// An installed add-on. Implemented in `crate::addons` (ingress-nginx today).
pub trait Addon: fmt::Debug {
    /// The name it is installed under, as its Helm release or manifest calls it.
    fn name(&self) -> &'static str;

    /// One pass of its controller in a settle round. Returns whether it wrote anything, so
    /// the round repeats until every controller, core or add-on, is quiet.
    fn reconcile(&mut self, cluster: &mut Cluster) -> bool;

    /// Where its HTTP proxy listens on the data plane, if it runs one (an ingress controller,
    /// a gateway). The network sends requests for these addresses to it.
    fn ingress_controller(&self, _cluster: &Cluster) -> Option<IngressController> {
        None
    }

    /// Its Gateway API proxy, compiled from the routes as they stand (a Gateway API
    /// implementation's data plane).
    fn gateway_proxy(
        &self,
        _cluster: &Cluster,
    ) -> Option<Box<dyn crate::network::gateway::GatewayProxy>> {
        None
    }

    /// A copy for the cluster's snapshots.
    fn clone_box(&self) -> Box<dyn Addon>;
}

impl Clone for Box<dyn Addon> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The installed add-ons, in install order.
#[derive(Clone, Debug, Default)]
pub struct Addons(Vec<Box<dyn Addon>>);

impl Addons {
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|addon| addon.name())
    }
}

impl Cluster {
    /// Installs an add-on: from now on its controller runs in every settle round. Installing
    /// one of the same name again replaces it (an upgrade).
    pub fn install(&mut self, addon: Box<dyn Addon>) {
        match self.addons.0.iter_mut().find(|a| a.name() == addon.name()) {
            Some(installed) => *installed = addon,
            None => self.addons.0.push(addon),
        }
        self.settle();
    }

    /// What is installed.
    pub fn addons(&self) -> &Addons {
        &self.addons
    }

    /// Whether the API server serves `kind`: a built-in kind always, an add-on's kind once
    /// that add-on (with its CustomResourceDefinitions) is installed.
    pub fn serves(&self, kind: Kind) -> bool {
        kind.info()
            .addon
            .is_none_or(|addon| self.addons.names().any(|name| name == addon))
    }

    /// Wakes the add-ons' controllers at `at` (a pause that ends, a delay that passes).
    pub fn requeue_addon_at(&mut self, addon: &'static str, at: crate::clock::Time) {
        self.api
            .timers
            .set(at, crate::apiserver::Timer::ResyncAddon(addon));
    }

    /// Runs every add-on's controller once; true when any wrote.
    pub(crate) fn reconcile_addons(&mut self) -> bool {
        // Each add-on is taken out while it runs, so it can borrow the whole cluster.
        let mut addons = std::mem::take(&mut self.addons.0);
        let mut wrote = false;
        for addon in &mut addons {
            wrote |= addon.reconcile(self);
        }
        // An add-on cannot install another one during reconcile; keep any that did.
        addons.append(&mut self.addons.0);
        self.addons.0 = addons;
        wrote
    }

    /// The ingress controller the network routes through, if an add-on installed one.
    pub fn ingress_controller(&self) -> Option<IngressController> {
        self.addons
            .0
            .iter()
            .find_map(|addon| addon.ingress_controller(self))
    }

    /// The installed Gateway API implementation's proxy, if any.
    pub fn gateway_proxy(&self) -> Option<Box<dyn crate::network::gateway::GatewayProxy>> {
        self.addons
            .0
            .iter()
            .find_map(|addon| addon.gateway_proxy(self))
    }
}
