//! Every built-in lesson: its suggested commands reach every step's check.
#![cfg(not(target_arch = "wasm32"))]

use rollout_kubectl::lesson::{
    built_in, verify, Lesson, ProblemKind, BUILT_IN, CATALOG, MAX_FILE_BYTES,
};

#[test]
fn every_lesson_file_parses() {
    assert!(!BUILT_IN.is_empty(), "no lessons found in lessons/");
    for (name, text) in BUILT_IN {
        if let Err(err) = Lesson::parse(text) {
            panic!("{name}: {err}");
        }
    }
}

/// The page lists the lessons from the catalog the build script reads line by line, before it
/// fetches any file: each entry must say what the file says, and its stub must be a stub.
#[test]
fn the_catalog_agrees_with_every_lesson_file() {
    assert_eq!(CATALOG.len(), BUILT_IN.len());
    for ((name, text), entry) in BUILT_IN.iter().zip(CATALOG) {
        let lesson = Lesson::parse(text).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(entry.file, *name);
        assert_eq!(entry.id, lesson.id, "{name}");
        assert_eq!(entry.order, lesson.order, "{name}");
        assert_eq!(entry.title_en, lesson.title.en, "{name}");
        assert_eq!(entry.title_zh, lesson.title.zh, "{name}");
        assert!(!lesson.is_stub(), "{name}");
        let stub = entry.stub();
        assert!(stub.is_stub() && stub.id == lesson.id && stub.title == lesson.title);
    }
}

#[test]
fn lesson_ids_and_orders_are_unique() {
    let lessons = built_in();
    for (i, a) in lessons.iter().enumerate() {
        for b in &lessons[i + 1..] {
            assert_ne!(a.id, b.id);
            assert_ne!(a.order, b.order, "{} and {}", a.id, b.id);
        }
    }
}

#[test]
fn every_lesson_reaches_every_check_by_its_own_commands() {
    for lesson in built_in() {
        for report in verify(&lesson, 1) {
            assert!(
                report.failures.is_empty(),
                "{} step {}: {:?}",
                lesson.id,
                report.step,
                report.failures
            );
        }
    }
}

#[test]
fn every_text_is_in_both_languages() {
    for lesson in built_in() {
        let texts = std::iter::once(&lesson.title)
            .chain(std::iter::once(&lesson.summary))
            .chain(lesson.steps.iter().flat_map(|s| [&s.title, &s.text]));
        for text in texts {
            assert!(
                !text.en.is_empty() && !text.zh.is_empty(),
                "{}: {text:?}",
                lesson.id
            );
        }
    }
}

#[test]
fn a_broken_lesson_reports_every_problem_with_its_line_and_field() {
    let text = "id: Bad_Id\norder: 1\ntitle: {en: x, fr: y}\nsummary: {en: s}\n\
                steps:\n  - title: {en: one}\n    text: {en: t}\n    check:\n\
                \x20     - pods: {selector: app=x, redy: 2}\n  - text: {en: t}\n";
    let err = Lesson::parse(text).expect_err("the lesson is broken");
    let lines: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "line 1: id: may only hold lowercase letters, digits and dashes",
            "line 3: title.fr: unknown field, expected one of: en, zh",
            "line 9: steps[0].check[0].pods.redy: unknown field, expected one of: ready, selector, total, version",
            "line 10: steps[1]: missing field \"title\"",
        ]
    );
}

#[test]
fn a_lesson_too_large_or_too_long_is_refused_before_it_runs() {
    let huge = format!("id: x\n# {}\n", "x".repeat(MAX_FILE_BYTES));
    let err = Lesson::parse(&huge).expect_err("too large");
    assert!(matches!(
        err.problems()[0].kind,
        ProblemKind::FileTooLarge { .. }
    ));
    let step = "  - title: {en: s}\n    text: {en: t}\n";
    let many = format!(
        "id: x\norder: 1\ntitle: {{en: x}}\nsummary: {{en: s}}\nsteps:\n{}",
        step.repeat(51)
    );
    let err = Lesson::parse(&many).expect_err("too many steps");
    assert_eq!(
        err.to_string(),
        "line 5: steps: 51 items, at most 50 are accepted"
    );
}

#[test]
fn a_yaml_syntax_error_names_its_line() {
    let err = Lesson::parse("id: x\nsteps: [\n  a: b: c\n").expect_err("not YAML");
    assert!(
        matches!(err.problems()[0].kind, ProblemKind::Yaml(_)),
        "{err}"
    );
    assert!(err.problems()[0].line.is_some(), "{err}");
}

#[test]
fn the_schema_uses_only_what_the_checker_implements() {
    let schema = rollout_kubectl::lesson::schema::lesson_schema();
    assert!(
        schema.is_object(),
        "lessons/lesson.schema.json does not parse"
    );
    assert_eq!(
        rollout_kubectl::lesson::schema::unsupported_keywords(schema),
        Vec::<String>::new()
    );
}

/// The published schema, with its annotations (what the lab compiles in has only the rules).
fn published_schema() -> serde_json::Value {
    let text = include_str!("../lessons/lesson.schema.json");
    serde_json::from_str(text).expect("lessons/lesson.schema.json is JSON")
}

/// The lessons in the schema's `examples`, as the text of a lesson file (JSON is YAML).
fn schema_examples() -> Vec<String> {
    published_schema()["examples"]
        .as_array()
        .expect("the schema has examples")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_built_in_lesson_and_schema_example_validates_against_the_schema() {
    let schema = &published_schema();
    let texts = BUILT_IN
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .chain(
            schema_examples()
                .into_iter()
                .map(|t| ("example".to_string(), t)),
        );
    for (name, text) in texts {
        let value = rollout_sim::manifest::yaml::document_to_json(&text)
            .expect("YAML")
            .expect("a document");
        assert_eq!(
            rollout_kubectl::lesson::schema::check(schema, &value),
            [],
            "{name}"
        );
    }
}

#[test]
fn the_schema_examples_start_from_their_setup_and_reach_every_check() {
    for text in schema_examples() {
        let lesson = Lesson::parse(&text).unwrap_or_else(|err| panic!("{err}"));
        assert!(!lesson.setup.apply.is_empty() && lesson.done.is_some());
        for report in verify(&lesson, 1) {
            assert!(report.failures.is_empty(), "{}: {:?}", lesson.id, report);
        }
    }
}

#[test]
fn a_shell_check_holds_only_when_its_command_exits_zero() {
    let lesson = Lesson::parse(
        "id: s\norder: 1\ntitle: {en: t}\nsummary: {en: s}\nsteps:\n\
         \x20 - title: {en: a}\n    text: {en: b}\n    check:\n\
         \x20     - shell: kubectl get deployment nope\n\
         \x20 - title: {en: c}\n    text: {en: d}\n    check:\n\
         \x20     - shell: \"while true; do :; done\"\n",
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let reports = verify(&lesson, 1);
    assert_eq!(
        reports[0].failures,
        ["`kubectl get deployment nope` exits 1"]
    );
    assert_eq!(reports[1].failures.len(), 1, "{reports:?}");
}

#[test]
fn a_lesson_sizes_its_cluster_and_a_size_it_cannot_have_is_refused() {
    let lesson = |nodes: &str| {
        Lesson::parse(&format!(
            "id: s\norder: 1\ntitle: {{en: t}}\nsummary: {{en: s}}\nsettings:\n  nodes: {nodes}\n\
             steps:\n  - title: {{en: a}}\n    text: {{en: b}}\n"
        ))
    };
    let five_tiny = lesson("{count: 5, size: tiny}").unwrap_or_else(|err| panic!("{err}"));
    let mut lab = five_tiny.start(1);
    let nodes: Vec<(String, String)> = lab
        .cluster()
        .store()
        .nodes
        .values()
        .map(|n| {
            let cpu = n.status.allocatable.get("cpu").cloned().unwrap_or_default();
            (n.metadata.name.clone(), cpu)
        })
        .collect();
    assert_eq!(nodes.len(), 5);
    assert_eq!(nodes[4], ("k8s-node05".to_string(), "1".to_string()));
    // Two pods of 1.5 CPU each fit on none of them: both wait, as kube-scheduler says.
    rollout_kubectl::lesson::run_commands(
        &mut lab,
        &[
            "kubectl create deployment big --image=nginx --replicas=2".to_string(),
            "kubectl set resources deployment big --requests=cpu=1500m".to_string(),
        ],
    );
    lab.advance(rollout_sim::clock::Duration::from_secs(30));
    let pending = lab
        .cluster()
        .store()
        .pods
        .values()
        .filter(|p| p.spec.node_name.is_empty() && p.metadata.deletion_timestamp.is_none())
        .count();
    // The surge pod of the new template fits on no tiny worker and waits.
    assert_eq!(pending, 1);
    // Absent, the course's three small workers.
    let course = lesson("{size: small}").unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(course.start(1).cluster().store().nodes.len(), 3);
    for bad in ["{count: 0}", "{count: 101}", "{size: huge}", "{cpus: 4}"] {
        let err = lesson(bad).expect_err(bad);
        assert!(err.to_string().contains("settings.nodes"), "{bad}: {err}");
    }
}

#[test]
fn step_ids_and_file_names_are_well_formed_and_used_once() {
    let text = "id: x\norder: 1\ntitle: {en: t}\nsummary: {en: s}\n\
                files:\n  - {name: a.yaml, content: x}\n  - {name: a.yaml, content: q}\n  - {name: ../b, content: z}\n\
                steps:\n  - {id: one, title: {en: a}, text: {en: b}}\n  - {id: one, title: {en: a}, text: {en: b}}\n\
                \x20 - {id: Two, title: {en: a}, text: {en: b}}\n";
    let err = Lesson::parse(text).expect_err("names clash");
    let lines: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "line 7: files[1].name: \"a.yaml\" is used twice",
            "line 8: files[2].name: may only hold a file name without slashes",
            "line 11: steps[1].id: \"one\" is used twice",
            "line 12: steps[2].id: may only hold lowercase letters, digits and dashes",
        ]
    );
}
