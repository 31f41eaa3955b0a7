//! `kubectl get` and `rollout history` output, checked against real kubectl output: the
//! examples of the reference notes and the course transcript (chapter 8), verbatim where
//! their column widths are self-consistent.

use super::get::{print_get, Resources};
use super::table::{GetOptions, OutputFormat, WatchEventType, WatchPrinter};
use crate::test_fixtures::*;
use rollout_sim::clock::Time;

fn check(requested: &[Resources<'_>], options: &GetOptions, expected_stdout: &str) {
    let out = print_get(requested, options, NOW);
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout, expected_stdout, "\n{}", out.stdout);
}

fn default_ns() -> GetOptions {
    GetOptions {
        namespace: "default".into(),
        ..Default::default()
    }
}

fn wide() -> GetOptions {
    GetOptions {
        output: OutputFormat::Wide,
        ..default_ns()
    }
}

#[test]
fn pods_show_ready_status_restarts_and_age() {
    let pod = running_pod("demoapp-5748b7ccfc-clpqp", 270, 0, 0);
    check(
        &[Resources::Pods(&[pod])],
        &default_ns(),
        "NAME                       READY   STATUS    RESTARTS   AGE\n\
         demoapp-5748b7ccfc-clpqp   1/1     Running   0          4m30s\n",
    );
}

#[test]
fn restarted_pods_say_how_long_ago() {
    let pods = [
        running_pod("replicaset-demo-mxlh6", 101, 1, 40),
        running_pod("replicaset-demo-mfpll", 101, 0, 0),
    ];
    check(
        &[Resources::Pods(&pods)],
        &default_ns(),
        "NAME                    READY   STATUS    RESTARTS      AGE\n\
         replicaset-demo-mfpll   1/1     Running   0             101s\n\
         replicaset-demo-mxlh6   1/1     Running   1 (40s ago)   101s\n",
    );
}

#[test]
fn a_paused_canary_lists_old_and_new_pods() {
    let pods = [
        running_pod("deployment-demo-584777f66f-6d29s", 28 * 60, 0, 0),
        running_pod("deployment-demo-584777f66f-kfb7b", 28 * 60, 1, 27 * 60),
        running_pod("deployment-demo-584777f66f-ll4gh", 28 * 60, 0, 0),
        running_pod("deployment-demo-584777f66f-n9ck2", 28 * 60, 1, 27 * 60),
        running_pod("deployment-demo-8dcb44cb-fjt2t", 42, 0, 0),
    ];
    check(
        &[Resources::Pods(&pods)],
        &default_ns(),
        "NAME                               READY   STATUS    RESTARTS      AGE\n\
         deployment-demo-584777f66f-6d29s   1/1     Running   0             28m\n\
         deployment-demo-584777f66f-kfb7b   1/1     Running   1 (27m ago)   28m\n\
         deployment-demo-584777f66f-ll4gh   1/1     Running   0             28m\n\
         deployment-demo-584777f66f-n9ck2   1/1     Running   1 (27m ago)   28m\n\
         deployment-demo-8dcb44cb-fjt2t     1/1     Running   0             42s\n",
    );
}

#[test]
fn wide_pods_add_ip_node_and_two_none_columns() {
    let mut pod = running_pod("demoapp-5748b7ccfc-clpqp", 18, 0, 0);
    pod.status.pod_ip = Some("10.244.1.2".into());
    let mut pending = running_pod("demoapp-5748b7ccfc-x2kq9", 0, 0, 0);
    pending.spec.node_name.clear();
    pending.status = Default::default();
    check(
        &[Resources::Pods(&[pod, pending])],
        &wide(),
        "NAME                       READY   STATUS    RESTARTS   AGE   IP           NODE         NOMINATED NODE   READINESS GATES\n\
         demoapp-5748b7ccfc-clpqp   1/1     Running   0          18s   10.244.1.2   k8s-node01   <none>           <none>\n\
         demoapp-5748b7ccfc-x2kq9   0/1     Pending   0          0s    <none>       <none>       <none>           <none>\n",
    );
}

#[test]
fn show_labels_appends_a_labels_column() {
    let mut pod = running_pod("demoapp-5748b7ccfc-clpqp", 18, 0, 0);
    pod.metadata.labels = labels(&[("pod-template-hash", "5748b7ccfc"), ("app", "demoapp")]);
    let options = GetOptions {
        show_labels: true,
        ..default_ns()
    };
    check(
        &[Resources::Pods(&[pod])],
        &options,
        "NAME                       READY   STATUS    RESTARTS   AGE   LABELS\n\
         demoapp-5748b7ccfc-clpqp   1/1     Running   0          18s   app=demoapp,pod-template-hash=5748b7ccfc\n",
    );
}

#[test]
fn label_columns_use_the_last_key_segment_and_leave_missing_values_empty() {
    let mut a = running_pod("a", 5, 0, 0);
    a.metadata.labels = labels(&[("app", "demoapp")]);
    let mut b = running_pod("b", 5, 0, 0);
    b.metadata.labels = labels(&[("app.kubernetes.io/version", "v1.1")]);
    let options = GetOptions {
        label_columns: vec!["app.kubernetes.io/version".into(), "app".into()],
        ..default_ns()
    };
    check(
        &[Resources::Pods(&[a, b])],
        &options,
        "NAME   READY   STATUS    RESTARTS   AGE   VERSION   APP\n\
         a      1/1     Running   0          5s              demoapp\n\
         b      1/1     Running   0          5s    v1.1      \n",
    );
}

#[test]
fn replica_sets_print_plain_counts() {
    let rss = [
        replica_set("replicaset-demo", 16, 2, 2, 0),
        replica_set("demoapp-55c5f88dcb", 21 * 3600, 3, 3, 3),
    ];
    check(
        &[Resources::ReplicaSets(&rss)],
        &default_ns(),
        "NAME                 DESIRED   CURRENT   READY   AGE\n\
         demoapp-55c5f88dcb   3         3         3       21h\n\
         replicaset-demo      2         2         0       16s\n",
    );
    let rss = [
        replica_set("deployment-demo-8dcb44cb", 170, 4, 4, 4),
        replica_set("deployment-demo-584777f66f", 458, 0, 0, 0),
    ];
    check(
        &[Resources::ReplicaSets(&rss)],
        &default_ns(),
        "NAME                         DESIRED   CURRENT   READY   AGE\n\
         deployment-demo-584777f66f   0         0         0       7m38s\n\
         deployment-demo-8dcb44cb     4         4         4       2m50s\n",
    );
}

#[test]
fn wide_replica_sets_show_the_full_selector() {
    let mut rs = replica_set("demoapp-5748b7ccfc", 600, 3, 3, 3);
    rs.spec.selector = selector(&[("app", "demoapp"), ("pod-template-hash", "5748b7ccfc")]);
    check(
        &[Resources::ReplicaSets(&[rs])],
        &wide(),
        "NAME                 DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                     SELECTOR\n\
         demoapp-5748b7ccfc   3         3         3       10m   demoapp      ikubernetes/demoapp:v1.0   app=demoapp,pod-template-hash=5748b7ccfc\n",
    );
}

#[test]
fn deployments_show_ready_over_desired() {
    check(
        &[Resources::Deployments(&[deployment("demoapp", 600, 3, 3)])],
        &default_ns(),
        "NAME      READY   UP-TO-DATE   AVAILABLE   AGE\n\
         demoapp   3/3     3            3           10m\n",
    );
    check(
        &[Resources::Deployments(&[deployment("deployment-demo", 3 * 3600 + 26 * 60, 4, 4)])],
        &wide(),
        "NAME              READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES                     SELECTOR\n\
         deployment-demo   4/4     4            4           3h26m   demoapp      ikubernetes/demoapp:v1.0   app=demoapp,release=stable\n",
    );
}

#[test]
fn services_show_type_ips_and_ports() {
    let services = [
        service("kubernetes", 246, "10.96.0.1", 443, &[]),
        service(
            "demoapp-svc",
            10,
            "10.103.99.11",
            80,
            &[("app", "demoapp"), ("version", "v1.0")],
        ),
    ];
    check(
        &[Resources::Services(&services)],
        &default_ns(),
        "NAME          TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\n\
         demoapp-svc   ClusterIP   10.103.99.11   <none>        80/TCP    10s\n\
         kubernetes    ClusterIP   10.96.0.1      <none>        443/TCP   4m6s\n",
    );
    let services = [
        service("kubernetes", 141 * 60, "10.96.0.1", 443, &[]),
        service(
            "demoapp-svc",
            137 * 60,
            "10.103.99.11",
            80,
            &[("app", "demoapp"), ("version", "v1.0")],
        ),
    ];
    check(
        &[Resources::Services(&services)],
        &wide(),
        "NAME          TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE    SELECTOR\n\
         demoapp-svc   ClusterIP   10.103.99.11   <none>        80/TCP    137m   app=demoapp,version=v1.0\n\
         kubernetes    ClusterIP   10.96.0.1      <none>        443/TCP   141m   <none>\n",
    );
}

#[test]
fn node_ports_print_after_a_colon_and_load_balancers_wait() {
    let mut node_port = service("demoapp", 13, "10.98.15.56", 80, &[("app", "demoapp")]);
    node_port.spec.type_ = rollout_sim::objects::ServiceType::NodePort;
    node_port.spec.ports[0].node_port = Some(31009);
    let mut lb = service("lb", 17 * 86_400, "10.96.0.10", 80, &[]);
    lb.spec.type_ = rollout_sim::objects::ServiceType::LoadBalancer;
    check(
        &[Resources::Services(&[node_port, lb])],
        &default_ns(),
        "NAME      TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)        AGE\n\
         demoapp   NodePort       10.98.15.56   <none>        80:31009/TCP   13s\n\
         lb        LoadBalancer   10.96.0.10    <pending>     80/TCP         17d\n",
    );
}

#[test]
fn endpoints_list_ready_addresses() {
    check(
        &[Resources::Endpoints(&[endpoints(
            "demoapp",
            45,
            &["10.244.2.6", "10.244.3.6"],
            80,
        )])],
        &default_ns(),
        "NAME      ENDPOINTS                     AGE\n\
         demoapp   10.244.2.6:80,10.244.3.6:80   45s\n",
    );
    let eps = [
        endpoints(
            "kubernetes",
            357,
            &["10.0.0.100", "10.0.0.101", "10.0.0.102"],
            6443,
        ),
        endpoints("demoapp-svc", 121, &["10.244.4.64", "10.244.5.51"], 80),
    ];
    check(
        &[Resources::Endpoints(&eps)],
        &default_ns(),
        "NAME          ENDPOINTS                                         AGE\n\
         demoapp-svc   10.244.4.64:80,10.244.5.51:80                     2m1s\n\
         kubernetes    10.0.0.100:6443,10.0.0.101:6443,10.0.0.102:6443   5m57s\n",
    );
}

#[test]
fn endpoints_beyond_three_are_counted() {
    let ep = endpoints(
        "demoapp",
        45,
        &[
            "10.244.1.2",
            "10.244.2.3",
            "10.244.3.4",
            "10.244.1.5",
            "10.244.2.6",
        ],
        80,
    );
    check(
        &[Resources::Endpoints(&[ep])],
        &default_ns(),
        "NAME      ENDPOINTS                                               AGE\n\
         demoapp   10.244.1.2:80,10.244.2.3:80,10.244.3.4:80 + 2 more...   45s\n",
    );
}

#[test]
fn several_kinds_get_prefixed_names_and_a_blank_line_between_tables() {
    let d = deployment("demoapp", 600, 3, 3);
    let rs = replica_set("demoapp-5748b7ccfc", 600, 3, 3, 3);
    let pod = running_pod("demoapp-5748b7ccfc-x2kq9", 600, 0, 0);
    check(
        &[
            Resources::Deployments(&[d]),
            Resources::ReplicaSets(&[rs]),
            Resources::Pods(&[pod]),
            Resources::Services(&[]),
        ],
        &default_ns(),
        "NAME                      READY   UP-TO-DATE   AVAILABLE   AGE\n\
         deployment.apps/demoapp   3/3     3            3           10m\n\
         \n\
         NAME                                 DESIRED   CURRENT   READY   AGE\n\
         replicaset.apps/demoapp-5748b7ccfc   3         3         3       10m\n\
         \n\
         NAME                           READY   STATUS    RESTARTS   AGE\n\
         pod/demoapp-5748b7ccfc-x2kq9   1/1     Running   0          10m\n",
    );
}

#[test]
fn all_namespaces_adds_a_namespace_column_sorted_by_namespace_then_name() {
    let mut other = running_pod("web-1", 30, 0, 0);
    other.metadata.namespace = "blue".into();
    let options = GetOptions {
        all_namespaces: true,
        ..default_ns()
    };
    check(
        &[Resources::Pods(&[running_pod("a", 30, 0, 0), other])],
        &options,
        "NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE\n\
         blue        web-1   1/1     Running   0          30s\n\
         default     a       1/1     Running   0          30s\n",
    );
}

#[test]
fn nothing_found_goes_to_stderr() {
    let out = print_get(&[Resources::Pods(&[])], &default_ns(), NOW);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "No resources found in default namespace.\n");
    let all = GetOptions {
        all_namespaces: true,
        ..default_ns()
    };
    let out = print_get(&[Resources::Deployments(&[])], &all, NOW);
    assert_eq!(out.stderr, "No resources found\n");
    let out = print_get(&[Resources::Nodes(&[])], &default_ns(), NOW);
    assert_eq!(out.stderr, "No resources found\n");
}

#[test]
fn output_name_prints_kind_and_name() {
    let options = GetOptions {
        output: OutputFormat::Name,
        ..default_ns()
    };
    let d = deployment("demoapp", 600, 3, 3);
    let svc = service("demoapp", 5, "10.96.0.2", 80, &[]);
    let out = print_get(
        &[Resources::Deployments(&[d]), Resources::Services(&[svc])],
        &options,
        NOW,
    );
    assert_eq!(out.stdout, "deployment.apps/demoapp\nservice/demoapp\n");
    assert_eq!(print_get(&[Resources::Pods(&[])], &options, NOW).stderr, "");
}

#[test]
fn events_show_the_involved_object_in_api_order_by_name() {
    use rollout_sim::objects::{Event, EventType, ObjectReference};
    let event = Event {
        metadata: meta("demoapp.17a9", 120),
        involved_object: ObjectReference {
            kind: "Deployment".into(),
            name: "demoapp".into(),
            ..Default::default()
        },
        reason: "ScalingReplicaSet".into(),
        message: "Scaled up replica set demoapp-5748b7ccfc to 3 from 0".into(),
        type_: EventType::Normal,
        source: "deployment-controller".into(),
        first_timestamp: ago(120),
        last_timestamp: ago(120),
        count: 1,
        explanation: None,
    };
    let warning = Event {
        metadata: meta("demoapp-x.17b0", 300),
        involved_object: ObjectReference {
            kind: "Pod".into(),
            name: "demoapp-x".into(),
            ..Default::default()
        },
        reason: "BackOff".into(),
        message: "Back-off pulling image \"ikubernetes/demoapp:v9.9\"".into(),
        type_: EventType::Warning,
        source: "kubelet".into(),
        first_timestamp: ago(300),
        last_timestamp: ago(3),
        count: 5,
        explanation: None,
    };
    check(
        &[Resources::Events(&[warning.clone(), event.clone()])],
        &default_ns(),
        "LAST SEEN   TYPE      REASON              OBJECT               MESSAGE\n\
         3s          Warning   BackOff             pod/demoapp-x        Back-off pulling image \"ikubernetes/demoapp:v9.9\"\n\
         2m          Normal    ScalingReplicaSet   deployment/demoapp   Scaled up replica set demoapp-5748b7ccfc to 3 from 0\n",
    );
    check(
        &[Resources::Events(&[warning])],
        &wide(),
        "LAST SEEN   TYPE      REASON    OBJECT          SUBOBJECT   SOURCE    MESSAGE                                             FIRST SEEN   COUNT   NAME\n\
         3s          Warning   BackOff   pod/demoapp-x               kubelet   Back-off pulling image \"ikubernetes/demoapp:v9.9\"   5m           5       demoapp-x.17b0\n",
    );
}

#[test]
fn nodes_and_namespaces_are_cluster_scoped() {
    use rollout_sim::objects::{Namespace, Node};
    let ready = |name: &str| {
        let mut node = Node {
            metadata: meta(name, 17 * 86_400),
            ..Node::default()
        };
        node.status
            .conditions
            .push(rollout_sim::objects::NodeCondition {
                type_: "Ready".into(),
                status: "True".into(),
                ..Default::default()
            });
        node.status.node_info.kubelet_version = "v1.30.13".into();
        node
    };
    let mut node = ready("k8s-master01");
    node.metadata.labels = labels(&[("node-role.kubernetes.io/control-plane", "")]);
    let worker = ready("k8s-node01");
    let options = GetOptions {
        all_namespaces: true,
        ..default_ns()
    };
    check(
        &[Resources::Nodes(&[worker, node])],
        &options,
        "NAME           STATUS   ROLES           AGE   VERSION\n\
         k8s-master01   Ready    control-plane   17d   v1.30.13\n\
         k8s-node01     Ready    <none>          17d   v1.30.13\n",
    );
    check(
        &[Resources::Namespaces(&[Namespace {
            metadata: meta("default", 17 * 86_400),
        }])],
        &default_ns(),
        "NAME      STATUS   AGE\n\
         default   Active   17d\n",
    );
}

#[test]
fn watching_prints_the_header_once_and_widths_only_grow() {
    let mut watch = WatchPrinter::new(default_ns(), false);
    let old = replica_set("deployment-demo-584777f66f", 458, 4, 4, 4);
    let mut text = watch.initial(std::slice::from_ref(&old), NOW);
    let new = replica_set("demo-8dcb44cb", 0, 1, 0, 0);
    text.push_str(&watch.event(WatchEventType::Added, &new, NOW));
    let mut scaled = old;
    scaled.spec.replicas = 3;
    text.push_str(&watch.event(WatchEventType::Modified, &scaled, NOW));
    assert_eq!(
        text,
        "NAME                         DESIRED   CURRENT   READY   AGE\n\
         deployment-demo-584777f66f   4         4         4       7m38s\n\
         demo-8dcb44cb                1         0         0       0s\n\
         deployment-demo-584777f66f   3         4         4       7m38s\n"
    );
}

#[test]
fn watch_events_get_an_eight_character_event_column() {
    let mut watch = WatchPrinter::new(default_ns(), true);
    let rs = replica_set("demoapp-5748b7ccfc", 10, 1, 1, 1);
    let mut text = watch.initial(std::slice::from_ref(&rs), NOW);
    text.push_str(&watch.event(WatchEventType::Deleted, &rs, NOW));
    assert_eq!(
        text,
        "EVENT      NAME                 DESIRED   CURRENT   READY   AGE\n\
         ADDED      demoapp-5748b7ccfc   1         1         1       10s\n\
         DELETED    demoapp-5748b7ccfc   1         1         1       10s\n"
    );
}

#[test]
fn absurd_times_do_not_panic() {
    let mut pod = running_pod("p", 0, 3, 0);
    pod.metadata.creation_timestamp = Some(Time(i64::MAX));
    pod.status.container_statuses[0].last_state =
        Some(rollout_sim::objects::ContainerState::Terminated {
            reason: String::new(),
            exit_code: i32::MIN,
            finished_at: Time(i64::MIN),
        });
    let out = print_get(&[Resources::Pods(&[pod])], &default_ns(), Time(i64::MIN));
    assert!(out.stdout.contains("<invalid>"));
}
