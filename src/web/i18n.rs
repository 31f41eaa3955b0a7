//! The page's own words in every language it speaks: one row per text, one column per
//! language (like [`super::explanations`]). kubectl's output is never translated.

use super::explanations::Lang;

/// `(key, English, 中文)`.
const TEXTS: &[(&str, &str, &str)] = &[
    ("tagline", "See how Kubernetes rolls out software", "观察 Kubernetes 如何发布软件"),
    ("lang.title", "Language", "语言"),
    ("theme.title", "Light or dark", "浅色或深色"),
    ("lesson.label", "Lesson", "课程"),
    ("lesson.sandbox", "Sandbox (empty cluster)", "沙盒（空集群）"),
    ("lesson.steps", "Steps", "步骤"),
    ("lesson.step", "Step", "步骤"),
    ("lesson.done", "done", "已完成"),
    ("lesson.todo", "not yet", "未完成"),
    ("lesson.run", "Run in the terminal", "在终端中运行"),
    ("lesson.reset", "Reset lesson", "重置课程"),
    ("lesson.reset.confirm", "Discard your work in this lesson and start it again?", "放弃本课程中的所有操作并重新开始？"),
    ("lesson.switch.confirm", "Discard your current work and open another lesson?", "放弃当前的操作并打开另一个课程？"),
    ("lesson.sandbox.hint", "An empty cluster: type kubectl commands in the terminal, or create a file in the editor. `help` lists the shell's builtins, `lab-help` what this lab can do.", "一个空集群：在终端中输入 kubectl 命令，或在编辑器中新建文件。`help` 列出 shell 的内置命令，`lab-help` 列出这个实验室能做的一切。"),
    ("lesson.complete", "All steps done!", "所有步骤已完成！"),
    ("lesson.hint", "Show a hint", "显示提示"),
    ("author.title", "Author mode: the lesson file", "作者模式：课程文件"),
    ("author.no_file", "This lesson has no file the page can read again: write or paste one here.", "该课程没有可重新读取的文件：请在此编写或粘贴。"),
    ("author.text", "The lesson file (Ctrl+S checks and reloads it)", "课程文件（Ctrl+S 检查并重新加载）"),
    ("author.apply", "Check and reload", "检查并重新加载"),
    ("author.watch", "Reload when the file changes", "文件变化时重新加载"),
    ("author.invalid", "Not reloaded: {n} problem(s) in the file.", "未重新加载：文件中有 {n} 个问题。"),
    ("author.reloaded", "Reloaded {id}: {n} steps, started again at the step reached.", "已重新加载 {id}：共 {n} 步，从已到达的步骤重新开始。"),
    ("author.checks", "Every step's checks, now", "各步骤的检查（当前状态）"),
    ("author.holds", "holds", "成立"),
    ("share", "Share", "分享"),
    ("share.title", "A link that replays this session (nothing leaves the browser)", "可重现本次操作的链接（数据不会离开浏览器）"),
    ("share.copying", "Copying the link…", "正在复制链接……"),
    ("share.copied", "Link copied to the clipboard:", "链接已复制到剪贴板："),
    ("share.refused", "The browser did not let the page copy the link. Select it and copy it yourself:", "浏览器不允许页面复制链接，请选中后自行复制："),
    ("share.url", "Link that replays this session", "可重现本次操作的链接"),
    ("export", "Export", "导出"),
    ("export.title", "Download the session as a shell script for a real cluster (kind, minikube)", "把本次操作下载为可在真实集群（kind、minikube）中运行的 shell 脚本"),
    ("save.corrupt", "Your saved work could not be read, so it was set aside (kept in localStorage as {key}). The lab started fresh.", "无法读取保存的操作，已将其移到一旁（保存在 localStorage 的 {key} 中）。实验室已重新开始。"),
    ("save.old", "Your saved work is from an older version, so it was set aside (kept in localStorage as {key}). The lab started fresh.", "保存的操作来自旧版本，已将其移到一旁（保存在 localStorage 的 {key} 中）。实验室已重新开始。"),
    ("share.bad", "The shared link could not be read; the lab started fresh.", "无法读取分享的链接，实验室已重新开始。"),
    ("dismiss", "Dismiss", "关闭"),
    ("clock", "Clock", "时钟"),
    ("clock.play", "Play", "播放"),
    ("clock.pause", "Pause", "暂停"),
    ("clock.speed", "Speed", "速度"),
    ("clock.lagging", "slower", "变慢"),
    ("clock.lagging.title", "The cluster is too big to simulate at this speed: the clock runs slower so the page stays responsive", "集群太大，无法以此速度模拟：时钟变慢以保持页面响应"),
    ("clock.step1", "Forward 1 second", "前进 1 秒"),
    ("clock.step10", "Forward 10 seconds", "前进 10 秒"),
    ("clock.since", "Virtual time since the lab started", "实验开始以来的虚拟时间"),
    ("clock.by1", "+1 s", "+1 秒"),
    ("clock.by10", "+10 s", "+10 秒"),
    ("clock.unit", "s", "秒"),
    ("embed.views", "What the panel above the terminal shows", "终端上方的面板显示什么"),
    ("embed.editor", "Editor", "编辑器"),
    ("timeline", "Timeline", "时间线"),
    ("timeline.live", "live", "实时"),
    ("timeline.rewound", "rewound to t = {s} s", "已回到 t = {s} 秒"),
    ("timeline.rewound.title", "Play, step or type to go on from this moment; what came after it is then discarded", "播放、步进或输入命令即从这一刻继续，之后发生的一切将被丢弃"),
    ("timeline.snapshots", "{n} snapshots", "{n} 个快照"),
    ("terminal", "Terminal", "终端"),
    ("layout.maximise", "Maximise: {panel} (Escape restores)", "最大化：{panel}（按 Esc 还原）"),
    ("layout.restore", "Restore the layout: {panel}", "还原布局：{panel}"),
    ("layout.split.lesson", "Resize the lesson column (arrow keys, Enter resets)", "调整课程栏宽度（方向键；回车恢复默认）"),
    ("layout.split.left", "Resize the editor and events column (arrow keys, Enter resets)", "调整编辑器和事件栏宽度（方向键；回车恢复默认）"),
    ("layout.split.top", "Resize the terminal's height (arrow keys, Enter resets)", "调整终端高度（方向键；回车恢复默认）"),
    ("terminal.input", "Shell command", "Shell 命令"),
    ("terminal.running", "running — Ctrl-C to stop", "运行中 — 按 Ctrl-C 停止"),
    ("terminal.starting", "starting the cluster…", "正在启动集群…"),
    ("terminal.queued", "{n} queued", "{n} 条命令排队中"),
    ("terminal.speed_up", "Waiting? Speed the clock up to {x}×", "在等待？把时钟加速到 {x}×"),
    ("terminal.play", "The clock is paused: ▶ play", "时钟已暂停：▶ 播放"),
    ("terminal.editing", "vim has {file} open in the editor: :wq saves and closes, :q! closes without saving, Ctrl-C here gives up. Lines typed meanwhile run after it closes.", "vim 正在编辑器中打开 {file}：:wq 保存并关闭，:q! 不保存直接关闭，在这里按 Ctrl-C 放弃编辑。其间输入的命令会在编辑器关闭后运行。"),
    ("terminal.show_editor", "Show the editor", "显示编辑器"),
    ("terminal.rewound", "Rewound to t = {s} s. Typing here (or play, step) goes on from this moment and discards everything after it.", "已回到 t = {s} 秒。在这里输入命令（或播放、步进）会从这一刻继续，并丢弃之后发生的一切。"),
    ("welcome.title", "Welcome to Rollout Lab: a Kubernetes cluster of three nodes, in your browser. Nothing you do here can break anything.", "欢迎来到 Rollout Lab：浏览器里的一个三节点 Kubernetes 集群。在这里怎么操作都不会弄坏任何东西。"),
    ("welcome.try", "Click a command to run it (or type your own at the prompt below):", "点击命令即可运行（也可以在下面的提示符后自己输入）："),
    ("welcome.help", " lists the shell's builtins; ", " 列出 shell 的内置命令；"),
    ("welcome.lab_help", " lists what this lab can do.", " 列出这个实验室能做的一切。"),
    ("welcome.lesson", "New to releases on Kubernetes? Start with the first lesson:", "第一次接触 Kubernetes 的发布？从第一课开始："),
    ("lesson.queued", "queued", "排队中"),
    ("lesson.running", "running", "运行中"),
    ("editor", "Manifest editor", "清单编辑器"),
    ("editor.files", "Files", "文件"),
    ("editor.new", "New file", "新建文件"),
    ("editor.new.name", "New file name", "新文件名"),
    ("editor.new.placeholder", "new-file.yaml", "新文件名.yaml"),
    ("editor.apply", "Apply", "应用"),
    ("editor.stale", "{file} was written before the cluster changed: applying it sets these fields back to what the file says (kubectl apply makes the live object match the file).", "{file} 写于集群变化之前：应用它会把这些字段改回文件中的值（kubectl apply 会让集群中的对象与文件一致）。"),
    ("editor.stale.live", "in the cluster now", "集群中的当前值"),
    ("editor.stale.file", "in the file", "文件中的值"),
    ("editor.stale.apply", "Apply anyway", "仍然应用"),
    ("editor.stale.cancel", "Cancel", "取消"),
    ("editor.apply.title", "Run kubectl apply -f with this file in the terminal", "在终端中对这个文件执行 kubectl apply -f"),
    ("editor.save", "Save and close (:wq)", "保存并关闭（:wq）"),
    ("editor.quit", "Close without saving (:q!)", "不保存直接关闭（:q!）"),
    ("editor.contents", "File contents", "文件内容"),
    ("editor.placeholder", "Create a file with + and paste a manifest here", "用 + 新建文件，然后把清单粘贴到这里"),
    ("editor.problems", "Problems kubectl apply would report", "kubectl apply 会报告的问题"),
    ("editor.line", "line {n}", "第 {n} 行"),
    ("editor.whole_file", "file", "整个文件"),
    ("editor.in_document", "kubectl counts from this document's first line, line {start}: its line {said} is line {line} of the file", "kubectl 从本文档的第一行（第 {start} 行）起计行号：它说的第 {said} 行就是文件的第 {line} 行"),
    ("cluster", "Cluster", "集群"),
    ("cluster.state.ready", "ready", "就绪"),
    ("cluster.state.not_ready", "running, not ready", "运行中但未就绪"),
    ("cluster.state.starting", "starting", "启动中"),
    ("cluster.state.failing", "failing", "失败"),
    ("cluster.state.terminating", "terminating", "终止中"),
    ("cluster.state.done", "completed", "已完成"),
    ("cluster.grid.label", "{n} pods: {counts}. Arrow keys show one pod's card.", "{n} 个 Pod：{counts}。用方向键查看单个 Pod 的卡片。"),
    ("cluster.replicas", "{strategy} · {n} replicas", "{strategy} · {n} 个副本"),
    ("cluster.paused", "PAUSED", "已暂停"),
    (
        "cluster.hpa",
        "HPA {name}: {metrics} · {min}–{max} replicas, wants {desired}",
        "HPA {name}：{metrics} · {min}–{max} 个副本，期望 {desired}",
    ),
    ("cluster.progress", "updated / available, of the desired replicas", "已更新 / 可用的副本数（占期望副本数）"),
    ("cluster.updated", "updated {n}/{of}", "已更新 {n}/{of}"),
    ("cluster.available", "available {n}/{of}", "可用 {n}/{of}"),
    ("cluster.revision", "rev {n}", "版本 {n}"),
    ("cluster.counts.title", "desired / current / ready", "期望 / 当前 / 就绪"),
    ("cluster.counts", "desired {desired} · current {current} · ready {ready}", "期望 {desired} · 当前 {current} · 就绪 {ready}"),
    ("cluster.pod.title", "{name}\n{version} · {phase}\nnode {node} · ip {ip} · restarts {restarts}", "{name}\n{version} · {phase}\n节点 {node} · IP {ip} · 重启 {restarts} 次"),
    ("cluster.endpoints", "{n} endpoints", "{n} 个端点"),
    ("cluster.image_tag", "image tag of its pods' template", "其 Pod 模板的镜像标签"),
    ("cluster.pod.not_ready", "not ready", "未就绪"),
    ("cluster.not_ready", "not ready: gets no traffic", "未就绪：不接收流量"),
    ("cluster.canary", "canary {w}%", "金丝雀 {w}%"),
    ("cluster.gateway.no_address", "no address yet", "尚无地址"),
    ("cluster.gateway.weight", "weight {w} · {p}%", "权重 {w} · {p}%"),
    ("cluster.gateway.mirror", "mirrored copies · answers dropped", "镜像副本 · 响应被丢弃"),
    ("cluster.gateway.every", "every request", "所有请求"),
    ("cluster.gateway.matches", "when {m}", "匹配 {m} 时"),
    ("cluster.group", "Group pods by", "Pod 分组方式"),
    ("cluster.group.rs", "By ReplicaSet", "按 ReplicaSet"),
    ("cluster.group.node", "By node", "按节点"),
    ("cluster.unscheduled", "Not scheduled yet", "尚未调度"),
    ("cluster.pods", "{n} pods", "{n} 个 Pod"),
    ("cluster.pod", "1 pod", "1 个 Pod"),
    ("cluster.node.room", "CPU {cpu} of {alloc} requested · {pods}/{max} pods", "已请求 CPU {cpu}/{alloc} · Pod {pods}/{max}"),
    ("cluster.node.room.title", "What the pods bound here request, against what the node can allocate: the scheduler places a pod only where its requests fit.", "绑定到此节点的 Pod 所请求的资源与节点可分配资源之比：调度器只把 Pod 放到放得下其请求的节点上。"),
    ("cluster.node.down", "cut off", "已断开"),
    ("cluster.node.down.title", "The lab failed this node: its kubelet stopped reporting and its pods answer nothing. The control plane notices after about 40 s.", "实验室让此节点发生了故障：kubelet 不再上报，其上的 Pod 不再应答。控制平面约 40 秒后才会察觉。"),
    ("cluster.node.fail", "Fail node", "使节点故障"),
    ("cluster.node.recover", "Recover node", "恢复节点"),
    ("rollout.replicas", "{strategy} · {n} replicas", "{strategy} · {n} 个副本"),
    ("rollout.status.title", "Status as kubectl argo rollouts get rollout shows it", "kubectl argo rollouts get rollout 显示的状态"),
    ("rollout.step", "step {step}", "第 {step} 步"),
    ("rollout.set_weight", "set weight {w}%", "设定权重 {w}%"),
    ("rollout.actual_weight", "actual weight {w}%", "实际权重 {w}%"),
    ("rollout.weights.title", "Set weight: what the current step asks for. Actual weight: what the canary gets — the router's weight, or the canary's share of the available pods.", "设定权重：当前步骤要求的权重。实际权重：金丝雀实际得到的流量——路由器上的权重，或金丝雀在可用 Pod 中所占的比例。"),
    ("rollout.steps", "Canary steps", "金丝雀步骤"),
    ("rollout.step.done", "done", "已完成"),
    ("rollout.step.current", "current step", "当前步骤"),
    ("rollout.step.pending", "not yet", "未开始"),
    ("rollout.pause.left", "resumes in {s}s", "{s} 秒后继续"),
    ("rollout.pause.promote", "waits for Promote", "等待 Promote"),
    ("rollout.actions", "Rollout commands (typed into the terminal)", "Rollout 命令（输入到终端中）"),
    ("rollout.promote", "Promote", "推进"),
    ("rollout.abort", "Abort", "中止"),
    ("rollout.retry", "Retry", "重试"),
    ("rollout.command.title", "Run “{command}” in the terminal", "在终端中运行“{command}”"),
    ("rollout.routes", "Where traffic goes", "流量去向"),
    ("rollout.route.all", "every pod of the Rollout", "Rollout 的所有 Pod"),
    ("rollout.route.weight", "weight {w}%", "权重 {w}%"),
    ("rollout.analysis", "AnalysisRuns", "AnalysisRun 列表"),
    ("rollout.why", "Why", "原因"),
    ("traffic.rollout_weight", "{rollout}: step asks {w}%", "{rollout}：当前步骤要求 {w}%"),
    ("traffic.rollout_weight.title", "The canary weight the Rollout's current step asks for; the shares beside it are what curl actually measured", "Rollout 当前步骤要求的金丝雀权重；旁边的比例是 curl 实际测得的"),
    ("traffic", "Traffic", "流量"),
    ("traffic.send", "▶ send traffic", "▶ 发送流量"),
    ("traffic.stop", "■ stop traffic", "■ 停止发送"),
    ("traffic.send.title", "A client sends one request every virtual second", "一个客户端每个虚拟秒发送一个请求"),
    ("traffic.target", "Where the client sends its requests", "客户端把请求发往哪里"),
    ("traffic.auto", "first Service with endpoints", "第一个有端点的 Service"),
    ("traffic.auto.now", "auto: {target}", "自动：{target}"),
    ("traffic.nowhere", "no Service to send to yet", "还没有可以接收请求的 Service"),
    ("traffic.share.title", "{n} of the last {of} answers", "最近 {of} 个响应中的 {n} 个"),
    ("traffic.weight", "canary weight {w}%", "金丝雀权重 {w}%"),
    ("traffic.backends", "Gateway backends: configured weight and measured share", "Gateway 后端：配置的权重与实测占比"),
    ("traffic.backends.service", "backend", "后端"),
    ("traffic.backends.weight", "weight", "权重"),
    ("traffic.backends.measured", "measured", "实测"),
    ("traffic.chart", "Share of answers per version over the last two minutes", "最近两分钟内各版本响应所占的比例"),
    ("traffic.axis.from", "−2 min", "−2 分钟"),
    ("traffic.axis.first", "request 1 (a burst: by request order)", "第 1 个请求（突发：按请求顺序）"),
    ("traffic.axis.last", "request {n}", "第 {n} 个请求"),
    ("traffic.axis.now", "now", "现在"),
    ("traffic.answers", "Answers, newest first", "响应，最新的在最上面"),
    ("traffic.hint", "Press “send traffic” once a Service has ready pods: every answer shows here, coloured by the version that served it.", "等 Service 有了就绪的 Pod 后点击“发送流量”：每个响应都会显示在这里，颜色表示处理它的版本。"),
    ("traffic.hint.service", "Press “send traffic”, or send {target} one request yourself. The lab machine is a node, and like a real node it cannot resolve Service names, so ask from a client pod (click to run it):", "点击“发送流量”，或者自己向 {target} 发一个请求。实验机器是一个节点，和真实集群的节点一样无法解析 Service 名称，所以要从一个客户端 Pod 里发请求（点击即可运行）："),
    ("traffic.hint.ingress", "Press “send traffic”, or send {target} one request yourself from the lab machine (click to run it):", "点击“发送流量”，或者自己从实验机器向 {target} 发一个请求（点击即可运行）："),
    ("traffic.hint.after", "Every answer shows here, coloured by the version that served it.", "每个响应都会显示在这里，颜色表示处理它的版本。"),
    ("cluster.starting", "Starting the cluster: its nodes and controllers arrive in a moment. You can read the lesson, edit files and type commands meanwhile.", "正在启动集群：节点和控制器马上就到。在此期间可以阅读课程、编辑文件、输入命令。"),
    ("cluster.empty.before", "Nothing runs yet. Apply a Deployment (editor above, or ", "还没有运行任何东西。应用一个 Deployment（使用上方的编辑器，或 "),
    ("cluster.empty.after", ") and watch its pods appear here.", "），然后在这里观察它的 Pod 出现。"),
    ("events", "Events", "事件"),
    ("events.show", "Show the cluster at this moment", "显示集群在这一时刻的状态"),
];

/// The text for `key` in `lang`; an unknown key shows itself, so a missing row is visible.
pub fn t(key: &'static str, lang: Lang) -> &'static str {
    match TEXTS.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, zh)) => match lang {
            Lang::En => en,
            Lang::Zh => zh,
        },
        None => key,
    }
}

/// The text for `key` in `lang` with each `{name}` replaced by its value.
pub fn tf(key: &'static str, lang: Lang, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    values
        .iter()
        .fold(t(key, lang).to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), &value.to_string())
        })
}

/// Every key (tests check both columns are filled).
pub fn keys() -> impl Iterator<Item = &'static str> {
    TEXTS.iter().map(|(key, _, _)| *key)
}

/// The lesson crate's language for `lang`.
pub fn lesson_lang(lang: Lang) -> rollout_kubectl::lesson::Lang {
    match lang {
        Lang::En => rollout_kubectl::lesson::Lang::En,
        Lang::Zh => rollout_kubectl::lesson::Lang::Zh,
    }
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// `zh`, `zh-CN`, `zh-Hant` … are Chinese; everything else is English.
pub fn parse_lang(code: &str) -> Option<Lang> {
    let code = code.trim().to_ascii_lowercase();
    if code.starts_with("zh") {
        Some(Lang::Zh)
    } else if code.starts_with("en") {
        Some(Lang::En)
    } else {
        None
    }
}
