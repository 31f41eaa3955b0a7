//! `kubectl rollout SUBCOMMAND --help` and `kubectl set image --help`: each subcommand's help
//! as kubectl 1.30 prints it (the course reads `kubectl rollout undo --help` to learn what
//! `--to-revision=0` means).

/// A flag line of the Options section and its description.
type Flag = (&'static str, &'static str);

const FILENAME: Flag = (
    "-f, --filename=[]",
    "Filename, directory, or URL to files identifying the resource to get from a server.",
);
const KUSTOMIZE: Flag = (
    "-k, --kustomize=''",
    "Process the kustomization directory. This flag can't be used together with -f or -R.",
);
const RECURSIVE: Flag = (
    "-R, --recursive=false",
    "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests\n\torganized within the same directory.",
);
const SELECTOR: Flag = (
    "-l, --selector=''",
    "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching\n\tobjects must satisfy all of the specified label constraints.",
);
const DRY_RUN: Flag = (
    "--dry-run='none'",
    "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without\n\tsending it. If server strategy, submit server-side request without persisting the resource.",
);
const OUTPUT: Flag = (
    "-o, --output=''",
    "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath,\n\tjsonpath-as-json, jsonpath-file).",
);

const ALLOW_MISSING: Flag = (
    "--allow-missing-template-keys=true",
    "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to\n\tgolang and jsonpath output formats.",
);
const FIELD_MANAGER: Flag = (
    "--field-manager='kubectl-rollout'",
    "Name of the manager used to track field ownership.",
);
const SHOW_MANAGED: Flag = (
    "--show-managed-fields=false",
    "If true, keep the managedFields when printing objects in JSON or YAML format.",
);
const TEMPLATE: Flag = (
    "--template=''",
    "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format\n\tis golang templates [http://golang.org/pkg/text/template/#pkg-overview].",
);

/// The flags of the subcommands that patch the Deployment (pause, resume, restart).
const PATCHING_FLAGS: &[Flag] = &[
    ALLOW_MISSING,
    FIELD_MANAGER,
    FILENAME,
    KUSTOMIZE,
    OUTPUT,
    RECURSIVE,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
];

struct Help {
    long: &'static str,
    examples: &'static str,
    flags: &'static [Flag],
    usage: &'static str,
}

const STATUS: Help = Help {
    long: "Show the status of the rollout.\n\n By default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to\nwait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then\n'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort\nif it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.",
    examples: "  # Watch the rollout status of a deployment\n  kubectl rollout status deployment/nginx",
    flags: &[
        FILENAME,
        KUSTOMIZE,
        RECURSIVE,
        (
            "--revision=0",
            "Pin to a specific revision for showing its status. Defaults to 0 (last revision).",
        ),
        SELECTOR,
        (
            "--timeout=0s",
            "The length of time to wait before ending watch, zero means never. Any other values should contain a\n\tcorresponding time unit (e.g. 1s, 2m, 3h).",
        ),
        (
            "-w, --watch=true",
            "Watch the status of the rollout until it's done.",
        ),
    ],
    usage: "kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
};

const HISTORY: Help = Help {
    long: "View previous rollout revisions and configurations.",
    examples: "  # View the rollout history of a deployment\n  kubectl rollout history deployment/abc\n  \n  # View the details of daemonset revision 3\n  kubectl rollout history daemonset/abc --revision=3",
    flags: &[
        ALLOW_MISSING,
        FILENAME,
        KUSTOMIZE,
        OUTPUT,
        RECURSIVE,
        (
            "--revision=0",
            "See the details, including podTemplate of the revision specified",
        ),
        SELECTOR,
        SHOW_MANAGED,
        TEMPLATE,
    ],
    usage: "kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
};

const UNDO: Help = Help {
    long: "Roll back to a previous rollout.",
    examples: "  # Roll back to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Roll back to daemonset revision 3\n  kubectl rollout undo daemonset/abc --to-revision=3\n  \n  # Roll back to the previous deployment with dry-run\n  kubectl rollout undo --dry-run=server deployment/abc",
    flags: &[
        ALLOW_MISSING,
        DRY_RUN,
        FILENAME,
        KUSTOMIZE,
        OUTPUT,
        RECURSIVE,
        SELECTOR,
        SHOW_MANAGED,
        TEMPLATE,
        (
            "--to-revision=0",
            "The revision to rollback to. Default 0 (last revision).",
        ),
    ],
    usage: "kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
};

const PAUSE: Help = Help {
    long: "Mark the provided resource as paused.\n\n Paused resources will not be reconciled by a controller. Use \"kubectl rollout resume\" to resume a paused\nresource. Currently only deployments support being paused.",
    examples: "  # Mark the nginx deployment as paused\n  # Any current state of the deployment will continue its function; new updates\n  # to the deployment will not have an effect as long as the deployment is paused\n  kubectl rollout pause deployment/nginx",
    flags: PATCHING_FLAGS,
    usage: "kubectl rollout pause RESOURCE [options]",
};

const RESUME: Help = Help {
    long: "Resume a paused resource.\n\n Paused resources will not be reconciled by a controller. By resuming a resource, we allow it to be\nreconciled again. Currently only deployments support being resumed.",
    examples: "  # Resume an already paused deployment\n  kubectl rollout resume deployment/nginx",
    flags: PATCHING_FLAGS,
    usage: "kubectl rollout resume RESOURCE [options]",
};

const RESTART: Help = Help {
    long: "Restart a resource.\n\n        Resource rollout will be restarted.",
    examples: "  # Restart all deployments in the test-namespace namespace\n  kubectl rollout restart deployment -n test-namespace\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/nginx\n  \n  # Restart a daemon set\n  kubectl rollout restart daemonset/abc\n  \n  # Restart deployments with the app=nginx label\n  kubectl rollout restart deployment --selector=app=nginx",
    flags: PATCHING_FLAGS,
    usage: "kubectl rollout restart RESOURCE [options]",
};

const SET_IMAGE: Help = Help {
    long: "Update existing container image(s) of resources.\n\n Possible resources include (case insensitive):\n\n        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj),\nreplicaset (rs)",
    examples: "  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'\n  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1\n  \n  # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'\n  kubectl set image deployments,rc nginx=nginx:1.9.1 --all\n  \n  # Update image of all containers of daemonset abc to 'nginx:1.9.1'\n  kubectl set image daemonset abc *=nginx:1.9.1\n  \n  # Print result (in yaml format) of updating nginx container image from local file, without hitting the server\n  kubectl set image -f path/to/file.yaml nginx=nginx:1.9.1 --local -o yaml",
    flags: &[
        (
            "--all=false",
            "Select all resources, in the namespace of the specified resource types",
        ),
        ALLOW_MISSING,
        DRY_RUN,
        (
            "--field-manager='kubectl-set'",
            "Name of the manager used to track field ownership.",
        ),
        FILENAME,
        KUSTOMIZE,
        (
            "--local=false",
            "If true, set image will NOT contact api-server but run locally.",
        ),
        OUTPUT,
        RECURSIVE,
        SELECTOR,
        SHOW_MANAGED,
        TEMPLATE,
    ],
    usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
};

/// The help of `kubectl VERB SUB` (`rollout undo`, `set image`, …), if there is one.
pub fn subcommand_help(verb: &str, sub: &str) -> Option<String> {
    let help = match (verb, sub) {
        ("rollout", "status") => STATUS,
        ("rollout", "history") => HISTORY,
        ("rollout", "undo") => UNDO,
        ("rollout", "pause") => PAUSE,
        ("rollout", "resume") => RESUME,
        ("rollout", "restart") => RESTART,
        ("set", "image") => SET_IMAGE,
        _ => return None,
    };
    let mut text = format!(
        "{}\n\nExamples:\n{}\n\nOptions:\n",
        help.long, help.examples
    );
    for (flag, description) in help.flags {
        text.push_str(&format!("    {flag}:\n\t{description}\n\n"));
    }
    text.push_str(&format!(
        "Usage:\n  {}\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
        help.usage
    ));
    Some(text)
}
