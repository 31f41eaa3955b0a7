//! What both differential tests need (`crates/kubectl/tests/oracle.rs`, help texts and calls
//! without a server; `crates/apiserver/tests/oracle.rs`, the golden transcripts against
//! `rollout-lab apiserver`): the machine's kubectl v1.30, a line-by-line difference, and the
//! summary line `scripts/test` picks up.

use rollout_kubectl::lab::Ran;
use std::io::Write;
use std::path::PathBuf;

/// Where the Google Cloud CLI's `kubectl` package puts its versioned clients.
const GCLOUD_KUBECTL: &str = "/usr/lib/google-cloud-sdk/bin/kubectl.1.30";

/// `kubectl.1.30` from the PATH, else where the Google Cloud CLI installs it.
pub fn real_kubectl() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("kubectl.1.30"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| Some(PathBuf::from(GCLOUD_KUBECTL)).filter(|p| p.is_file()))
}

/// Where the two runs part, line by line.
pub fn difference(lab: &Ran, real: &Ran) -> String {
    let mut out = String::new();
    if lab.status != real.status {
        out.push_str(&format!(
            "  status: lab {} kubectl {}\n",
            lab.status, real.status
        ));
    }
    for (stream, a, b) in [
        ("stdout", &lab.stdout, &real.stdout),
        ("stderr", &lab.stderr, &real.stderr),
    ] {
        let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        for i in 0..la.len().max(lb.len()) {
            if la.get(i) != lb.get(i) {
                out.push_str(&format!(
                    "  {stream} line {}:\n    lab:     {:?}\n    kubectl: {:?}\n",
                    i + 1,
                    la.get(i).unwrap_or(&"<none>"),
                    lb.get(i).unwrap_or(&"<none>")
                ));
            }
        }
        if a != b && la == lb {
            out.push_str(&format!("  {stream}: differs in line endings\n"));
        }
    }
    out
}

/// One line on the real standard error, past libtest's capture, for `scripts/test`'s summary.
pub fn summary(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
