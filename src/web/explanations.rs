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
    (
        "rollout.paused",
        "{rollout} reached step {step}/{steps}, a pause without a duration: the canary keeps weight {weight}% and nothing moves until someone promotes it (kubectl argo rollouts promote {rollout}).",
        "{rollout} 到达第 {step}/{steps} 步：一个没有时长的暂停。金丝雀保持 {weight}% 的权重，直到有人推进它（kubectl argo rollouts promote {rollout}）之前不会有任何变化。",
    ),
    (
        "rollout.paused_timed",
        "{rollout} reached step {step}/{steps}, a pause of {seconds}s: the canary keeps weight {weight}% for {seconds} seconds, then the rollout goes on by itself (or at once, on a promote).",
        "{rollout} 到达第 {step}/{steps} 步：暂停 {seconds} 秒。金丝雀在这 {seconds} 秒内保持 {weight}% 的权重，之后发布自动继续（执行 promote 则立即继续）。",
    ),
    (
        "rollout.bluegreen_paused",
        "The new version runs in {preview}: the preview Service {preview_service} sends to it, while the active Service {active_service} still sends every user to {active}. autoPromotionEnabled is false, so the switch waits for a promote.",
        "新版本运行在 {preview} 中：预览 Service {preview_service} 指向它，而活动 Service {active_service} 仍把所有用户发往 {active}。autoPromotionEnabled 为 false，所以切换要等待 promote。",
    ),
    (
        "rollout.bluegreen_paused_timed",
        "The new version runs in {preview}: the preview Service {preview_service} sends to it, while the active Service {active_service} still sends every user to {active}. After autoPromotionSeconds ({seconds}s) the active Service switches by itself.",
        "新版本运行在 {preview} 中：预览 Service {preview_service} 指向它，而活动 Service {active_service} 仍把所有用户发往 {active}。autoPromotionSeconds（{seconds} 秒）之后活动 Service 会自动切换。",
    ),
    (
        "rollout.step_weight",
        "Step {step}/{steps} (setWeight {weight}%) is done: the canary {canary} has {canary_pods} available pod(s) and the stable {stable_pods}, {pods} in all — the split this weight asks for. So the rollout moves to the next step.",
        "第 {step}/{steps} 步（setWeight {weight}%）已完成：金丝雀 {canary} 有 {canary_pods} 个可用 Pod，稳定版有 {stable_pods} 个，共 {pods} 个——正是这个权重要求的比例。于是发布进入下一步。",
    ),
    (
        "rollout.step_pause_over",
        "The {seconds}s pause of step {step}/{steps} is over, so the rollout moves to the next step by itself.",
        "第 {step}/{steps} 步的 {seconds} 秒暂停已结束，发布自动进入下一步。",
    ),
    (
        "rollout.step_promoted",
        "{rollout} was promoted (its pause condition was cleared), so step {step}/{steps} counts as done and the rollout moves to the next step.",
        "{rollout} 被推进（暂停条件已清除），因此第 {step}/{steps} 步算作完成，发布进入下一步。",
    ),
    (
        "rollout.step_done",
        "Step {step}/{steps} ({what}) is done, so the rollout moves to the next step.",
        "第 {step}/{steps} 步（{what}）已完成，发布进入下一步。",
    ),
    (
        "rollout.aborted",
        "{rollout} was aborted: all traffic goes back to the stable ReplicaSet {stable}, and the canary {canary} is scaled down to 0 (with a traffic router, after abortScaleDownDelaySeconds). The Rollout stays Degraded until it is retried or its template changes.",
        "{rollout} 已中止：所有流量回到稳定版 ReplicaSet {stable}，金丝雀 {canary} 缩容到 0（使用流量路由时，在 abortScaleDownDelaySeconds 之后）。在重试或修改模板之前，Rollout 一直处于 Degraded 状态。",
    ),
    (
        "rollout.bluegreen_aborted",
        "{rollout} was aborted: the active Service stays on (or goes back to) {stable}, so every user gets the stable version; the new ReplicaSet {canary} keeps only the preview Service and is scaled down after abortScaleDownDelaySeconds (30s unless set). The Rollout stays Degraded until it is retried or its template changes.",
        "{rollout} 已中止：活动 Service 保持（或回到）指向 {stable}，所有用户都访问稳定版本；新的 ReplicaSet {canary} 只剩预览 Service 指向它，并在 abortScaleDownDelaySeconds（未设置时为 30 秒）之后缩容。在重试或修改模板之前，Rollout 一直处于 Degraded 状态。",
    ),
    (
        "rollout.first_stable",
        "First deploy of {rollout}: there is no stable version yet, so {replica_set} becomes the stable ReplicaSet at once, without going through the steps.",
        "{rollout} 的首次部署：还没有稳定版本，所以 {replica_set} 直接成为稳定 ReplicaSet，不经过各个步骤。",
    ),
    (
        "rollout.promoted",
        "{rollout} is fully promoted: {replica_set} is now the stable ReplicaSet ({pods} available pods) in place of {old}, so the stable side of the traffic goes to the new pods, and {old} is scaled down.",
        "{rollout} 已完全推进：{replica_set} 现在是稳定 ReplicaSet（{pods} 个可用 Pod），取代 {old}，因此稳定一侧的流量流向新的 Pod，{old} 被缩容。",
    ),
    (
        "rollout.bluegreen_promoted",
        "{rollout} is promoted: the active Service now sends every user to {replica_set}, the new stable ReplicaSet, in place of {old}. {old} stays up for scaleDownDelaySeconds, then is scaled down.",
        "{rollout} 已推进：活动 Service 现在把所有用户发往新的稳定 ReplicaSet {replica_set}，取代 {old}。{old} 在 scaleDownDelaySeconds 之后才缩容。",
    ),
    (
        "rollout.switch_service",
        "The Service {service} now selects only pods labelled rollouts-pod-template-hash={hash}: its traffic goes to {replica_set}.",
        "Service {service} 现在只选择带有标签 rollouts-pod-template-hash={hash} 的 Pod：它的流量流向 {replica_set}。",
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
