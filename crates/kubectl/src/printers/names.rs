//! cli-runtime's NamePrinter: the one-line confirmations (`deployment.apps/demoapp created`).

use rollout_sim::objects::Kind;

/// `<kind>[.<group>]/<name> <operation>` with its newline; an empty operation prints just
/// the name. Examples: `created`, `configured`, `unchanged`, `scaled`, `image updated`,
/// `paused`, `resumed`, `restarted`, `rolled back`, `labeled`, `exposed`.
pub fn success_line(kind: Kind, name: &str, operation: &str) -> String {
    if operation.is_empty() {
        format!("{}/{name}\n", kind.qualified_kind())
    } else {
        format!("{}/{name} {operation}\n", kind.qualified_kind())
    }
}

/// kubectl delete's confirmation (kubectl < 1.34): `deployment.apps "demoapp" deleted`.
pub fn deleted_line(kind: Kind, name: &str) -> String {
    format!("{} \"{name}\" deleted\n", kind.qualified_kind())
}

/// The same with `--grace-period=0 --force`: `pod "x" force deleted`.
pub fn force_deleted_line(kind: Kind, name: &str) -> String {
    format!("{} \"{name}\" force deleted\n", kind.qualified_kind())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_lines_name_the_kind_and_group() {
        assert_eq!(
            success_line(Kind::Deployment, "demoapp", "created"),
            "deployment.apps/demoapp created\n"
        );
        assert_eq!(
            success_line(Kind::Service, "demoapp-svc", "configured"),
            "service/demoapp-svc configured\n"
        );
        assert_eq!(
            success_line(Kind::Deployment, "demoapp", "image updated"),
            "deployment.apps/demoapp image updated\n"
        );
        assert_eq!(success_line(Kind::Pod, "x", ""), "pod/x\n");
    }

    #[test]
    fn delete_lines_quote_the_name() {
        assert_eq!(
            deleted_line(Kind::ReplicaSet, "replicaset-demo"),
            "replicaset.apps \"replicaset-demo\" deleted\n"
        );
        assert_eq!(
            deleted_line(Kind::Service, "demoapp-svc"),
            "service \"demoapp-svc\" deleted\n"
        );
        assert_eq!(
            force_deleted_line(Kind::Pod, "x"),
            "pod \"x\" force deleted\n"
        );
    }
}
