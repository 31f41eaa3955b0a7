//! `lab-help`: what this lab can do, on the lab machine's PATH beside `kubectl`. bash's own
//! `help` lists the shell's builtins (`shell::help`); this lists the rest — the commands, the
//! images the cluster can pull and what is inside them, and the page around the terminal.

/// The text `lab-help` prints.
pub const LAB_HELP: &str = "\
Rollout Lab: a simulated Kubernetes v1.30 cluster (3 nodes) and a bash-like shell on a
virtual clock, all in this page. Nothing leaves the browser.

Commands on this machine
  kubectl VERB ...   annotate api-resources apply autoscale cordon create delete describe
                     diff drain edit exec explain expose get label logs patch
                     port-forward replace rollout run scale set top uncordon version wait
                     (kubectl VERB --help for each one's flags; top needs metrics-server,
                     lesson 16 installs it)
  kubectl argo rollouts ...   the Argo Rollouts plugin (lessons 9 to 12)
  curl, wget         HTTP from this machine to a Service's or a pod's IP. Like a real
                     node, it cannot resolve Service names; from a pod, by name:
    kubectl run t --image=busybox --restart=Never -it --rm -- wget -qO- SERVICE
    or through a forward: kubectl port-forward svc/SERVICE 8080:80 & curl localhost:8080
  cmd &, jobs, kill %N, wait, fg   background jobs, as in bash
  vim FILE           opens FILE in the editor pane (:wq saves, :q! discards)
  lab-node add [N]   joins N more workers like the first three (the lab's own command)
  lab-node fail NODE cuts a node off; lab-node recover NODE brings it back
  ls cat grep head tail wc sort uniq cut tr tee seq sleep cp mv rm mkdir touch
  sed awk xargs      as GNU's (awk as gawk), to work on kubectl's output
  help               the shell's builtins (cd, echo, export, for, while, if, ...)

Images the cluster can pull (and the tools inside them)
  ikubernetes/demoapp:v1.0, v1.1, v1.2    the course's web app (sh, curl, wget)
  ikubernetes/admin-box:v1.2              a client with bash, curl and wget
  busybox                                 sh and wget (no curl, as in the real image)
  nginx, nginx:alpine                     a web server (bash or sh, curl)
  argoproj/rollouts-demo:blue, yellow     Argo Rollouts' demo app (no shell)

The page
  Clock (top): play, pause, speed up to 30x, step 1 s or 10 s.
  Timeline: drag it back to any moment; playing or typing there discards what came after.
  Terminal: Ctrl-C stops a command, Ctrl-L clears, Up/Down: history, Tab completes.
  Lessons: pick one above the steps (1. Blue-green is the first); each step turns green
  when the cluster reaches its state.
";

#[cfg(test)]
mod tests {
    use super::LAB_HELP;

    #[test]
    fn lab_help_names_every_kubectl_verb_and_only_images_the_cluster_can_pull() {
        for verb in crate::cmd::VERBS.iter().filter(|v| **v != "help") {
            let named =
                LAB_HELP.contains(&format!(" {verb} ")) || LAB_HELP.contains(&format!(" {verb}\n"));
            assert!(named, "{verb}");
        }
        for image in [
            "ikubernetes/demoapp:v1.0",
            "ikubernetes/demoapp:v1.1",
            "ikubernetes/demoapp:v1.2",
            "ikubernetes/admin-box:v1.2",
            "busybox",
            "nginx",
            "nginx:alpine",
            "argoproj/rollouts-demo:blue",
            "argoproj/rollouts-demo:yellow",
        ] {
            assert!(
                rollout_sim::kubelet::images::lookup(image).is_some(),
                "{image}"
            );
        }
        assert!(!rollout_sim::kubelet::images::has_program(
            "busybox", "curl"
        ));
        assert!(rollout_sim::kubelet::images::has_program("busybox", "wget"));
        assert!(
            LAB_HELP.lines().all(|l| l.chars().count() <= 90),
            "fits a narrow terminal"
        );
    }
}
