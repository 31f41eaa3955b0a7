//! `lab-node add`: the lab's own command that joins workers (`lab/nodes.rs`).

use rollout_kubectl::runner::run_script;

#[test]
fn pods_that_fit_nowhere_wait_until_a_worker_joins() {
    let script = "\
kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=400
sleep 120
kubectl get deploy big --no-headers
lab-node add 1
sleep 60
kubectl get deploy big --no-headers
kubectl get pods --field-selector=spec.nodeName=k8s-node04 --no-headers | wc -l
lab-node add 0
lab-node add 97
";
    let t = run_script(script, &Default::default(), 1);
    // Three workers of 110 pods hold 330; the fourth takes the other 70.
    assert!(t.contains("big   330/400   400   330   2m\n"), "{t}");
    assert!(t.contains("node/k8s-node04 joined the cluster\n"), "{t}");
    assert!(t.contains("big   400/400   400   400   3m\n"), "{t}");
    assert!(t.contains("| wc -l\n70\n"), "{t}");
    assert!(t.contains("lab-node: invalid count: 0\nusage: lab-node add [COUNT]\n"));
    assert!(
        t.contains(
            "node/k8s-node100 joined the cluster\nlab-node: the lab has at most 100 workers\n"
        ),
        "{t}"
    );
}
