//! What the add-on tests share: applying a manifest as `kubectl apply` would (with the kinds
//! the cluster serves now), and the two writes a Rollout's tests make — a new image in its
//! template, and `kubectl argo rollouts promote`'s cleared pause.
#![allow(dead_code)]

use rollout_sim::cluster::Cluster;
use rollout_sim::manifest::parse_manifests_for;
use rollout_sim::objects::{Kind, Object};

/// Applies every object of `text`; a manifest that does not decode or that the API refuses
/// fails the test.
pub fn apply(cluster: &mut Cluster, text: &str) {
    let objects = parse_manifests_for(text, "test.yaml", &|kind| cluster.serves(kind));
    for object in objects {
        cluster
            .apply(object.expect("the manifest decodes"))
            .expect("the API accepts it");
    }
}

/// Sets `container`'s image in the template of the Rollout `name` (namespace `default`).
pub fn set_rollout_image(cluster: &mut Cluster, name: &str, container: &str, image: &str) {
    cluster
        .update(Kind::Rollout, "default", name, |object| {
            if let Object::Rollout(ro) = object {
                ro.set_image(container, image);
            }
        })
        .expect("the rollout exists");
}

/// Clears the Rollout's pause conditions, as `kubectl argo rollouts promote` does.
pub fn promote_rollout(cluster: &mut Cluster, name: &str) {
    cluster
        .patch_rollout_status("default", name, |status| status.pause_conditions.clear())
        .expect("the rollout exists");
}
