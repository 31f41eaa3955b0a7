//! The headless runner: a script of shell lines against a fresh lab, printed as a transcript
//! (`$ ` + each command line, then its output). Same script and seed, same bytes.

use crate::lab::{Lab, HOME};
use crate::shell::Submit;
use rollout_sim::clock::Duration;
use std::collections::BTreeMap;

/// How long one command may wait for the cluster (`rollout status` on a stuck rollout)
/// before the runner interrupts it.
const MAX_WAIT: Duration = Duration(15 * 60 * 1000);

/// Runs `script` in a fresh lab seeded with `seed`. `files` are placed in the working
/// directory first (the script's neighbours, for `kubectl apply -f FILE`).
pub fn run_script(script: &str, files: &BTreeMap<String, String>, seed: u64) -> String {
    run_in(&mut Lab::headless(seed), script, files)
}

/// [`run_script`] in a lab the caller keeps (`rollout-lab apiserver SCRIPT` serves the cluster
/// the script left).
pub fn run_in(lab: &mut Lab, script: &str, files: &BTreeMap<String, String>) -> String {
    for (name, content) in files {
        lab.shell
            .files_mut()
            .write(&format!("{HOME}/{name}"), content);
    }
    let mut transcript = String::new();
    let mut continuing = false;
    for line in script.lines() {
        if !continuing && line.trim().is_empty() {
            continue;
        }
        transcript.push_str(if continuing { "> " } else { "$ " });
        transcript.push_str(line);
        transcript.push('\n');
        match lab.submit(line) {
            Submit::NeedMore { .. } => {
                continuing = true;
                continue;
            }
            Submit::Started | Submit::Busy => continuing = false,
        }
        let (chunks, _status) = lab.run_to_completion(MAX_WAIT);
        for chunk in chunks {
            transcript.push_str(&printable(&chunk.text));
        }
        if lab.shell.has_exited() {
            break;
        }
    }
    transcript
}

/// Terminal control sequences (`clear`, the screen clears of `kubectl argo rollouts get
/// rollout -w`) and carriage returns do not belong in a transcript.
fn printable(text: &str) -> String {
    text.replace("\x1b[H\x1b[2J\x1b[3J", "")
        .replace("\x1b[H\x1b[2J\x1b[0;0H", "")
        .replace("\r\n", "\n")
}
