//! # rollout-kubectl: kubectl and a small shell over the simulator
//!
//! Text in, actions on the cluster; cluster state in, text out. Knows nothing about the web.

pub mod args;
pub mod cmd;
pub mod describe;
pub mod error;
pub mod lab;
pub mod lesson;
pub mod openapi;
pub mod printers;
pub mod resource;
pub mod runner;
pub mod selector;
pub mod shell;
#[cfg(test)]
mod test_fixtures;

/// What one command line printed, split the way a terminal shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Text kubectl writes to standard output.
    pub stdout: String,
    /// Text kubectl writes to standard error (the UI colours it).
    pub stderr: String,
}

/// Runs one command line and returns what it printed.
pub fn run_line(line: &str) -> Output {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => Output::default(),
        ["kubectl", "version", ..] => Output {
            stdout: "Client Version: v1.30.0\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.30.0\n".into(),
            stderr: String::new(),
        },
        ["kubectl", verb, ..] => Output {
            stdout: String::new(),
            stderr: format!("error: unknown command \"{verb}\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"),
        },
        [cmd, ..] => Output {
            stdout: String::new(),
            stderr: format!("bash: {cmd}: command not found\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_verb_gets_kubectls_error_on_stderr() {
        let out = run_line("kubectl frobnicate");
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: unknown command \"frobnicate\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"
        );
    }

    #[test]
    fn an_empty_line_prints_nothing() {
        assert_eq!(run_line("   "), Output::default());
    }
}
