//! The headless runner: the same simulator and kubectl layer as the page, without a page.

use std::fs;

const USAGE: &str = "usage: rollout-lab conformance FILE.json\n       rollout-lab run SCRIPT [--seed N]\n       rollout-lab apiserver [--port N] [--address IP] [--kubeconfig FILE] [--speed X] [--seed N] [SCRIPT]\n";

/// Runs the command line `args` (without the program name); returns the exit status.
pub fn main(args: Vec<String>) -> i32 {
    match args.first().map(String::as_str) {
        Some("conformance") => match args.get(1) {
            Some(path) => conformance(path),
            None => usage(),
        },
        Some("run") => run(&args[1..]),
        Some("lesson") => lesson(&args[1..]),
        Some("apiserver") => apiserver(&args[1..]),
        _ => usage(),
    }
}

fn usage() -> i32 {
    eprint!("{USAGE}");
    2
}

fn conformance(path: &str) -> i32 {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read {path}: {err}");
            return 2;
        }
    };
    let report = match rollout_sim::conformance::run_file(&text) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {path}: {err}");
            return 2;
        }
    };
    for failure in &report.failures {
        println!("FAIL {}: {}", failure.source, failure.reason);
    }
    println!("{}", report.summary_line());
    i32::from(!report.failures.is_empty())
}

/// `rollout-lab run SCRIPT [--seed N]`: prints the transcript of the script.
fn run(args: &[String]) -> i32 {
    let mut script = None;
    let mut seed = 1u64;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--seed" => match rest.next().and_then(|s| s.parse().ok()) {
                Some(value) => seed = value,
                None => return usage(),
            },
            other if other.starts_with("--seed=") => match other["--seed=".len()..].parse() {
                Ok(value) => seed = value,
                Err(_) => return usage(),
            },
            path if script.is_none() => script = Some(path.to_string()),
            _ => return usage(),
        }
    }
    let Some(path) = script else { return usage() };
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read {path}: {err}");
            return 2;
        }
    };
    let folder = std::path::Path::new(&path)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    print!(
        "{}",
        rollout_kubectl::runner::run_script(&text, &neighbours(&folder), seed)
    );
    0
}

/// `rollout-lab apiserver`: the cluster (after SCRIPT, if given) served as the Kubernetes
/// API on loopback, with a kubeconfig written for it.
fn apiserver(args: &[String]) -> i32 {
    let mut port = 0u16;
    let mut address: std::net::IpAddr = std::net::Ipv4Addr::LOCALHOST.into();
    let mut kubeconfig = None;
    let mut speed = 0.0f64;
    let mut seed = 1u64;
    let mut script = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| rest.next().cloned());
        let ok = match flag {
            "--port" => value().and_then(|v| v.parse().ok()).map(|v| port = v),
            "--address" => value().and_then(|v| v.parse().ok()).map(|v| address = v),
            "--kubeconfig" => value().map(|v| kubeconfig = Some(v)),
            "--speed" => value()
                .and_then(|v| v.parse().ok())
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .map(|v| speed = v),
            "--seed" => value().and_then(|v| v.parse().ok()).map(|v| seed = v),
            path if script.is_none() && !path.starts_with('-') => {
                script = Some(path.to_string());
                Some(())
            }
            _ => None,
        };
        if ok.is_none() {
            return usage();
        }
    }
    let bound = match rollout_apiserver::bind(address, port) {
        Ok(bound) => bound,
        Err(err) => {
            eprintln!("error: {err}");
            return 1;
        }
    };
    let mut lab = rollout_kubectl::lab::Lab::headless(seed);
    if let Some(path) = &script {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("error: cannot read {path}: {err}");
                return 2;
            }
        };
        let folder = std::path::Path::new(path)
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        eprint!(
            "{}",
            rollout_kubectl::runner::run_in(&mut lab, &text, &neighbours(&folder))
        );
    }
    let config = rollout_apiserver::kubeconfig(bound.address);
    let path = kubeconfig.unwrap_or_else(|| "rollout-lab.kubeconfig".to_string());
    if let Err(err) = fs::write(&path, config) {
        eprintln!("error: cannot write {path}: {err}");
        return 1;
    }
    println!("Serving the lab's cluster at http://{}", bound.address);
    println!("kubeconfig: {path}   (kubectl --kubeconfig {path} get pods)");
    println!(
        "clock: curl -X POST 'http://{}/lab/advance?seconds=30'",
        bound.address
    );
    let server = rollout_apiserver::Server::new(lab, bound.address, speed);
    match rollout_apiserver::serve(bound, server) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("error: {err}");
            1
        }
    }
}

/// The small text files beside a script, which `kubectl apply -f NAME` may name.
fn neighbours(folder: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    let dir = if folder.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        folder
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let small = entry
            .metadata()
            .map(|m| m.is_file() && m.len() < 1 << 20)
            .unwrap_or(false);
        if let (true, Some(name), Ok(text)) = (
            small,
            path.file_name().and_then(|n| n.to_str()),
            fs::read_to_string(&path),
        ) {
            files.insert(name.to_string(), text);
        }
    }
    files
}

/// `rollout-lab lesson FILE…`: runs each lesson's suggested commands and checks every step.
fn lesson(paths: &[String]) -> i32 {
    let mut failed = false;
    let mut sources: Vec<(String, String)> = Vec::new();
    if paths.is_empty() {
        sources.extend(
            rollout_kubectl::lesson::BUILT_IN
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string())),
        );
    }
    for path in paths {
        match fs::read_to_string(path) {
            Ok(text) => sources.push((path.clone(), text)),
            Err(err) => {
                eprintln!("error: cannot read {path}: {err}");
                return 2;
            }
        }
    }
    for (name, text) in sources {
        let lesson = match rollout_kubectl::lesson::Lesson::parse(&text) {
            Ok(lesson) => lesson,
            Err(err) => {
                // One line per problem, as compilers print them: `FILE:LINE: field: problem`.
                for problem in err.problems() {
                    match problem.line {
                        Some(line) => print!("{name}:{line}: "),
                        None => print!("{name}: "),
                    }
                    if !problem.field.is_empty() {
                        print!("{}: ", problem.field);
                    }
                    println!("{}", problem.kind);
                }
                failed = true;
                continue;
            }
        };
        for report in rollout_kubectl::lesson::verify(&lesson, 1) {
            if report.failures.is_empty() {
                println!(
                    "{} step {}: ok (checked after {}s)",
                    lesson.id, report.step, report.waited_secs
                );
            } else {
                println!(
                    "{} step {}: FAILED: {}",
                    lesson.id,
                    report.step,
                    report.failures.join("; ")
                );
                failed = true;
            }
        }
    }
    i32::from(failed)
}
