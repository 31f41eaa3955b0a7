//! `kubectl diff -f FILE` (kubectl 1.30's `pkg/cmd/diff`): each object's live version and the
//! version applying it would store (a server-side dry run of `apply`), written as YAML without
//! `managedFields` to `/tmp/LIVE-N/` and `/tmp/MERGED-M/` under `GROUP.VERSION.KIND.NAMESPACE.NAME`,
//! then compared by `diff -u -N`, whose output and status kubectl passes on: 0 when nothing
//! differs, 1 when something does, and above 1 for an error (kubectl's own errors exit 2).

use super::apply::{dry_run_apply, sources};
use super::documents::{raw_document, raw_documents};
use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use rollout_sim::api::Verb;
use rollout_sim::clock::Time;
use rollout_sim::manifest::encode::to_yaml;
use rollout_sim::manifest::parse_manifests_for;
use rollout_sim::objects::Object;

const FLAGS: &[args::Flag] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    boolean("server-side", None),
    value("field-manager", None),
    boolean("force-conflicts", None),
    boolean("show-managed-fields", None),
    value("selector", Some('l')),
    boolean("prune", None),
    value("concurrency", None),
];

/// kubectl's own failures exit 2 in `diff` (`cmdutil.CheckDiffErr`), so 1 keeps meaning
/// "differences found".
fn failed(error: KubectlError) -> KubectlError {
    match error {
        KubectlError::Exit { text, status } => KubectlError::Exit { text, status },
        KubectlError::Silent => KubectlError::Exit {
            text: String::new(),
            status: 2,
        },
        other => {
            let mut text = other.to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            KubectlError::Exit { text, status: 2 }
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    // In the page, the text tools' module (which holds diff's hunks) loaded before the line
    // ran; without it, nothing is dry-run.
    let Some(tools) = crate::shell::tools::text_tools() else {
        return Err(failed(KubectlError::plain(
            crate::shell::tools::not_loaded("kubectl diff"),
        )));
    };
    let args = args::parse("kubectl diff", argv, FLAGS).map_err(failed)?;
    if args.values("filename").is_empty() {
        return Err(failed(KubectlError::plain("must specify one of -f and -k")));
    }
    let namespace = args.namespace().to_string();
    let mut files: Vec<(String, String, String)> = Vec::new();
    for source in sources(ctx, &args, "kubectl diff").map_err(failed)? {
        let raws = raw_documents(&source.text);
        let cluster = &*ctx.cluster;
        let served = |kind| cluster.serves(kind);
        for parsed in parse_manifests_for(&source.text, &source.name, &served) {
            let object =
                parsed.map_err(|e| failed(KubectlError::Server(e.message(Verb::Creating))))?;
            let raw = raw_document(&raws, &object);
            let (live, merged) = dry_run_apply(cluster, object, raw, &namespace, &source.name)
                .map_err(|message| failed(KubectlError::Server(message)))?;
            let info = merged.kind().info();
            let (group, version) = match info.api_version.split_once('/') {
                Some((group, version)) => (format!("{group}."), version),
                None => (String::new(), info.api_version),
            };
            let meta = merged.metadata();
            let name = format!(
                "{group}{version}.{}.{}.{}",
                info.name, meta.namespace, meta.name
            );
            let text = |o: &Object| to_yaml(o);
            files.push((
                name,
                live.as_ref().map(text).unwrap_or_default(),
                text(&merged),
            ));
        }
    }
    files.sort();
    // os.MkdirTemp's names: the prefix, a dash and a random number.
    let mut random =
        || u32::from(ctx.cluster.random_u16()) << 16 | u32::from(ctx.cluster.random_u16());
    let (from, to) = (
        format!("/tmp/LIVE-{}", random()),
        format!("/tmp/MERGED-{}", random()),
    );
    let stamp = file_time(ctx.cluster.now());
    let mut out = String::new();
    for (name, live, merged) in &files {
        let hunks = tools.unified(live, merged);
        if hunks.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "diff -u -N {from}/{name} {to}/{name}\n--- {from}/{name}\t{stamp}\n+++ {to}/{name}\t{stamp}\n{hunks}"
        ));
    }
    if out.is_empty() {
        return Ok(Flow::Done);
    }
    ctx.out.stdout.push_str(&out);
    Err(KubectlError::Exit {
        text: String::new(),
        status: 1,
    })
}

/// A file's modification time as GNU diff prints it: `2026-11-23 09:00:00.000000000 +0000`.
fn file_time(now: Time) -> String {
    let text = now.rfc3339();
    let seconds = text.trim_end_matches('Z').replace('T', " ");
    let nanos = now.0.rem_euclid(1000) * 1_000_000;
    format!("{seconds}.{nanos:09} +0000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_times_are_gnu_diffs() {
        assert_eq!(
            file_time(Time(1_500)),
            "2026-11-23 09:00:01.500000000 +0000"
        );
    }
}
