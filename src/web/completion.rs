//! Tab completion of a shell line, as bash with kubectl's completion script would offer it:
//! commands, kubectl verbs and subcommands, resource types, object names from the cluster
//! (after a type, or as `type/name`), files after `-f`, and flags of common verbs.
//!
//! Plain Rust with no web API: [`complete`] takes the line, the cursor and the lab, and
//! returns the new line, the new cursor and the candidates to list when several match.

use rollout_kubectl::lab::Lab;
use rollout_kubectl::resource;
use rollout_sim::objects::Kind;

/// What Tab does to the line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    /// Byte offset of the cursor in `line`.
    pub cursor: usize,
    /// The matches, listed under the prompt when more than one remains.
    pub candidates: Vec<String>,
}

const COMMANDS: &[&str] = &[
    "cat", "cd", "clear", "curl", "echo", "exit", "history", "kubectl", "ls", "pwd", "sleep",
    "vim", "watch",
];

const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];
const SET: &[&str] = &["image"];

/// Resource types as offered (the full plural names; short names are accepted as typed).
const KINDS: &[&str] = &[
    "deployments",
    "endpoints",
    "events",
    "ingresses",
    "namespaces",
    "nodes",
    "poddisruptionbudgets",
    "pods",
    "replicasets",
    "services",
];

const OUTPUTS: &[&str] = &["json", "jsonpath=", "name", "wide", "yaml"];

/// Flags that take a value in the next word.
const VALUE_FLAGS: &[&str] = &[
    "-f",
    "--filename",
    "-n",
    "--namespace",
    "-o",
    "--output",
    "-l",
    "--selector",
    "-c",
    "--container",
];

fn flags_of(verb: &str) -> &'static [&'static str] {
    match verb {
        "get" => &[
            "--all-namespaces",
            "--namespace",
            "--output",
            "--selector",
            "--show-labels",
            "--watch",
            "-A",
            "-l",
            "-n",
            "-o",
            "-w",
        ],
        "describe" => &["--all-namespaces", "--namespace", "-A", "-l", "-n"],
        "apply" | "create" | "replace" => &[
            "--dry-run=client",
            "--filename",
            "--namespace",
            "--output",
            "--record",
            "-f",
            "-n",
            "-o",
        ],
        "delete" => &[
            "--all",
            "--filename",
            "--force",
            "--grace-period=",
            "--namespace",
            "-f",
            "-l",
            "-n",
        ],
        "scale" => &["--namespace", "--replicas=", "-n"],
        "rollout" => &[
            "--namespace",
            "--revision=",
            "--timeout=",
            "--to-revision=",
            "-n",
        ],
        "set" => &["--namespace", "--record", "-n"],
        "logs" => &[
            "--container",
            "--follow",
            "--previous",
            "--tail=",
            "-c",
            "-f",
            "-n",
        ],
        "exec" => &["--container", "--namespace", "-c", "-i", "-it", "-n", "-t"],
        "run" => &[
            "--image=",
            "--labels=",
            "--namespace",
            "--port=",
            "--restart=Never",
            "--rm",
            "-i",
            "-it",
            "-n",
            "-t",
        ],
        "label" | "annotate" => &["--namespace", "--overwrite", "-n"],
        "edit" => &["--namespace", "--output", "-n", "-o"],
        _ => &["--namespace", "-n"],
    }
}

/// Completes the word before `cursor` in `line`.
pub fn complete(line: &str, cursor: usize, lab: &Lab) -> Completion {
    let cursor = if line.is_char_boundary(cursor.min(line.len())) {
        cursor.min(line.len())
    } else {
        line.len()
    };
    let before = &line[..cursor];
    // Only the last command of a pipeline or list counts.
    let segment_start = before.rfind(['|', ';', '&', '(', '`']).map_or(0, |i| i + 1);
    let segment = &before[segment_start..];
    let word_start = segment.rfind(char::is_whitespace).map_or(0, |i| {
        i + segment[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &segment[word_start..];
    let words: Vec<&str> = segment[..word_start].split_whitespace().collect();
    let options = candidates(&words, word, lab);
    let mut matches: Vec<String> = options
        .into_iter()
        .filter(|c| c.starts_with(word))
        .collect();
    matches.sort();
    matches.dedup();

    let unchanged = Completion {
        line: line.to_string(),
        cursor,
        candidates: Vec::new(),
    };
    let start = segment_start + word_start;
    let (insert, candidates) = match matches.len() {
        0 => return unchanged,
        1 => {
            let only = &matches[0];
            // A type followed by `/`, a flag that ends in `=`: the word goes on.
            let done = !(only.ends_with('/') || only.ends_with('='));
            let spaced = line[cursor..].starts_with(char::is_whitespace);
            let space = if done && !spaced { " " } else { "" };
            (format!("{only}{space}"), Vec::new())
        }
        _ => (common_prefix(&matches), matches),
    };
    let mut new_line = String::with_capacity(line.len() + insert.len());
    new_line.push_str(&line[..start]);
    new_line.push_str(&insert);
    let new_cursor = new_line.len();
    new_line.push_str(&line[cursor..]);
    Completion {
        line: new_line,
        cursor: new_cursor,
        candidates,
    }
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut len = first.len();
    for w in &words[1..] {
        len = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    first[..len].to_string()
}

/// Everything that could stand at this position (the caller filters by the typed prefix).
fn candidates(words: &[&str], word: &str, lab: &Lab) -> Vec<String> {
    let Some(command) = words.first() else {
        return COMMANDS.iter().map(|c| c.to_string()).collect();
    };
    if *command != "kubectl" {
        return match *command {
            "cat" | "vim" | "ls" | "rm" | "cp" | "mv" | "head" | "tail" | "less" | "more" => {
                files(lab)
            }
            "watch" if words.len() == 1 => vec!["kubectl".into()],
            _ => Vec::new(),
        };
    }

    // Split kubectl's arguments into flags (with their values) and positional words.
    let mut positional: Vec<&str> = Vec::new();
    let mut namespace: Option<&str> = None;
    let mut all_namespaces = false;
    let mut previous_flag: Option<&str> = None;
    for w in &words[1..] {
        if let Some(flag) = previous_flag.take() {
            if flag == "-n" || flag == "--namespace" {
                namespace = Some(w);
            }
            continue;
        }
        if w.starts_with('-') {
            if let Some(ns) = w.strip_prefix("--namespace=") {
                namespace = Some(ns);
            } else if *w == "-A" || *w == "--all-namespaces" {
                all_namespaces = true;
            } else if VALUE_FLAGS.contains(w) {
                previous_flag = Some(w);
            }
            continue;
        }
        positional.push(w);
    }
    let verb = positional.first().copied().unwrap_or("");
    // `logs -f` follows; it takes no value there.
    if verb == "logs" && matches!(previous_flag, Some("-f")) {
        previous_flag = None;
    }
    if let Some(flag) = previous_flag {
        return match flag {
            "-f" | "--filename" => {
                let mut f = files(lab);
                f.push("-".into());
                f
            }
            "-n" | "--namespace" => lab.cluster().store().namespaces.keys().cloned().collect(),
            "-o" | "--output" => OUTPUTS.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        };
    }
    if word.starts_with('-') {
        return flags_of(verb).iter().map(|s| s.to_string()).collect();
    }
    let namespace = namespace.unwrap_or("default");
    let names = |kind: Kind| names_of(lab, kind, namespace, all_namespaces);

    let (kind_at, kinds): (usize, &[&str]) = match verb {
        // The dispatcher's own list; `help` is not offered, as kubectl's completion does not.
        "" => {
            return rollout_kubectl::cmd::VERBS
                .iter()
                .filter(|verb| **verb != "help")
                .map(|s| s.to_string())
                .collect()
        }
        "rollout" if positional.len() == 1 => {
            return ROLLOUT.iter().map(|s| s.to_string()).collect()
        }
        "set" if positional.len() == 1 => return SET.iter().map(|s| s.to_string()).collect(),
        "rollout" | "set" => (2, &["deployments"]),
        "logs" | "exec" | "port-forward" => return names(Kind::Pod),
        "cordon" | "uncordon" | "drain" => return names(Kind::Node),
        "scale" => (1, &["deployments", "replicasets"]),
        "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "explain" => {
            (1, KINDS)
        }
        _ => return Vec::new(),
    };
    // `TYPE/NAME` in one word.
    if let Some((kind_word, _)) = word.split_once('/') {
        return match resource::resolve(kind_word, lab.cluster()) {
            Ok(kind) => names(kind)
                .into_iter()
                .map(|n| format!("{kind_word}/{n}"))
                .collect(),
            Err(_) => Vec::new(),
        };
    }
    match positional.len().cmp(&kind_at) {
        std::cmp::Ordering::Equal => {
            // A short name typed in full (`po`, `deploy`) completes as it is.
            let exact = resource::resolve(word, lab.cluster()).is_ok()
                && !kinds.iter().any(|k| k.starts_with(word) && *k != word);
            if exact && !word.is_empty() {
                return vec![word.to_string()];
            }
            kinds.iter().map(|s| s.to_string()).collect()
        }
        std::cmp::Ordering::Greater if verb != "explain" => {
            let kind_word = positional[kind_at];
            // `kubectl get deploy/name <Tab>`: more names of that form are not offered.
            if kind_word.contains('/') {
                return Vec::new();
            }
            match resource::resolve(
                kind_word.split(',').next().unwrap_or(kind_word),
                lab.cluster(),
            ) {
                Ok(kind) => names(kind),
                Err(_) => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// Names of the objects of `kind` in `namespace` (every namespace with `all`).
fn names_of(lab: &Lab, kind: Kind, namespace: &str, all: bool) -> Vec<String> {
    let store = lab.cluster().store();
    fn pick<'a, V>(
        map: &'a std::collections::BTreeMap<rollout_sim::cluster::ObjectKey, V>,
        namespace: &'a str,
        all: bool,
    ) -> impl Iterator<Item = String> + 'a {
        map.keys()
            .filter(move |k| all || k.namespace == namespace)
            .map(|k| k.name.clone())
    }
    match kind {
        Kind::Pod => pick(&store.pods, namespace, all).collect(),
        Kind::ReplicaSet => pick(&store.replica_sets, namespace, all).collect(),
        Kind::Deployment => pick(&store.deployments, namespace, all).collect(),
        Kind::Service => pick(&store.services, namespace, all).collect(),
        Kind::Endpoints => pick(&store.endpoints, namespace, all).collect(),
        Kind::EndpointSlice => pick(&store.endpoint_slices, namespace, all).collect(),
        Kind::Ingress => pick(&store.ingresses, namespace, all).collect(),
        Kind::PodDisruptionBudget => pick(&store.pod_disruption_budgets, namespace, all).collect(),
        Kind::HorizontalPodAutoscaler => {
            pick(&store.horizontal_pod_autoscalers, namespace, all).collect()
        }
        Kind::Rollout => pick(&store.rollouts, namespace, all).collect(),
        Kind::AnalysisTemplate => pick(&store.analysis_templates, namespace, all).collect(),
        Kind::AnalysisRun => pick(&store.analysis_runs, namespace, all).collect(),
        // Cluster-scoped: every one, whatever the namespace.
        Kind::ClusterAnalysisTemplate => store
            .cluster_analysis_templates
            .keys()
            .map(|k| k.name.clone())
            .collect(),
        Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => store
            .custom_of(kind)
            .filter(|o| all || !kind.is_namespaced() || o.metadata.namespace == namespace)
            .map(|o| o.metadata.name.clone())
            .collect(),
        Kind::Namespace => store.namespaces.keys().cloned().collect(),
        Kind::Node => store.nodes.keys().cloned().collect(),
        Kind::Event => lab
            .cluster()
            .events()
            .iter()
            .filter(|e| all || e.metadata.namespace == namespace)
            .map(|e| e.metadata.name.clone())
            .collect(),
    }
}

/// Files and folders in the shell's working directory (folders with a trailing `/`).
fn files(lab: &Lab) -> Vec<String> {
    let vfs = lab.shell.files();
    let prefix = format!("{}/", lab.shell.cwd().trim_end_matches('/'));
    let mut names: Vec<String> = vfs
        .files
        .keys()
        .filter_map(|path| path.strip_prefix(&prefix))
        .filter(|name| !name.contains('/'))
        .map(str::to_string)
        .collect();
    names.extend(
        vfs.dirs
            .iter()
            .filter_map(|path| path.strip_prefix(&prefix))
            .filter(|name| !name.is_empty() && !name.contains('/'))
            .map(|name| format!("{name}/")),
    );
    names
}
