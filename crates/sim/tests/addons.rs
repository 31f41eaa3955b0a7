//! Add-ons are installed parts: a cluster without ingress-nginx has no ingress controller, and
//! installing it is what fills an Ingress's address and opens the controller's address.

use rollout_sim::addons::course_addons;
use rollout_sim::cluster::Cluster;
use rollout_sim::manifest::parse_manifests;

const INGRESS: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: demoapp
spec:
  ingressClassName: nginx
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: demoapp
            port:
              number: 80
";

fn cluster_with_ingress(install: bool) -> Cluster {
    let mut cluster = Cluster::new(1);
    if install {
        for addon in course_addons() {
            cluster.install(addon);
        }
    }
    for object in parse_manifests(INGRESS, "ingress.yaml") {
        cluster
            .apply(object.expect("the manifest parses"))
            .expect("the API accepts it");
    }
    cluster
}

fn address(cluster: &Cluster) -> Vec<String> {
    let key = rollout_sim::cluster::ObjectKey::new("default", "demoapp");
    cluster.store().ingresses[&key]
        .status
        .load_balancer_ips
        .clone()
}

fn curl_controller(cluster: &mut Cluster) -> i32 {
    let args: Vec<String> = ["-s", "-m", "1", "http://10.0.0.200/"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    cluster.curl(&args, "default", None).exit_code
}

#[test]
fn a_bare_cluster_has_no_ingress_controller() {
    let mut cluster = cluster_with_ingress(false);
    assert!(cluster.addons().names().next().is_none());
    assert!(cluster.ingress_controller().is_none());
    assert_eq!(address(&cluster), Vec::<String>::new());
    // Nobody owns the address: curl waits out its timeout (exit 28).
    assert_eq!(curl_controller(&mut cluster), 28);
}

#[test]
fn installing_ingress_nginx_syncs_the_address_and_serves_it() {
    let mut cluster = cluster_with_ingress(true);
    assert_eq!(
        cluster.addons().names().collect::<Vec<_>>(),
        ["ingress-nginx"]
    );
    assert_eq!(address(&cluster), ["10.0.0.200"]);
    let synced = cluster
        .events()
        .iter()
        .filter(|e| e.reason == "Sync" && e.source == "nginx-ingress-controller")
        .count();
    assert_eq!(synced, 1);
    // The controller answers (its backend has no endpoints: 503), curl exits 0.
    assert_eq!(curl_controller(&mut cluster), 0);
}

#[test]
fn installing_after_the_ingress_exists_syncs_it_too() {
    let mut cluster = cluster_with_ingress(false);
    for addon in course_addons() {
        cluster.install(addon);
    }
    assert_eq!(address(&cluster), ["10.0.0.200"]);
}
