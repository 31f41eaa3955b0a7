//! Text data the page fetches from beside its bundle instead of carrying it in its wasm:
//! kubectl's and bash's help texts. With the `embedded-data` feature (the native runner, the
//! tests) each file is compiled in; the page is built without it, fetches the files right
//! after it starts ([`missing`], `src/web/data.rs`) and hands each over with
//! [`DataFile::provide`]. Until they arrive the page holds typed lines ([`wanted_by`]), so a
//! command never runs without the texts it may print. kubectl explain's schemas are fetched
//! the same way, but only when a line asks for them (`openapi`).

use std::sync::OnceLock;

/// One data file, under `crates/kubectl/data/` and under the page's `data/` folder.
pub struct DataFile {
    /// The path under both folders.
    pub path: &'static str,
    fetched: OnceLock<String>,
    #[cfg(feature = "embedded-data")]
    embedded: &'static str,
}

/// A [`DataFile`] at `data/PATH`, compiled in with `embedded-data`.
macro_rules! data_file {
    ($path:literal) => {
        DataFile {
            path: $path,
            fetched: OnceLock::new(),
            #[cfg(feature = "embedded-data")]
            embedded: include_str!(concat!("../data/", $path)),
        }
    };
}

/// kubectl v1.30's help texts (`help.rs`).
pub static KUBECTL_HELP: DataFile = data_file!("help/kubectl-1.30.txt");
/// bash 5.2's builtin help texts (`shell/help.rs`).
pub static BASH_HELP: DataFile = data_file!("help/bash-5.2.txt");

/// Every file the page fetches when it starts.
pub static AT_START: [&DataFile; 2] = [&KUBECTL_HELP, &BASH_HELP];

impl DataFile {
    /// The text: compiled in, or fetched; `None` while the page has not fetched it yet.
    pub fn get(&'static self) -> Option<&'static str> {
        #[cfg(feature = "embedded-data")]
        return Some(self.embedded);
        #[cfg(not(feature = "embedded-data"))]
        self.fetched.get().map(String::as_str)
    }

    /// Hands over the fetched text (empty when it could not be fetched: the commands that
    /// print it then print nothing of it). The first hand-over wins.
    pub fn provide(&self, text: String) {
        let _ = self.fetched.set(text);
    }

    fn present(&'static self) -> bool {
        self.get().is_some()
    }
}

/// The start-up files not yet at hand.
pub fn missing() -> impl Iterator<Item = &'static DataFile> {
    AT_START.iter().copied().filter(|file| !file.present())
}

/// `kubectl create`'s subcommands that print no help once named (`service` needs its own).
const CREATE_GENERATORS: &[&str] = &["deployment", "deploy", "service", "svc", "namespace", "ns"];

/// Whether the page must hold `line` until data arrives: it may print a help text the page
/// has not fetched yet, or read explain's schemas before they were fetched. Lines that print
/// no help run at once, while the texts are still on their way.
pub fn wanted_by(line: &str) -> bool {
    (missing().next().is_some() && may_print_help(line)) || crate::openapi::fetch_wanted_by(line)
}

/// Whether running `line` could print one of kubectl's or bash's help texts — a superset,
/// since holding a line a moment too long is harmless and running it without its text is
/// not: `help` and `-h`/`--help` anywhere; a script run from a file; `kubectl` without a verb
/// it knows (its own help; `kubectl help`; an unknown verb is checked against its list); and
/// the verbs that print their help when a subcommand or file is missing (`rollout`, `set`,
/// `create`, `create service`).
pub fn may_print_help(line: &str) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`'))
        .filter(|w| !w.is_empty())
        .collect();
    let runs_a_file =
        |w: &&str| matches!(*w, "sh" | "bash" | "source" | ".") || w.starts_with("./");
    if line.contains("help")
        || words.iter().any(|w| w.starts_with("-h"))
        || words.iter().any(runs_a_file)
    {
        return true;
    }
    words.iter().enumerate().any(|(at, word)| {
        if *word != "kubectl" {
            return false;
        }
        let mut operands = words[at + 1..].iter().filter(|w| !w.starts_with('-'));
        match operands.next() {
            None => true,
            Some(&verb) if !crate::cmd::VERBS.contains(&verb) => true,
            Some(&"create") => {
                // Without `-f` and a generator (`create deployment …`), its help; a flag's
                // value (`-o yaml`) may look like an operand, so every other word counts.
                let files = words
                    .iter()
                    .any(|w| w.starts_with("-f") || w.starts_with("--filename"));
                let generator = operands.next().is_some_and(|next| {
                    CREATE_GENERATORS.contains(next)
                        && (*next != "service" || operands.next().is_some())
                });
                !files && !generator
            }
            Some(&verb) => matches!(verb, "rollout" | "set") && operands.next().is_none(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::may_print_help;

    #[test]
    fn lines_that_may_print_help_wait_for_it_and_the_others_do_not() {
        for line in [
            "help",
            "help cd",
            "kubectl",
            "kubectl help",
            "kubectl get pods -h",
            "kubectl rollout --help",
            "kubectl rollout",
            "kubectl -n demo rollout",
            "kubectl set",
            "kubectl create",
            "kubectl create --dry-run=client -o yaml",
            "kubectl create service",
            "kubectl drain k8s-node01",
            "kubectl frobnicate",
            "for i in 1 2; do kubectl; done",
            "echo $(kubectl)",
            "bash run.sh",
            "./run.sh",
        ] {
            assert!(may_print_help(line), "{line}");
        }
        for line in [
            "kubectl get pods",
            "kubectl rollout status deploy/web",
            "kubectl set image deploy/web web=nginx:1.27",
            "kubectl create deployment web --image=nginx",
            "kubectl create -f web.yaml",
            "kubectl apply -f web.yaml",
            "curl -s 10.96.0.10 | grep -c v1.1",
            "ls -l",
        ] {
            assert!(!may_print_help(line), "{line}");
        }
    }
}
