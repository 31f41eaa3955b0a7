//! The container images the lab's registry knows, and how their processes behave. An image
//! not listed here does not exist: pulling it fails like a real registry's "not found".

/// What the container's main process is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    /// `ikubernetes/demoapp`: the course's Flask app, answering on port 80.
    Demoapp,
    /// nginx: serves its welcome page on port 80.
    Nginx,
    /// A shell image (`admin-box`, `busybox`): runs the given command, or exits at once.
    Shell,
    /// `argoproj/rollouts-demo:<colour>`: Argo Rollouts' demo app, answering on port 8080.
    RolloutsDemo,
    /// An add-on's controller (`quay.io/argoproj/argo-rollouts`): runs until stopped and
    /// answers its health and metrics ports; its work is the add-on's controller.
    Controller,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Image {
    pub app: App,
    /// Compressed size, for the kubelet's "Successfully pulled" message.
    pub size_bytes: u64,
    /// How long a first pull takes on a node, in milliseconds.
    pub pull_millis: i64,
    /// Whether the process stops on SIGTERM. PID 1 processes without a handler (demoapp's
    /// Python, bash) ignore it, so the kubelet waits out the whole grace period.
    pub stops_on_sigterm: bool,
    /// How long the process takes to exit once it got SIGTERM (when it stops on it).
    pub sigterm_exit_millis: i64,
    /// The programs on the image's `PATH` that the lab runs (`sh` means a shell is there
    /// at all; the shell's own utilities — echo, grep, sleep — come with it).
    pub programs: &'static [&'static str],
}

const DEMOAPP: Image = Image {
    app: App::Demoapp,
    size_bytes: 45_734_045,
    pull_millis: 3_148,
    stops_on_sigterm: false,
    sigterm_exit_millis: 0,
    programs: &["sh", "curl", "wget"],
};
const NGINX: Image = Image {
    app: App::Nginx,
    size_bytes: 70_534_931,
    pull_millis: 4_212,
    stops_on_sigterm: true,
    sigterm_exit_millis: 200,
    programs: &["sh", "bash", "curl"],
};
/// The demo app's Go server catches SIGTERM and waits its `--termination-delay` (10 s by
/// default) before shutting down, so ingress controllers can drop the pod first
/// (argoproj/rollouts-demo `main.go`). Size and pull time are estimates for a `scratch`
/// image holding one static Go binary and the page's assets.
const ROLLOUTS_DEMO: Image = Image {
    app: App::RolloutsDemo,
    size_bytes: 4_726_120,
    pull_millis: 1_530,
    stops_on_sigterm: true,
    sigterm_exit_millis: 10_000,
    programs: &[],
};
const ARGO_ROLLOUTS_CONTROLLER: Image = Image {
    app: App::Controller,
    size_bytes: 37_941_525,
    pull_millis: 2_840,
    stops_on_sigterm: true,
    sigterm_exit_millis: 200,
    programs: &[],
};
const ENVOY_GATEWAY_CONTROLLER: Image = Image {
    app: App::Controller,
    size_bytes: 31_406_117,
    pull_millis: 2_410,
    stops_on_sigterm: true,
    sigterm_exit_millis: 300,
    programs: &[],
};
/// metrics-server: a static Go binary on a distroless base.
const METRICS_SERVER: Image = Image {
    app: App::Controller,
    size_bytes: 19_489_620,
    pull_millis: 1_920,
    stops_on_sigterm: true,
    sigterm_exit_millis: 200,
    programs: &[],
};
const ADMIN_BOX: Image = Image {
    app: App::Shell,
    size_bytes: 94_114_806,
    pull_millis: 5_320,
    stops_on_sigterm: false,
    sigterm_exit_millis: 0,
    programs: &["sh", "bash", "curl", "wget"],
};
const BUSYBOX: Image = Image {
    app: App::Shell,
    size_bytes: 2_160_406,
    pull_millis: 1_204,
    stops_on_sigterm: false,
    sigterm_exit_millis: 0,
    programs: &["sh", "wget"],
};

/// Splits `repo[:tag]` (a registry host or digest is kept in the repository part).
pub fn split_reference(image: &str) -> (&str, &str) {
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].rfind(':') {
        Some(colon) => (
            &image[..last_slash + colon],
            &image[last_slash + colon + 1..],
        ),
        None => (image, "latest"),
    }
}

/// Whether the reference is syntactically valid; an invalid one gives `InvalidImageName`.
pub fn is_valid_reference(image: &str) -> bool {
    !image.is_empty()
        && image
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"./:-_@".contains(&b))
        && !image.ends_with(':')
        && !image.starts_with(['.', '-', ':', '/'])
}

/// Looks an image up in the lab's registry.
pub fn lookup(image: &str) -> Option<Image> {
    let (repo, tag) = split_reference(image);
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    match (repo, tag) {
        ("ikubernetes/demoapp", "v1.0" | "v1.1" | "v1.2") => Some(DEMOAPP),
        ("ikubernetes/admin-box", "v1.0" | "v1.1" | "v1.2" | "latest") => Some(ADMIN_BOX),
        ("nginx", tag) if nginx_tag(tag) && tag.contains("alpine") => Some(NGINX_ALPINE),
        ("nginx", tag) if nginx_tag(tag) => Some(NGINX),
        ("busybox", tag) if busybox_tag(tag) => Some(BUSYBOX),
        ("argoproj/rollouts-demo", tag) if rollouts_demo_tag(tag) => Some(ROLLOUTS_DEMO),
        ("quay.io/argoproj/argo-rollouts", "v1.9.1" | "latest") => Some(ARGO_ROLLOUTS_CONTROLLER),
        ("envoyproxy/gateway", "v1.2.6") => Some(ENVOY_GATEWAY_CONTROLLER),
        ("registry.k8s.io/metrics-server/metrics-server", "v0.7.2") => Some(METRICS_SERVER),
        _ => None,
    }
}

/// nginx's Alpine variants carry BusyBox (`wget`) beside curl; the Debian ones only curl.
const NGINX_ALPINE: Image = Image {
    programs: &["sh", "curl", "wget"],
    ..NGINX
};

/// Whether `program` is on the `PATH` of `image` (false for an image the lab does not know).
pub fn has_program(image: &str, program: &str) -> bool {
    lookup(image).is_some_and(|i| i.programs.contains(&program))
}

/// The program of `argv` when `image` does not have it: the runtime execs it directly, so
/// it never starts. Shells and the network tools are looked up in the image; the shell's
/// utilities (echo, sleep, grep) are BusyBox applets or coreutils in every shell image.
pub fn missing_program<'a>(image: &str, argv: &'a [String]) -> Option<&'a str> {
    let first = argv.first()?;
    let program = first.rsplit('/').next().unwrap_or(first);
    let modelled = matches!(program, "sh" | "bash" | "ash" | "curl" | "wget");
    (modelled && !has_program(image, program)).then_some(program)
}

fn nginx_tag(tag: &str) -> bool {
    matches!(tag, "latest" | "stable" | "alpine" | "mainline")
        || tag
            .split(['.', '-'])
            .next()
            .is_some_and(|major| major == "1")
}

/// The colours argoproj/rollouts-demo's `release.sh` pushes, each also as `bad-<colour>`
/// (a high error rate) and `slow-<colour>` (2 s of latency).
pub const ROLLOUTS_DEMO_COLORS: [&str; 6] = ["red", "orange", "yellow", "green", "blue", "purple"];

fn rollouts_demo_tag(tag: &str) -> bool {
    let color = tag
        .strip_prefix("bad-")
        .or_else(|| tag.strip_prefix("slow-"))
        .unwrap_or(tag);
    ROLLOUTS_DEMO_COLORS.contains(&color)
}

fn busybox_tag(tag: &str) -> bool {
    matches!(tag, "latest" | "stable" | "musl" | "glibc" | "uclibc") || tag.starts_with("1.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_images_exist_and_typos_do_not() {
        assert_eq!(
            lookup("ikubernetes/demoapp:v1.0").map(|i| i.app),
            Some(App::Demoapp)
        );
        assert_eq!(
            lookup("ikubernetes/admin-box:v1.2").map(|i| i.app),
            Some(App::Shell)
        );
        assert!(lookup("nginx:1.25").is_some());
        assert!(lookup("nginx").is_some());
        assert!(lookup("busybox:1.36").is_some());
        assert!(lookup("ikubernetes/demoapp:v9.9").is_none());
        for image in [
            "argoproj/rollouts-demo:blue",
            "argoproj/rollouts-demo:yellow",
            "argoproj/rollouts-demo:bad-red",
            "argoproj/rollouts-demo:slow-purple",
        ] {
            assert_eq!(
                lookup(image).map(|i| i.app),
                Some(App::RolloutsDemo),
                "{image}"
            );
        }
        assert!(lookup("argoproj/rollouts-demo:does-not-exist").is_none());
        assert!(lookup("argoproj/rollouts-demo").is_none());
        assert!(lookup("ikubernetes/demoap:v1.0").is_none());
    }

    #[test]
    fn references_split_into_repository_and_tag() {
        assert_eq!(
            split_reference("ikubernetes/demoapp:v1.1"),
            ("ikubernetes/demoapp", "v1.1")
        );
        assert_eq!(split_reference("nginx"), ("nginx", "latest"));
        assert_eq!(
            split_reference("localhost:5000/app"),
            ("localhost:5000/app", "latest")
        );
        assert!(!is_valid_reference("Nginx"));
        assert!(!is_valid_reference("nginx latest"));
        assert!(is_valid_reference("ikubernetes/demoapp:v1.0"));
    }
}
