//! Which typed lines the page holds until data it fetches beside its bundle has arrived
//! (`fetched` for the help texts, `openapi` for explain's schemas, `cmd::more_verbs` for the
//! module of kubectl's verbs beyond get/apply/create). Apart from them, since deciding reads
//! kubectl's verbs (`cmd`), which read the texts.

use crate::fetched::{missing, METRICS_SERVER_RELEASE};

/// `kubectl create`'s subcommands that print no help once named (`service` needs its own).
const CREATE_GENERATORS: &[&str] = &["deployment", "deploy", "service", "svc", "namespace", "ns"];

/// Whether the page must hold `line` until data arrives: it may print a help text the page
/// has not fetched yet, read explain's schemas before they were fetched, or run a verb whose
/// module is still to be fetched. Lines that print no help run at once, while the texts are
/// still on their way.
pub fn wanted_by(line: &str) -> bool {
    (missing().next().is_some() && may_print_help(line))
        || crate::openapi::fetch_wanted_by(line)
        || crate::cmd::more_verbs::wanted_by(line)
        || wants_releases(line)
}

/// Whether `line` may apply a release's URL (`-f` and `://`) before the page has fetched the
/// release texts it does not carry (`fetched::METRICS_SERVER_RELEASE`).
pub fn wants_releases(line: &str) -> bool {
    line.contains("://") && line.contains("-f") && METRICS_SERVER_RELEASE.get().is_none()
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
            "kubectl proxy --port=8001",
            "kubectl frobnicate",
            "for i in 1 2; do kubectl; done",
            "echo $(kubectl)",
            "bash run.sh",
            "./run.sh",
        ] {
            assert!(may_print_help(line), "{line}");
        }
        for line in [
            "kubectl port-forward svc/web 8080:80 &",
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
