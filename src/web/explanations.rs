//! The plain-words sentences behind events. The simulator attaches an [`Explanation`] (a key
//! and named values) to what its controllers and kubelet do; this table turns it into a
//! sentence in the reader's language. One row per key, one column per language: adding a
//! language is adding a column.

use rollout_sim::objects::Explanation;

/// The languages the page speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// The label of the toggle that switches to this language.
    pub fn label(self) -> &'static str {
        match self {
            Lang::En => "EN",
            Lang::Zh => "中文",
        }
    }
}

/// `(key, English, 中文)`. `{name}` is replaced by the value of that name.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "deployment.create_new",
        "{deployment}'s pod template has no ReplicaSet yet, so the controller created {replica_set} and started it at {to} pod(s). At most {max_total} pods may exist during the rollout: {replicas} replicas + maxSurge {max_surge_spec} (= {max_surge}).",
        "{deployment} 的 Pod 模板还没有对应的 ReplicaSet，控制器创建了 {replica_set}，先启动 {to} 个 Pod。滚动更新期间最多同时存在 {max_total} 个 Pod：副本数 {replicas} + maxSurge {max_surge_spec}（= {max_surge}）。",
    ),
    (
        "deployment.scale_up_new",
        "The new ReplicaSet {replica_set} grows from {from} to {to}: all pods together may not exceed {max_total} = {replicas} replicas + maxSurge {max_surge_spec} (= {max_surge}).",
        "新的 ReplicaSet {replica_set} 从 {from} 扩到 {to}：所有 Pod 合计不能超过 {max_total} = 副本数 {replicas} + maxSurge {max_surge_spec}（= {max_surge}）。",
    ),
    (
        "deployment.scale_down_new",
        "The new ReplicaSet {replica_set} shrinks from {from} to {to} so the total stays within {max_total} pods ({replicas} replicas + maxSurge {max_surge}).",
        "新的 ReplicaSet {replica_set} 从 {from} 缩到 {to}，使总数不超过 {max_total} 个 Pod（副本数 {replicas} + maxSurge {max_surge}）。",
    ),
    (
        "deployment.scale_down_old",
        "The old ReplicaSet {replica_set} shrinks from {from} to {to}: at least {min_available} pods must stay available = {replicas} replicas − maxUnavailable {max_unavailable_spec} (= {max_unavailable}).",
        "旧的 ReplicaSet {replica_set} 从 {from} 缩到 {to}：至少要有 {min_available} 个 Pod 保持可用 = 副本数 {replicas} − maxUnavailable {max_unavailable_spec}（= {max_unavailable}）。",
    ),
    (
        "deployment.proportional",
        "{deployment} now wants {replicas} replicas while several ReplicaSets have pods, so each is resized in proportion to its share: {replica_set} goes from {from} to {to} (up to {max_total} pods in total).",
        "{deployment} 现在期望 {replicas} 个副本，而多个 ReplicaSet 都有 Pod，于是按比例调整：{replica_set} 从 {from} 变为 {to}（合计最多 {max_total} 个 Pod）。",
    ),
    (
        "deployment.recreate_down",
        "Recreate strategy: every old pod goes away before any new one starts, so {replica_set} goes from {from} to {to}.",
        "Recreate 策略：先删除所有旧 Pod，再启动新 Pod，因此 {replica_set} 从 {from} 变为 {to}。",
    ),
    (
        "deployment.recreate_up",
        "Recreate strategy: no old pod is running any more, so {replica_set} starts all of its pods at once ({from} → {to}).",
        "Recreate 策略：旧 Pod 已全部停止，{replica_set} 一次启动全部 Pod（{from} → {to}）。",
    ),
    (
        "replicaset.create",
        "{replica_set} wants {desired} pod(s) and has {active}, so it creates a pod.",
        "{replica_set} 期望 {desired} 个 Pod，现有 {active} 个，于是创建一个 Pod。",
    ),
    (
        "replicaset.delete",
        "{replica_set} wants {desired} pod(s) but has {active}, so it deletes one — pods that are not ready, or newer, go first.",
        "{replica_set} 期望 {desired} 个 Pod，却有 {active} 个，于是删除一个——未就绪的、较新的 Pod 先被删除。",
    ),
    (
        "kubelet.readiness_failed",
        "The readiness probe failed {failures} times in a row (failureThreshold is {threshold}). A pod that is not ready gets no traffic from its Services.",
        "就绪探针失败（连续 {failures} 次，阈值 {threshold}）。未就绪的 Pod 不会收到 Service 的流量。",
    ),
    (
        "kubelet.readiness_lost",
        "The readiness probe failed {threshold} times in a row: the pod is now not ready and leaves its Services' endpoints, so it gets no more traffic.",
        "就绪探针连续失败 {threshold} 次：Pod 变为未就绪，并从 Service 的端点中移除，不再接收流量。",
    ),
    (
        "kubelet.liveness_failed",
        "The liveness probe failed {failures} times in a row (failureThreshold is {threshold}). At {threshold} the kubelet restarts the container.",
        "存活探针失败（连续 {failures} 次，阈值 {threshold}）。达到 {threshold} 次时 kubelet 会重启容器。",
    ),
    (
        "kubelet.liveness_restart",
        "The liveness probe failed {threshold} times in a row, so the kubelet kills the container and starts it again (RESTARTS goes up by one).",
        "存活探针连续失败 {threshold} 次，kubelet 杀掉容器并重新启动（RESTARTS 加一）。",
    ),
    (
        "kubelet.crash_loop",
        "The container keeps exiting. The kubelet waits {seconds}s before starting it again, doubling the wait each time up to 5 minutes: CrashLoopBackOff.",
        "容器反复退出。kubelet 等待 {seconds} 秒后再启动它，每次等待时间翻倍，最长 5 分钟：CrashLoopBackOff。",
    ),
    (
        "kubelet.image_not_found",
        "The image {image} cannot be pulled (it does not exist), so the container cannot start: ErrImagePull. Fix the image or roll back.",
        "无法拉取镜像 {image}（镜像不存在），容器无法启动：ErrImagePull。请修正镜像或回滚。",
    ),
    (
        "kubelet.image_pull_back_off",
        "The kubelet tries to pull the image again in {seconds}s, doubling the wait each time: ImagePullBackOff.",
        "kubelet 将在 {seconds} 秒后重新拉取镜像，每次等待时间翻倍：ImagePullBackOff。",
    ),
];

/// The sentence for `explanation` in `lang`, or `None` for a key this table does not know.
pub fn render(explanation: &Explanation, lang: Lang) -> Option<String> {
    let (_, en, zh) = TEMPLATES
        .iter()
        .find(|(key, _, _)| *key == explanation.key)?;
    let template = match lang {
        Lang::En => en,
        Lang::Zh => zh,
    };
    Some(fill(template, explanation))
}

/// Replaces each `{name}` by its value; a name without a value stays visible as `{name}`.
fn fill(template: &str, explanation: &Explanation) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match explanation.values.get(name) {
                    Some(value) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every key the table knows (tests check the simulator's keys are all here).
pub fn keys() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|(key, _, _)| *key)
}
