//! `kubectl diff -f FILE` (kubectl 1.30's `pkg/cmd/diff`): each object's live version and the
//! version applying it would store (a server-side dry run of `apply`), written as YAML without
//! `managedFields` to `/tmp/LIVE-N/` and `/tmp/MERGED-M/` under `GROUP.VERSION.KIND.NAMESPACE.NAME`,
//! then compared by `diff -u -N`, whose output and status kubectl passes on: 0 when nothing
//! differs, 1 when something does, and above 1 for an error (kubectl's own errors exit 2).

use super::apply::{dry_run_apply, raw_document, raw_documents, sources};
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
        let hunks = unified(live, merged);
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same,
    Delete,
    Insert,
}

/// The edits from `a` to `b`, line by line: common ends first, then a longest common
/// subsequence of the middle (replaced wholesale when it is too big to compare).
fn edits(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut middle = Vec::new();
    if ma.len().saturating_mul(mb.len()) > 4_000_000 {
        middle.extend(std::iter::repeat_n(Edit::Delete, ma.len()));
        middle.extend(std::iter::repeat_n(Edit::Insert, mb.len()));
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let (mut dels, mut ins) = (0, 0);
        let flush = |middle: &mut Vec<Edit>, dels: &mut usize, ins: &mut usize| {
            middle.extend(std::iter::repeat_n(Edit::Delete, std::mem::take(dels)));
            middle.extend(std::iter::repeat_n(Edit::Insert, std::mem::take(ins)));
        };
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                flush(&mut middle, &mut dels, &mut ins);
                middle.push(Edit::Same);
                i += 1;
                j += 1;
            } else if j == mb.len() || (i < ma.len() && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                dels += 1;
                i += 1;
            } else {
                ins += 1;
                j += 1;
            }
        }
        flush(&mut middle, &mut dels, &mut ins);
    }
    let mut all = vec![Edit::Same; prefix];
    all.extend(middle);
    all.extend(std::iter::repeat_n(Edit::Same, suffix));
    all
}

/// GNU's `@@` range: `START,COUNT`, `START` alone for one line, the line before for none.
fn range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

/// `diff -u`'s hunks (three lines of context) turning `a` into `b`; empty when they are equal.
fn unified(a: &str, b: &str) -> String {
    const CONTEXT: usize = 3;
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let edits = edits(&al, &bl);
    let changes: Vec<usize> = (0..edits.len())
        .filter(|&i| edits[i] != Edit::Same)
        .collect();
    let mut out = String::new();
    let mut k = 0;
    while k < changes.len() {
        // A hunk takes every change less than 2 × CONTEXT + 1 unchanged lines from the last.
        let mut last = k;
        while last + 1 < changes.len() && changes[last + 1] - changes[last] <= 2 * CONTEXT + 1 {
            last += 1;
        }
        let start = changes[k].saturating_sub(CONTEXT);
        let end = (changes[last] + CONTEXT + 1).min(edits.len());
        let a_start = edits[..start]
            .iter()
            .filter(|e| **e != Edit::Insert)
            .count();
        let b_start = edits[..start]
            .iter()
            .filter(|e| **e != Edit::Delete)
            .count();
        let (mut i, mut j) = (a_start, b_start);
        let mut body = String::new();
        for edit in &edits[start..end] {
            let (mark, line) = match edit {
                Edit::Same => (' ', al[i]),
                Edit::Delete => ('-', al[i]),
                Edit::Insert => ('+', bl[j]),
            };
            i += usize::from(*edit != Edit::Insert);
            j += usize::from(*edit != Edit::Delete);
            body.push_str(&format!("{mark}{line}\n"));
        }
        out.push_str(&format!(
            "@@ -{} +{} @@\n{body}",
            range(a_start, i - a_start),
            range(b_start, j - b_start)
        ));
        k = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // As GNU diff 3.10 prints them (`diff -u a b`).
    #[test]
    fn hunks_are_gnu_diffs() {
        let a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
        let b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\nseventeen\n";
        assert_eq!(
            unified(a, b),
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n@@ -14,3 +14,4 @@\n 14\n 15\n 16\n+seventeen\n"
        );
        assert_eq!(unified("", "a\nb\n"), "@@ -0,0 +1,2 @@\n+a\n+b\n");
        assert_eq!(
            unified("a\nb\nc\n", "a\nc\n"),
            "@@ -1,3 +1,2 @@\n a\n-b\n c\n"
        );
        assert_eq!(unified("x\n", "x\n"), "");
        let (a, b) = ("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\nX\n3\n4\n5\n6\n7\n8\nY\n");
        assert_eq!(
            unified(a, b),
            "@@ -1,9 +1,9 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n"
        );
        assert_eq!(
            file_time(Time(1_500)),
            "2026-11-23 09:00:01.500000000 +0000"
        );
    }
}
