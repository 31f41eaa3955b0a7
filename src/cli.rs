//! The headless runner: the same simulator and kubectl layer as the page, without a page.

use std::fs;

const USAGE: &str =
    "usage: rollout-lab conformance FILE.json\n       rollout-lab run SCRIPT [--seed N]\n";

/// Runs the command line `args` (without the program name); returns the exit status.
pub fn main(args: Vec<String>) -> i32 {
    match args.first().map(String::as_str) {
        Some("conformance") => match args.get(1) {
            Some(path) => conformance(path),
            None => usage(),
        },
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
