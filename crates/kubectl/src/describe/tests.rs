//! `kubectl describe` output: the deployment layout of the reference notes and the service
//! of the course transcript verbatim; the other kinds pinned to describe.go's layout.

use super::*;
use crate::test_fixtures::*;
use rollout_sim::objects::*;

fn check(actual: String, expected: &str) {
    assert_eq!(actual, expected, "\n{actual}");
}

fn event(
    reason: &str,
    message: &str,
    source: &str,
    first_ago: i64,
    last_ago: i64,
    count: i32,
) -> Event {
    Event {
        reason: reason.into(),
        message: message.into(),
        source: source.into(),
        first_timestamp: ago(first_ago),
        last_timestamp: ago(last_ago),
        count,
        ..Default::default()
    }
}

fn http_probe(path: &str) -> Probe {
    Probe {
        handler: ProbeHandler::HttpGet {
            path: path.into(),
            port: 80,
        },
        initial_delay_seconds: 0,
        period_seconds: 10,
        timeout_seconds: 1,
        success_threshold: 1,
        failure_threshold: 3,
    }
}

fn demoapp_deployment() -> (Deployment, Vec<ReplicaSet>) {
    let mut d = Deployment {
        metadata: meta("demoapp", 10 * 86_400),
        ..Default::default()
    };
    d.metadata.creation_timestamp = Some(rollout_sim::clock::Time(0));
    d.metadata.labels = labels(&[("app", "demoapp")]);
    d.metadata.annotations = labels(&[
        ("deployment.kubernetes.io/revision", "2"),
        (
            "kubectl.kubernetes.io/last-applied-configuration",
            "{\"apiVersion\":\"apps/v1\"}",
        ),
    ]);
    d.spec.replicas = 3;
    d.spec.selector = selector(&[("app", "demoapp")]);
    d.spec.template = template(&[("app", "demoapp")], "ikubernetes/demoapp:v1.1");
    d.spec.template.spec.containers[0].ports = vec![ContainerPort {
        name: Some("http".into()),
        container_port: 80,
    }];
    d.spec.template.spec.containers[0].liveness_probe = Some(http_probe("/livez"));
    d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
        max_surge: Some(IntOrString::from("25%")),
        max_unavailable: Some(IntOrString::from("25%")),
    });
    d.status = DeploymentStatus {
        replicas: 4,
        updated_replicas: 1,
        available_replicas: 3,
        unavailable_replicas: 1,
        ready_replicas: 3,
        conditions: vec![
            DeploymentCondition {
                type_: DeploymentConditionType::Available,
                status: ConditionStatus::True,
                last_update_time: None,
                last_transition_time: None,
                reason: "MinimumReplicasAvailable".into(),
                message: "Deployment has minimum availability.".into(),
            },
            DeploymentCondition {
                type_: DeploymentConditionType::Progressing,
                status: ConditionStatus::True,
                last_update_time: None,
                last_transition_time: None,
                reason: "ReplicaSetUpdated".into(),
                message: "ReplicaSet \"demoapp-bb799f7cd\" is progressing.".into(),
            },
        ],
        ..Default::default()
    };
    let mut old = replica_set("demoapp-5748b7ccfc", 600, 3, 3, 3);
    old.metadata = owned_by(old.metadata, "Deployment", "demoapp");
    let mut new = replica_set("demoapp-bb799f7cd", 60, 1, 1, 0);
    new.metadata = owned_by(new.metadata, "Deployment", "demoapp");
    new.spec.template = d.spec.template.clone();
    new.spec
        .template
        .metadata
        .labels
        .insert("pod-template-hash".into(), "bb799f7cd".into());
    let stranger = replica_set("other-6d4cf56db6", 60, 1, 1, 1);
    (d, vec![new, old, stranger])
}

#[test]
fn describe_deployment_matches_kubectl_1_30() {
    let (d, rss) = demoapp_deployment();
    let events = [event(
        "ScalingReplicaSet",
        "Scaled up replica set demoapp-5748b7ccfc from 0 to 3",
        "deployment-controller",
        120,
        120,
        1,
    )];
    check(
        describe_deployment(&d, &rss, &events, NOW),
        "Name:                   demoapp
Namespace:              default
CreationTimestamp:      Mon, 23 Nov 2026 09:00:00 +0000
Labels:                 app=demoapp
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=demoapp
Replicas:               3 desired | 1 updated | 4 total | 3 available | 1 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=demoapp
  Containers:
   demoapp:
    Image:         ikubernetes/demoapp:v1.1
    Port:          80/TCP
    Host Port:     0/TCP
    Liveness:      http-get http://:80/livez delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    ReplicaSetUpdated
OldReplicaSets:  demoapp-5748b7ccfc (3/3 replicas created)
NewReplicaSet:   demoapp-bb799f7cd (1/1 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  2m    deployment-controller  Scaled up replica set demoapp-5748b7ccfc from 0 to 3
",
    );
}

#[test]
fn describe_deployment_folds_repeated_events_and_shows_fixed_fenceposts() {
    let (mut d, _) = demoapp_deployment();
    d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
        max_surge: Some(IntOrString::Int(1)),
        max_unavailable: Some(IntOrString::Int(0)),
    });
    d.status.conditions.clear();
    let events = [
        event(
            "ScalingReplicaSet",
            "Scaled down replica set demoapp-5748b7ccfc to 2 from 3",
            "deployment-controller",
            120,
            3,
            5,
        ),
        event(
            "ScalingReplicaSet",
            "Scaled up replica set demoapp-bb799f7cd to 1 from 0",
            "deployment-controller",
            130,
            130,
            1,
        ),
    ];
    let text = describe_deployment(&d, &[], &events, NOW);
    assert!(
        text.contains("RollingUpdateStrategy:  0 max unavailable, 1 max surge\n"),
        "{text}"
    );
    assert!(!text.contains("OldReplicaSets"), "{text}");
    assert!(
        text.ends_with(
            "Events:
  Type    Reason             Age              From                   Message
  ----    ------             ----             ----                   -------
  Normal  ScalingReplicaSet  2m10s            deployment-controller  Scaled up replica set demoapp-bb799f7cd to 1 from 0
  Normal  ScalingReplicaSet  3s (x5 over 2m)  deployment-controller  Scaled down replica set demoapp-5748b7ccfc to 2 from 3
"
        ),
        "{text}"
    );
}

#[test]
fn describe_service_matches_the_course_transcript() {
    let svc = service(
        "demoapp-svc",
        600,
        "10.101.199.252",
        80,
        &[("app", "demoapp")],
    );
    let eps = endpoints(
        "demoapp-svc",
        600,
        &[
            "10.244.3.73",
            "10.244.4.68",
            "10.244.4.69",
            "10.244.5.59",
            "10.244.5.60",
        ],
        80,
    );
    check(
        describe_service(&svc, Some(&eps), &[], NOW),
        "Name:              demoapp-svc
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          app=demoapp
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                10.101.199.252
IPs:               10.101.199.252
Port:              http  80/TCP
TargetPort:        80/TCP
Endpoints:         10.244.3.73:80,10.244.4.68:80,10.244.4.69:80 + 2 more...
Session Affinity:  None
Events:            <none>
",
    );
}

#[test]
fn describe_service_of_a_node_port_without_endpoints() {
    let mut svc = service("demoapp", 13, "10.98.15.56", 80, &[("app", "demoapp")]);
    svc.spec.type_ = ServiceType::NodePort;
    svc.spec.ports[0].node_port = Some(31009);
    svc.spec.ports[0].name = None;
    check(
        describe_service(&svc, None, &[], NOW),
        "Name:                     demoapp
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=demoapp
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.98.15.56
IPs:                      10.98.15.56
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  31009/TCP
Endpoints:                <none>
Session Affinity:         None
External Traffic Policy:  Cluster
Events:                   <none>
",
    );
}

/// The pod, ReplicaSet, Endpoints and Ingress of a running demoapp, plus a pod being deleted
/// before it ever started.
struct Cluster {
    pod: Pod,
    pod_events: Vec<Event>,
    pending: Pod,
    rs: ReplicaSet,
    eps: Endpoints,
    ing: Ingress,
    svc: Service,
}

fn cluster() -> Cluster {
    let mut pod = running_pod("demoapp-5748b7ccfc-x2kq9", 300, 1, 40);
    rollout_sim::manifest::defaults::admit_pod(&mut pod);
    pod.metadata = owned_by(pod.metadata, "ReplicaSet", "demoapp-5748b7ccfc");
    pod.metadata.labels = labels(&[("app", "demoapp"), ("pod-template-hash", "5748b7ccfc")]);
    pod.status.pod_ip = Some("10.244.1.2".into());
    pod.status.host_ip = Some("10.0.0.11".into());
    pod.status.start_time = ago(300);
    pod.spec.containers[0].readiness_probe = Some(http_probe("/readyz"));
    pod.spec.containers[0].ports = vec![ContainerPort {
        name: Some("http".into()),
        container_port: 80,
    }];
    pod.status.conditions = vec![
        PodCondition {
            type_: PodConditionType::Initialized,
            status: ConditionStatus::True,
            last_transition_time: None,
            reason: None,
            message: None,
        },
        PodCondition {
            type_: PodConditionType::Ready,
            status: ConditionStatus::True,
            last_transition_time: None,
            reason: None,
            message: None,
        },
        PodCondition {
            type_: PodConditionType::ContainersReady,
            status: ConditionStatus::True,
            last_transition_time: None,
            reason: None,
            message: None,
        },
        PodCondition {
            type_: PodConditionType::PodScheduled,
            status: ConditionStatus::True,
            last_transition_time: None,
            reason: None,
            message: None,
        },
    ];
    let pod_events = vec![
        event(
            "Scheduled",
            "Successfully assigned default/demoapp-5748b7ccfc-x2kq9 to k8s-node01",
            "default-scheduler",
            300,
            300,
            1,
        ),
        event(
            "Pulled",
            "Container image \"ikubernetes/demoapp:v1.0\" already present on machine",
            "kubelet",
            299,
            40,
            2,
        ),
    ];
    let mut pending = running_pod("demoapp-bb799f7cd-qqfl6", 2, 0, 0);
    rollout_sim::manifest::defaults::admit_pod(&mut pending);
    pending.status.container_statuses[0].state = ContainerState::Waiting {
        reason: "ContainerCreating".into(),
        message: None,
    };
    pending.status.container_statuses[0].ready = false;
    pending.status.phase = Some(PodPhase::Pending);
    pending.metadata.deletion_timestamp = ago(1);
    let (_, rss) = demoapp_deployment();
    let eps = endpoints("demoapp-svc", 600, &["10.244.3.73", "10.244.4.68"], 80);
    let ing = Ingress {
        metadata: meta("demoapp", 60),
        spec: IngressSpec {
            ingress_class_name: Some("nginx".into()),
            default_backend: None,
            rules: vec![IngressRule {
                host: Some("demoapp.magedu.com".into()),
                http: Some(HttpIngressRuleValue {
                    paths: vec![HttpIngressPath {
                        path: Some("/".into()),
                        path_type: "Prefix".into(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: "demoapp-svc".into(),
                                port: ServiceBackendPort {
                                    name: None,
                                    number: Some(80),
                                },
                            }),
                        },
                    }],
                }),
            }],
        },
        status: IngressStatus {
            load_balancer_ips: vec!["10.0.0.200".into()],
        },
    };
    let svc = service(
        "demoapp-svc",
        600,
        "10.101.199.252",
        80,
        &[("app", "demoapp")],
    );
    Cluster {
        pod,
        pod_events,
        pending,
        rs: rss[1].clone(),
        eps,
        ing,
        svc,
    }
}

#[test]
fn describe_pod_shows_containers_conditions_and_events() {
    let c = cluster();
    check(describe_pod(&c.pod, &c.pod_events, NOW), "Name:             demoapp-5748b7ccfc-x2kq9
Namespace:        default
Priority:         0
Service Account:  default
Node:             k8s-node01/10.0.0.11
Start Time:       Thu, 03 Dec 2026 08:55:00 +0000
Labels:           app=demoapp
                  pod-template-hash=5748b7ccfc
Annotations:      <none>
Status:           Running
IP:               10.244.1.2
IPs:
  IP:           10.244.1.2
Controlled By:  ReplicaSet/demoapp-5748b7ccfc
Containers:
  demoapp:
    Container ID:   containerd://e9136a7e3557d9c30d0c11b2b3bd865017999ada3d1b8455c202093045481a92
    Image:          ikubernetes/demoapp:v1.0
    Image ID:       docker.io/ikubernetes/demoapp@sha256:17f1a796e75337f059a551b538e3926b045e7f08b7f3a3461657b275b76b7a81
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Thu, 03 Dec 2026 08:55:00 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Mon, 01 Jan 0001 00:00:00 +0000
      Finished:     Thu, 03 Dec 2026 08:59:20 +0000
    Ready:          True
    Restart Count:  1
    Readiness:      http-get http://:80/readyz delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type              Status
  Initialized       True\x20
  Ready             True\x20
  ContainersReady   True\x20
  PodScheduled      True\x20
Volumes:            <none>
QoS Class:          BestEffort
Node-Selectors:     <none>
Tolerations:        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                    node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age                  From               Message
  ----    ------     ----                 ----               -------
  Normal  Scheduled  5m                   default-scheduler  Successfully assigned default/demoapp-5748b7ccfc-x2kq9 to k8s-node01
  Normal  Pulled     40s (x2 over 4m59s)  kubelet            Container image \"ikubernetes/demoapp:v1.0\" already present on machine
");
}

#[test]
fn describe_pod_being_deleted_says_how_long_it_has_been_terminating() {
    let c = cluster();
    check(
        describe_pod(&c.pending, &[], NOW),
        "Name:                      demoapp-bb799f7cd-qqfl6
Namespace:                 default
Priority:                  0
Service Account:           default
Node:                      k8s-node01/
Labels:                    <none>
Annotations:               <none>
Status:                    Terminating (lasts 1s)
Termination Grace Period:  30s
IP:\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20
IPs:                       <none>
Containers:
  demoapp:
    Container ID:\x20\x20\x20
    Image:          ikubernetes/demoapp:v1.0
    Image ID:\x20\x20\x20\x20\x20\x20\x20
    Port:           <none>
    Host Port:      <none>
    State:          Waiting
      Reason:       ContainerCreating
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type           Status
  Ready          True\x20
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:          <none>
",
    );
}

#[test]
fn describe_replica_set_counts_its_pods_by_phase() {
    let c = cluster();
    check(
        describe_replica_set(&c.rs, std::slice::from_ref(&c.pod), &[], NOW),
        "Name:           demoapp-5748b7ccfc
Namespace:      default
Selector:       app=demoapp
Labels:         <none>
Annotations:    <none>
Controlled By:  Deployment/demoapp
Replicas:       3 current / 3 desired
Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=demoapp
  Containers:
   demoapp:
    Image:         ikubernetes/demoapp:v1.0
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
",
    );
}

#[test]
fn describe_endpoints_lists_each_subset() {
    let c = cluster();
    check(
        describe_endpoints(&c.eps, &[], NOW),
        "Name:         demoapp-svc
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          10.244.3.73,10.244.4.68
  NotReadyAddresses:  <none>
  Ports:
    Name  Port  Protocol
    ----  ----  --------
    http  80    TCP

Events:  <none>
",
    );
}

#[test]
fn describe_ingress_shows_backends_with_their_endpoints() {
    let c = cluster();
    check(
        describe_ingress(
            &c.ing,
            std::slice::from_ref(&c.svc),
            std::slice::from_ref(&c.eps),
            &[],
            NOW,
        ),
        "Name:             demoapp
Labels:           <none>
Namespace:        default
Address:          10.0.0.200
Ingress Class:    nginx
Default backend:  <default>
Rules:
  Host                Path  Backends
  ----                ----  --------
  demoapp.magedu.com\x20\x20
                      /   demoapp-svc:80 (10.244.3.73:80,10.244.4.68:80)
Annotations:          <none>
Events:               <none>
",
    );
}

#[test]
fn describe_ingress_reports_a_missing_backend_service() {
    let c = cluster();
    let text = describe_ingress(&c.ing, &[], &[], &[], NOW);
    assert!(
        text.contains("/   demoapp-svc:80 (<error: endpoints \"demoapp-svc\" not found>)\n"),
        "{text}"
    );
    let text = describe_ingress(&c.ing, &[], std::slice::from_ref(&c.eps), &[], NOW);
    assert!(
        text.contains("demoapp-svc:80(<error: services \"demoapp-svc\" not found>)\n"),
        "{text}"
    );
}

#[test]
fn rollout_history_lists_revisions_with_a_trailing_space_and_blank_line() {
    let (d, rss) = history_fixture();
    assert_eq!(
        rollout_history(&d, &rss, 0).as_deref(),
        Ok("deployment.apps/deployment-demo \n\
            REVISION  CHANGE-CAUSE\n\
            1         <none>\n\
            2         <none>\n\
            \n")
    );
}

#[test]
fn rollout_history_shows_change_causes() {
    let (d, mut rss) = history_fixture();
    rss[1].metadata.annotations.insert(
        "kubernetes.io/change-cause".into(),
        "kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1".into(),
    );
    assert_eq!(
        rollout_history(&d, &rss, 0).as_deref(),
        Ok("deployment.apps/deployment-demo \n\
            REVISION  CHANGE-CAUSE\n\
            1         <none>\n\
            2         kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1\n\
            \n")
    );
}

#[test]
fn rollout_history_of_one_revision_describes_its_template_with_raw_tabs() {
    let (d, rss) = history_fixture();
    assert_eq!(
        rollout_history(&d, &rss, 1).as_deref(),
        Ok("deployment.apps/deployment-demo with revision #1\n\
            Pod Template:\n\
            \x20 Labels:\tapp=demoapp\n\
            \tpod-template-hash=584777f66f\n\
            \x20 Containers:\n\
            \x20  demoapp:\n\
            \x20   Image:\tikubernetes/demoapp:v1.0\n\
            \x20   Port:\t<none>\n\
            \x20   Host Port:\t<none>\n\
            \x20   Environment:\t<none>\n\
            \x20   Mounts:\t<none>\n\
            \x20 Volumes:\t<none>\n\
            \x20 Node-Selectors:\t<none>\n\
            \x20 Tolerations:\t<none>\n\
            \n")
    );
    assert_eq!(
        rollout_history(&d, &rss, 9).map_err(|e| e.to_string()),
        Err("unable to find the specified revision".to_string())
    );
}

#[test]
fn rollout_history_without_replica_sets_says_so() {
    let (d, _) = history_fixture();
    assert_eq!(
        rollout_history(&d, &[], 0).as_deref(),
        Ok("deployment.apps/deployment-demo \nNo rollout history found.\n")
    );
}

fn history_fixture() -> (
    rollout_sim::objects::Deployment,
    Vec<rollout_sim::objects::ReplicaSet>,
) {
    let d = deployment("deployment-demo", 3600, 4, 4);
    let mut rss = Vec::new();
    for (name, revision) in [
        ("deployment-demo-584777f66f", "1"),
        ("deployment-demo-8dcb44cb", "2"),
    ] {
        let mut rs = replica_set(name, 600, 0, 0, 0);
        rs.metadata = owned_by(rs.metadata, "Deployment", "deployment-demo");
        rs.metadata
            .annotations
            .insert("deployment.kubernetes.io/revision".into(), revision.into());
        rs.spec.template.metadata.labels =
            labels(&[("app", "demoapp"), ("pod-template-hash", "584777f66f")]);
        rss.push(rs);
    }
    (d, rss)
}
