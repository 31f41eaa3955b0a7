//! The page's own words in every language it speaks: one row per text, one column per
//! language (like [`super::explanations`]). kubectl's output is never translated.

use super::explanations::Lang;

/// `(key, English, 中文)`.
const TEXTS: &[(&str, &str, &str)] = &[
    ("tagline", "Watch Kubernetes release software", "观察 Kubernetes 如何发布软件"),
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
    ("lesson.sandbox.hint", "An empty cluster: type kubectl commands in the terminal, or create a file in the editor.", "一个空集群：在终端中输入 kubectl 命令，或在编辑器中新建文件。"),
    ("lesson.complete", "All steps done!", "所有步骤已完成！"),
    ("share", "Share", "分享"),
    ("share.title", "A link that replays this session (nothing leaves the browser)", "可重现本次操作的链接（数据不会离开浏览器）"),
    ("share.copied", "Copy this link:", "复制这个链接："),
    ("export", "Export", "导出"),
    ("export.title", "Download the session as a shell script for a real cluster (kind, minikube)", "把本次操作下载为可在真实集群（kind、minikube）中运行的 shell 脚本"),
    ("save.corrupt", "Your saved work could not be read, so it was set aside (kept in localStorage as {key}). The lab started fresh.", "无法读取保存的操作，已将其移到一旁（保存在 localStorage 的 {key} 中）。实验室已重新开始。"),
    ("save.old", "Your saved work is from an older version, so it was set aside (kept in localStorage as {key}). The lab started fresh.", "保存的操作来自旧版本，已将其移到一旁（保存在 localStorage 的 {key} 中）。实验室已重新开始。"),
    ("share.bad", "The shared link could not be read; the lab started fresh.", "无法读取分享的链接，实验室已重新开始。"),
    ("dismiss", "Dismiss", "关闭"),
    ("clock.play", "Play", "播放"),
    ("clock.pause", "Pause", "暂停"),
    ("clock.speed", "Speed", "速度"),
    ("clock.step1", "Forward 1 second", "前进 1 秒"),
    ("clock.step10", "Forward 10 seconds", "前进 10 秒"),
    ("clock.since", "Virtual time since the lab started", "实验开始以来的虚拟时间"),
    ("timeline", "Timeline", "时间线"),
    ("timeline.live", "live", "实时"),
    ("timeline.rewound", "rewound to t = {s} s: play, step or type to go on from here", "已回到 t = {s} 秒：播放、步进或输入命令即从这里继续"),
    ("timeline.snapshots", "{n} snapshots", "{n} 个快照"),
    ("terminal", "Terminal", "终端"),
    ("cluster", "Cluster", "集群"),
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
