//! Every `-h` text of the plugin, as data (`crates/kubectl/data/argo-rollouts/`, produced
//! with cobra v1.9.1 and pflag v1.0.6 from the plugin's own command definitions; see the
//! README there). The commands' flags are read from these texts too (`cli.rs`), so a flag
//! the help does not list does not parse, as with the real binary.

macro_rules! help_text {
    ($file:literal) => {
        include_str!(concat!("../../../data/argo-rollouts/", $file, ".help.txt"))
    };
}

pub const ROOT: &str = help_text!("root");
pub const ABORT: &str = help_text!("abort");
pub const CREATE: &str = help_text!("create");
pub const CREATE_ANALYSISRUN: &str = help_text!("create_analysisrun");
pub const DASHBOARD: &str = help_text!("dashboard");
pub const GET: &str = help_text!("get");
pub const GET_EXPERIMENT: &str = help_text!("get_experiment");
pub const GET_ROLLOUT: &str = help_text!("get_rollout");
pub const LINT: &str = help_text!("lint");
pub const LIST: &str = help_text!("list");
pub const LIST_EXPERIMENTS: &str = help_text!("list_experiments");
pub const LIST_ROLLOUTS: &str = help_text!("list_rollouts");
pub const PAUSE: &str = help_text!("pause");
pub const PROMOTE: &str = help_text!("promote");
pub const RESTART: &str = help_text!("restart");
pub const RETRY: &str = help_text!("retry");
pub const RETRY_EXPERIMENT: &str = help_text!("retry_experiment");
pub const RETRY_ROLLOUT: &str = help_text!("retry_rollout");
pub const SET: &str = help_text!("set");
pub const SET_IMAGE: &str = help_text!("set_image");
pub const STATUS: &str = help_text!("status");
pub const TERMINATE: &str = help_text!("terminate");
pub const TERMINATE_ANALYSISRUN: &str = help_text!("terminate_analysisrun");
pub const TERMINATE_EXPERIMENT: &str = help_text!("terminate_experiment");
pub const UNDO: &str = help_text!("undo");
pub const VERSION: &str = help_text!("version");

/// The placeholder the fixtures carry for `--cache-dir`'s default, which cli-runtime
/// computes at run time.
const CACHE_DIR_PLACEHOLDER: &str = "$HOME/.kube/cache";

/// The help as the binary prints it: `--cache-dir` defaults to `$KUBECACHEDIR`, else
/// `$HOME/.kube/cache` with the real home.
pub fn help(text: &str, env: &std::collections::BTreeMap<String, String>) -> String {
    let cache_dir = match env.get("KUBECACHEDIR") {
        Some(dir) => dir.clone(),
        None => format!("{}/.kube/cache", env.get("HOME").map_or("", String::as_str)),
    };
    text.replace(CACHE_DIR_PLACEHOLDER, &cache_dir)
}

/// cobra's usage template: the help without its leading Long/Short paragraph, what a
/// command prints on stderr when it is used wrongly.
pub fn usage(text: &str, env: &std::collections::BTreeMap<String, String>) -> String {
    let help = help(text, env);
    match help.find("\nUsage:\n") {
        Some(at) => help[at + 1..].to_string(),
        None => help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn env() -> BTreeMap<String, String> {
        BTreeMap::from([("HOME".to_string(), "/root".to_string())])
    }

    #[test]
    fn the_cache_dir_default_is_the_users_home() {
        let text = help(PAUSE, &env());
        assert!(text.contains("Default cache directory (default \"/root/.kube/cache\")\n"));
        let mut env = env();
        env.insert("KUBECACHEDIR".into(), "/tmp/kc".into());
        assert!(help(PAUSE, &env).contains("(default \"/tmp/kc\")\n"));
    }

    #[test]
    fn the_usage_starts_at_usage() {
        let text = usage(PAUSE, &env());
        assert!(text.starts_with("Usage:\n  kubectl-argo-rollouts pause ROLLOUT_NAME [flags]\n"));
        assert!(text.ends_with("The name of the kubeconfig user to use\n"));
    }
}
