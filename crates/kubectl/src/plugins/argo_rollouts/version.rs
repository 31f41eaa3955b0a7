//! `version [--short]` (cmd/version/version.go, utils/version): the release binary's
//! build information.
//!
//! The v1.9.1 release builds from tag `v1.9.1` = commit b6bd3bc… (argoproj/argo-rollouts);
//! its Makefile passes the tag to the wrong symbol, so the version reads `v1.9.1+<commit>`.
//! The build date (the commit's time) and the Go patch release (the workflow pins `1.24`)
//! are assumptions: the real binary's exact values are not in the sources.

use super::cli::Invocation;
use super::{Outcome, Plugin};
use crate::error::KubectlError;

const VERSION: &str = "v1.9.1+b6bd3bc";
const BUILD_DATE: &str = "2026-07-06T13:57:05Z";
const GIT_COMMIT: &str = "b6bd3bcf8f60d717a98763d26acc983db7f97cb0";
const GO_VERSION: &str = "go1.24.13";

pub fn run(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    let out = &mut plugin.out.stdout;
    out.push_str(&format!("kubectl-argo-rollouts: {VERSION}\n"));
    if invocation.args.flag("short") {
        return Ok(Outcome::Done);
    }
    out.push_str(&format!(
        "  BuildDate: {BUILD_DATE}\n  GitCommit: {GIT_COMMIT}\n  GitTreeState: clean\n  GoVersion: {GO_VERSION}\n  Compiler: gc\n  Platform: linux/amd64\n"
    ));
    Ok(Outcome::Done)
}
