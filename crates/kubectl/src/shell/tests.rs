//! The shell against a fake host: a few programs that behave like kubectl and curl do in the
//! course (one-shot, waiting on the clock, reading stdin, opening a pod shell).
//!
//! Table of contents: quoting and variables · lists and exit codes · pipes · substitution and
//! loops · heredocs and redirections · files · error texts · the non-blocking state machine
//! (sleep, wait, Ctrl-C, runaway loops, yielding) · nested pod shells · snapshots · fuzzing.

use std::collections::BTreeMap;

use rollout_sim::clock::{Duration, Time};

use super::*;

// ---------------------------------------------------------------------------------------------
// The fake host

#[derive(Clone, Debug)]
enum FakeProc {
    /// Prints and exits on its first poll.
    Once {
        stdout: String,
        stderr: String,
        status: i32,
    },
    /// `kubectl apply -f -`: waits for all of stdin, then reports each `name:`.
    ApplyStdin,
    /// `kubectl get pods -w`: a line each virtual second, forever.
    Watch { next: Time },
    /// `kubectl rollout status`: done at 3 s.
    RolloutStatus { reported: bool },
    /// `kubectl run -it --rm` / `kubectl exec -it`.
    Interactive {
        login: Login,
        rm: bool,
        entered: bool,
        exited: Option<i32>,
        /// `-t` with a pipe for input: kubectl warns, then goes on without a terminal.
        no_tty: bool,
    },
}

#[derive(Clone, Debug, Default)]
struct FakeHost {
    now: Time,
    random_calls: u16,
    next_pid: u64,
    procs: BTreeMap<Pid, FakeProc>,
    killed: Vec<(Pid, Signal)>,
    spawned: Vec<(Vec<String>, Location, bool)>,
}

impl FakeHost {
    fn start(&mut self, proc: FakeProc) -> Result<Pid, SpawnError> {
        self.next_pid += 1;
        let pid = Pid(self.next_pid);
        self.procs.insert(pid, proc);
        Ok(pid)
    }

    fn once(&mut self, stdout: &str, stderr: &str, status: i32) -> Result<Pid, SpawnError> {
        self.start(FakeProc::Once {
            stdout: stdout.into(),
            stderr: stderr.into(),
            status,
        })
    }
}

impl Host for FakeHost {
    fn now(&self) -> Time {
        self.now
    }

    fn random(&mut self) -> u16 {
        self.random_calls += 1;
        20738 + self.random_calls
    }

    fn spawn(&mut self, argv: &[String], ctx: &Context<'_>) -> Result<Pid, SpawnError> {
        self.spawned
            .push((argv.to_vec(), ctx.location.clone(), ctx.stdin_is_terminal));
        let args: Vec<&str> = argv.iter().map(String::as_str).collect();
        let in_pod = matches!(ctx.location, Location::Pod { .. });
        match args.as_slice() {
            ["curl", ..] => {
                let ip = if in_pod { "10.244.3.68" } else { "10.0.0.100" };
                self.once(
                    &format!("iKubernetes demoapp v1.0 !! ClientIP: {ip}, ServerName: demo-1!\n"),
                    "",
                    0,
                )
            }
            ["kubectl", ..] if in_pod => Err(SpawnError::NotFound),
            ["kubectl", "apply", "-f", "-"] => self.start(FakeProc::ApplyStdin),
            ["kubectl", "apply", "-f", file] => {
                let path = Vfs::resolve(ctx.cwd, file);
                match ctx.files.read(&path) {
                    Some(text) => {
                        let names: String = text
                            .lines()
                            .filter_map(|l| l.trim().strip_prefix("name: "))
                            .filter_map(|n| n.split_whitespace().next())
                            .map(|n| format!("deployment.apps/{n} created\n"))
                            .collect();
                        self.once(&names, "", 0)
                    }
                    None => self.once(
                        "",
                        &format!("error: the path \"{file}\" does not exist\n"),
                        1,
                    ),
                }
            }
            ["kubectl", "get", "pods", "-w"] => {
                let next = self.now;
                self.start(FakeProc::Watch { next })
            }
            ["kubectl", "get", "pods"] => self.once(
                "NAME      READY   STATUS    RESTARTS   AGE\ndemo-1    1/1     Running   0          5s\ndemo-2    1/1     Running   0          5s\n",
                "",
                0,
            ),
            ["kubectl", "rollout", "status", ..] => {
                self.start(FakeProc::RolloutStatus { reported: false })
            }
            ["kubectl", "run", name, rest @ ..] if rest.contains(&"-it") => {
                self.start(FakeProc::Interactive {
                    login: Login::pod_bash("default", name),
                    rm: rest.contains(&"--rm"),
                    entered: false,
                    exited: None,
                    no_tty: !ctx.stdin_is_terminal,
                })
            }
            ["kubectl", "exec", "-it", pod, "--", "/bin/sh"] => self.start(FakeProc::Interactive {
                login: Login::pod_sh("default", pod),
                rm: false,
                entered: false,
                exited: None,
                no_tty: !ctx.stdin_is_terminal,
            }),
            ["kubectl", "version"] => self.once("Client Version: v1.30.13\n", "", 0),
            ["kubectl", verb, ..] => self.once(
                "",
                &format!("error: unknown command \"{verb}\" for \"kubectl\"\n"),
                1,
            ),
            _ => Err(SpawnError::NotFound),
        }
    }

    fn poll(&mut self, pid: Pid, io: &mut Io<'_>) -> ProcessPoll {
        let now = self.now;
        let Some(proc) = self.procs.get_mut(&pid) else {
            return ProcessPoll::Exited(1);
        };
        let result = match proc {
            FakeProc::Once {
                stdout,
                stderr,
                status,
            } => {
                io.write_stdout(stdout);
                io.write_stderr(stderr);
                ProcessPoll::Exited(*status)
            }
            FakeProc::ApplyStdin => match io.read_stdin_to_end() {
                StdinRead::Pending => ProcessPoll::Running,
                StdinRead::Terminal => {
                    io.write_stderr("error: no objects passed to apply\n");
                    ProcessPoll::Exited(1)
                }
                StdinRead::Data { text, .. } => {
                    for name in text.lines().filter_map(|l| l.trim().strip_prefix("name: ")) {
                        io.write_stdout(&format!("deployment.apps/{name} configured\n"));
                    }
                    ProcessPoll::Exited(0)
                }
            },
            FakeProc::Watch { next } => {
                while *next <= now {
                    io.write_stdout(&format!("demo-1   1/1   Running   {}s\n", next.0 / 1000));
                    *next = *next + Duration::from_secs(1);
                }
                ProcessPoll::Running
            }
            FakeProc::RolloutStatus { reported } => {
                if !*reported {
                    io.write_stdout("Waiting for deployment \"demo\" rollout to finish: 2 out of 4 new replicas have been updated...\n");
                    *reported = true;
                }
                if now >= Time(3000) {
                    io.write_stdout("deployment \"demo\" successfully rolled out\n");
                    ProcessPoll::Exited(0)
                } else {
                    ProcessPoll::Running
                }
            }
            FakeProc::Interactive {
                login,
                rm,
                entered,
                exited,
                no_tty,
            } => {
                if !*entered {
                    *entered = true;
                    if *no_tty {
                        io.write_stderr("Unable to use a TTY - input is not a terminal or the right kind of file\n");
                    }
                    io.write_stdout("If you don't see a command prompt, try pressing enter.\n");
                    return ProcessPoll::EnterShell(Box::new(login.clone()));
                }
                match exited {
                    Some(status) => {
                        if *rm {
                            io.write_stdout(&format!("pod \"{}\" deleted\n", login.hostname));
                        }
                        ProcessPoll::Exited(*status)
                    }
                    None => ProcessPoll::Running,
                }
            }
        };
        if let ProcessPoll::Exited(_) = result {
            self.procs.remove(&pid);
        }
        result
    }

    fn kill(&mut self, pid: Pid, signal: Signal, _io: &mut Io<'_>) {
        self.killed.push((pid, signal));
        self.procs.remove(&pid);
    }

    fn nested_shell_exited(&mut self, pid: Pid, status: i32, _io: &mut Io<'_>) {
        if let Some(FakeProc::Interactive { exited, .. }) = self.procs.get_mut(&pid) {
            *exited = Some(status);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// What a command printed and its status.
#[derive(Debug, Default, PartialEq)]
struct Ran {
    out: String,
    err: String,
    status: i32,
}

fn shell() -> Shell {
    Shell::new(
        Login::course_master("K8s-master01", "/root/chapter8"),
        Vfs::default(),
    )
}

fn collect(chunks: Vec<Chunk>, ran: &mut Ran) {
    for chunk in chunks {
        match chunk.stream {
            Stream::Stdout => ran.out.push_str(&chunk.text),
            Stream::Stderr => ran.err.push_str(&chunk.text),
        }
    }
}

/// Polls like the headless runner: the clock jumps to each wake-up time, or steps 1 s while a
/// program waits on the cluster; the editor closes at once.
fn drive(sh: &mut Shell, host: &mut FakeHost) -> Ran {
    let mut ran = Ran::default();
    for _ in 0..100_000 {
        match sh.poll(host) {
            Poll::Output(chunks) => collect(chunks, &mut ran),
            Poll::Sleeping { until } => host.now = until.max(host.now),
            Poll::Waiting { until } => {
                let step = host.now + Duration::from_secs(1);
                host.now = until.map_or(step, |u| u.min(step)).max(host.now);
            }
            Poll::Edit { .. } => sh.edit_done(),
            Poll::Done(status) => {
                ran.status = status;
                return ran;
            }
        }
    }
    panic!("the shell did not finish: {ran:?}");
}

/// Submits every line (all but the last must ask for more, the last must start) and runs it.
fn run_in(sh: &mut Shell, host: &mut FakeHost, lines: &str) -> Ran {
    let lines: Vec<&str> = lines.split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let answer = sh.submit(line);
        if i + 1 < lines.len() {
            assert!(
                matches!(answer, Submit::NeedMore { .. }),
                "line {i} {line:?} gave {answer:?}"
            );
        } else {
            assert_eq!(answer, Submit::Started, "last line {line:?}");
        }
    }
    drive(sh, host)
}

fn run(lines: &str) -> Ran {
    run_in(&mut shell(), &mut FakeHost::default(), lines)
}

fn out(lines: &str) -> String {
    let ran = run(lines);
    assert_eq!(ran.err, "", "stderr of {lines:?}");
    ran.out
}

// ---------------------------------------------------------------------------------------------
// Quoting and variables

#[test]
fn quoting_keeps_or_splits_words_like_bash() {
    assert_eq!(
        out(r#"X='a  b'; echo $X "$X" '$X' \$X ${X}"!" "${X}!""#),
        "a b a  b $X $X a b! a  b!\n"
    );
    assert_eq!(
        out(r#"echo "it's" 'say "hi"' a\ b"#),
        "it's say \"hi\" a b\n"
    );
    assert_eq!(out("echo -n x; echo -e 'a\\tb\\nc'"), "xa\tb\nc\n");
    assert_eq!(out("echo $'tab\\there'"), "tab\there\n");
    assert_eq!(out("echo ~ ~/x"), "/root /root/x\n");
    assert_eq!(out("echo a # a comment"), "a\n");
}

#[test]
fn parameters_expand_with_defaults_lengths_and_arithmetic() {
    assert_eq!(out("echo ${NOPE:-dflt} ${#HOME} $((2+3*4))"), "dflt 5 14\n");
    assert_eq!(out("i=1; i=$((i+1)); echo $i"), "2\n");
    assert_eq!(out("X=a; X+=b; echo $X"), "ab\n");
    let ran = run("echo ${X%y}");
    assert_eq!(ran.err, "bash: ${X%y}: bad substitution\n");
    assert_eq!(ran.status, 1);
}

#[test]
fn random_comes_from_the_host() {
    let mut host = FakeHost::default();
    let ran = run_in(
        &mut shell(),
        &mut host,
        "echo client-$RANDOM client-$RANDOM",
    );
    assert_eq!(ran.out, "client-20739 client-20740\n");
}

#[test]
fn the_terminal_size_answers_columns_tput_and_stty() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    let before = run_in(&mut sh, &mut host, "echo $COLUMNS $LINES; stty size");
    assert_eq!(before.out, "80 24\n24 80\n", "without a terminal: 80x24");
    sh.set_winsize(Winsize {
        cols: 142,
        rows: 31,
    });
    let ran = run_in(
        &mut sh,
        &mut host,
        "echo $COLUMNS $LINES; tput cols; echo $(tput lines); stty size",
    );
    assert_eq!(ran.out, "142 31\n142\n31\n31 142\n");
    assert_eq!(
        sh.winsize(),
        Winsize {
            cols: 142,
            rows: 31
        }
    );
    // A user's assignment wins, as in bash between two resizes; `env` does not list them
    // (bash does not export COLUMNS and LINES).
    assert_eq!(out("COLUMNS=50; echo $COLUMNS"), "50\n");
    assert!(!out("env").contains("COLUMNS"));
    let bad = run_in(&mut sh, &mut host, "tput");
    assert_eq!(bad.status, 2);
}

#[test]
fn dollar_question_mark_is_the_last_status() {
    assert_eq!(out("false; echo $?; true; echo $?"), "1\n0\n");
    assert_eq!(out("X=$(exit 3); echo $?"), "3\n");
    let mut sh = shell();
    let mut host = FakeHost::default();
    assert_eq!(run_in(&mut sh, &mut host, "nosuch").status, 127);
    assert_eq!(run_in(&mut sh, &mut host, "echo $?").out, "127\n");
}

// ---------------------------------------------------------------------------------------------
// Lists and exit codes

#[test]
fn and_and_or_short_circuit_left_to_right() {
    assert_eq!(out("true && echo yes || echo no"), "yes\n");
    assert_eq!(out("false && echo yes || echo no"), "no\n");
    assert_eq!(out("false || false && echo never; echo $?"), "1\n");
    assert_eq!(out("true || echo skipped && echo runs"), "runs\n");
    assert_eq!(run("false && echo x").status, 1);
    assert_eq!(run("! true").status, 1);
    assert_eq!(
        run("kubectl version && kubectl nope && echo unreachable"),
        Ran {
            out: "Client Version: v1.30.13\n".into(),
            err: "error: unknown command \"nope\" for \"kubectl\"\n".into(),
            status: 1
        }
    );
}

#[test]
fn if_then_else_picks_by_exit_status() {
    assert_eq!(
        out("if false; then echo a; elif true; then echo b; else echo c; fi"),
        "b\n"
    );
    assert_eq!(out("if [ 3 -gt 2 ]; then echo big; fi"), "big\n");
    assert_eq!(out("if test -z \"\"; then echo empty; fi"), "empty\n");
    assert_eq!(run("if false; then echo a; fi").status, 0);
}

/// GNU grep's context lines (`kubectl describe … | grep -A5 Events`): `-A`, `-B`, `-C`, in
/// every spelling, `--` between groups that do not touch, `-` after a context line's number.
#[test]
fn grep_prints_context_lines_as_gnu_grep_does() {
    assert_eq!(out("seq 8 | grep -A1 '[27]'"), "2\n3\n--\n7\n8\n");
    assert_eq!(out("seq 8 | grep -B 1 4"), "3\n4\n");
    assert_eq!(out("seq 8 | grep -n --context=1 5"), "4-4\n5:5\n6-6\n");
    assert_eq!(out("seq 8 | grep -C1 '[34]'"), "2\n3\n4\n5\n");
    assert_eq!(out("seq 8 | grep -A 2 -c '[12]'"), "2\n");
    assert_eq!(
        out("echo 'v1.0 and v1.1' | grep -o 'v1\\.[0-9]'"),
        "v1.0\nv1.1\n"
    );
    assert_eq!(out("printf 'ab\\nc\\n' | grep -on 'b*'"), "1:b\n");
    assert_eq!(out("echo Running | grep -oi RUN"), "Run\n");
    let bad = run("seq 3 | grep -Ax 1");
    assert_eq!(bad.status, 2);
}

// ---------------------------------------------------------------------------------------------
// Pipes

#[test]
fn pipes_connect_builtins_and_programs() {
    assert_eq!(out("seq 12 | grep 1 | wc -l"), "4\n");
    assert_eq!(out("seq 5 | head -n 3"), "1\n2\n3\n");
    assert_eq!(out("seq 5 | head -2"), "1\n2\n");
    assert_eq!(out("seq 5 | tail -n 2"), "4\n5\n");
    assert_eq!(out("seq 5 | tail -1"), "5\n");
    assert_eq!(out("kubectl get pods | grep -c Running"), "2\n");
    assert_eq!(
        out("kubectl get pods | tail -n +2 | head -n 1 | wc -w"),
        "5\n"
    );
    assert_eq!(
        out("echo b a b | tr -d a; printf '%s\\n' b a b | sort | uniq -c"),
        "b  b\n      1 a\n      2 b\n"
    );
    assert_eq!(run("true | false").status, 1);
    assert_eq!(run("false | true").status, 0);
}

/// GNU uniq's -d, -u and -i (as `sort | uniq -d` finds the node holding two pods); an
/// option it does not have is refused, not ignored.
#[test]
fn uniq_prints_repeated_or_unique_groups() {
    assert_eq!(out("printf '%s\\n' a b b B c | uniq -d"), "b\n");
    assert_eq!(out("printf '%s\\n' a b b c | uniq -u"), "a\nc\n");
    assert_eq!(
        out("printf '%s\\n' a b B c | uniq -ic"),
        "      1 a\n      2 b\n      1 c\n"
    );
    assert_eq!(out("printf '%s\\n' a a | uniq -du"), "");
    let ran = run("uniq -x");
    assert_eq!(ran.status, 1);
    assert_eq!(
        ran.err,
        "uniq: invalid option -- 'x'\nTry 'uniq --help' for more information.\n"
    );
}

#[test]
fn head_closes_the_pipe_of_an_endless_writer() {
    let mut host = FakeHost::default();
    let ran = run_in(&mut shell(), &mut host, "seq 1000000000 | head -n 2");
    assert_eq!(ran.out, "1\n2\n");
    let ran = run_in(
        &mut shell(),
        &mut host,
        "while true; do curl demoapp-svc; sleep 1; done | head -n 3",
    );
    assert_eq!(ran.out.lines().count(), 3);
    assert!(host.now <= Time(4000), "stopped at {:?}", host.now);
}

#[test]
fn a_pipe_streams_while_the_writer_sleeps() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    assert_eq!(
        sh.submit("while true; do curl demoapp-svc; sleep 1; done | grep v1.0"),
        Submit::Started
    );
    let mut seen = String::new();
    for _ in 0..50 {
        match sh.poll(&mut host) {
            Poll::Output(chunks) => chunks.into_iter().for_each(|c| seen.push_str(&c.text)),
            Poll::Sleeping { until } => {
                if until > Time(2500) {
                    break;
                }
                host.now = until;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(seen.lines().count(), 3, "{seen}");
}

// ---------------------------------------------------------------------------------------------
// Substitution and loops

#[test]
fn command_substitution_feeds_words_and_loops() {
    assert_eq!(out("echo $(seq 3)"), "1 2 3\n");
    assert_eq!(out("echo \"$(seq 2)\""), "1\n2\n");
    assert_eq!(out("for i in $(seq 3); do echo n$i; done"), "n1\nn2\nn3\n");
    assert_eq!(out("for i in 1 2 3; do echo $i; done"), "1\n2\n3\n");
    assert_eq!(out("echo > f x; X=$(cat f); echo \"[$X]\""), "[x]\n");
    assert_eq!(
        out("echo `echo back` $(echo $(echo nested))"),
        "back nested\n"
    );
}

#[test]
fn while_loops_run_by_exit_status_with_break_and_continue() {
    assert_eq!(
        out("i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done"),
        "1\n2\n3\n"
    );
    assert_eq!(
        out("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i"),
        "2\n"
    );
    assert_eq!(
        out("for i in 1 2 3 4; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done"),
        "1\n3\n"
    );
    assert_eq!(out("while true; do echo once; break; done"), "once\n");
}

#[test]
fn a_loop_split_over_lines_asks_for_more_with_the_continuation_prompt() {
    let mut sh = shell();
    assert_eq!(
        sh.submit("for i in 1 2"),
        Submit::NeedMore {
            prompt: "> ".into()
        }
    );
    assert_eq!(sh.prompt(), "> ");
    assert_eq!(
        sh.submit("do"),
        Submit::NeedMore {
            prompt: "> ".into()
        }
    );
    assert_eq!(
        sh.submit("  echo $i"),
        Submit::NeedMore {
            prompt: "> ".into()
        }
    );
    assert_eq!(sh.submit("done"), Submit::Started);
    let ran = drive(&mut sh, &mut FakeHost::default());
    assert_eq!(ran.out, "1\n2\n");
    assert_eq!(sh.prompt(), "[root@K8s-master01 chapter8]# ");
    assert_eq!(
        sh.history().last().map(String::as_str),
        Some("for i in 1 2\ndo\n  echo $i\ndone")
    );
}

// ---------------------------------------------------------------------------------------------
// Heredocs and redirections

#[test]
fn a_quoted_heredoc_writes_a_file_verbatim() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    let ran = run_in(
        &mut sh,
        &mut host,
        "cat > deployment-demo.yaml <<'EOF'\nmetadata:\n  name: deployment-demo  # $HOME\nEOF",
    );
    assert_eq!(ran, Ran::default());
    assert_eq!(
        sh.files().read("/root/chapter8/deployment-demo.yaml"),
        Some("metadata:\n  name: deployment-demo  # $HOME\n")
    );
    let ran = run_in(&mut sh, &mut host, "kubectl apply -f deployment-demo.yaml");
    assert_eq!(ran.out, "deployment.apps/deployment-demo created\n");
}

#[test]
fn an_unquoted_heredoc_expands_and_can_feed_a_pipe() {
    let ran = run("V=v1.1; cat <<EOF | kubectl apply -f -\nmetadata:\n  name: demo-$V\n  x: \\$V $(echo sub)\nEOF");
    assert_eq!(ran.out, "deployment.apps/demo-v1.1 configured\n");
    assert_eq!(out("cat <<-EOF\n\tindented\n\tEOF"), "indented\n");
    assert_eq!(out("cat <<< 'here string'"), "here string\n");
}

#[test]
fn redirections_write_append_and_silence() {
    assert_eq!(out("echo a > f; echo b >> f; cat f"), "a\nb\n");
    assert_eq!(out("ls nofile 2>/dev/null; echo $?"), "2\n");
    assert_eq!(out("ls nofile 2>&1 | grep -c cannot"), "1\n");
    assert_eq!(
        out("cat nofile > log 2>&1; cat log"),
        "cat: nofile: No such file or directory\n"
    );
    assert_eq!(out("{ echo a; echo b; } > f; wc -l < f"), "2\n");
    assert_eq!(out("for i in 1 2; do echo $i; done > f; cat f"), "1\n2\n");
    assert_eq!(out("echo hidden >/dev/null"), "");
    let ran = run("echo x > /nodir/f");
    assert_eq!(ran.err, "bash: /nodir/f: No such file or directory\n");
    assert_eq!(ran.status, 1);
}

#[test]
fn cat_cannot_read_the_terminal() {
    let ran = run("cat > notes.txt");
    assert_eq!(ran.status, 1);
    assert!(
        ran.err
            .starts_with("cat: reading from the terminal is not supported"),
        "{}",
        ran.err
    );
}

// ---------------------------------------------------------------------------------------------
// Files

#[test]
fn files_can_be_listed_copied_moved_and_removed() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    sh.files_mut()
        .write("/root/chapter8/service-blue-green.yaml", "kind: Service\n");
    let ran = run_in(
        &mut sh,
        &mut host,
        "cp service-blue-green.yaml service-rollout.yaml && ls && mv service-rollout.yaml s.yaml && rm service-blue-green.yaml && ls *.yaml && cat s.yaml",
    );
    assert_eq!(
        ran.out,
        "service-blue-green.yaml  service-rollout.yaml\ns.yaml\nkind: Service\n"
    );
    let ran = run_in(&mut sh, &mut host, "rm nope; cp nope x; mv; pwd");
    assert_eq!(
        ran.err,
        "rm: cannot remove 'nope': No such file or directory\ncp: cannot stat 'nope': No such file or directory\nmv: missing file operand\nTry 'mv --help' for more information.\n"
    );
    assert_eq!(ran.out, "/root/chapter8\n");
    let ran = run_in(
        &mut sh,
        &mut host,
        "mkdir d && cd d && pwd && cd .. && pwd && cd nowhere",
    );
    assert_eq!(ran.out, "/root/chapter8/d\n/root/chapter8\n");
    assert_eq!(ran.err, "bash: cd: nowhere: No such file or directory\n");
}

#[test]
fn the_editor_is_the_hosts() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    assert_eq!(
        sh.submit("vim service-rollout.yaml && echo saved"),
        Submit::Started
    );
    let path = "/root/chapter8/service-rollout.yaml".to_string();
    assert_eq!(sh.poll(&mut host), Poll::Edit { path: path.clone() });
    assert_eq!(sh.poll(&mut host), Poll::Edit { path: path.clone() });
    sh.session_files_mut().write(&path, "edited\n");
    sh.edit_done();
    assert_eq!(drive(&mut sh, &mut host).out, "saved\n");
    assert_eq!(sh.files().read(&path), Some("edited\n"));
}

// ---------------------------------------------------------------------------------------------
// Error texts

#[test]
fn unknown_commands_and_syntax_errors_print_bashs_messages() {
    assert_eq!(
        run("foo --bar"),
        Ran {
            out: "".into(),
            err: "bash: foo: command not found\n".into(),
            status: 127
        }
    );
    for (line, token) in [
        ("done", "done"),
        ("while true; do done", "done"),
        ("| grep x", "|"),
        ("echo a ;; echo b", ";;"),
        ("echo >", "newline"),
        ("fi", "fi"),
        ("echo (", "("),
        ("then echo", "then"),
    ] {
        assert_eq!(
            run(line),
            Ran {
                out: "".into(),
                err: format!("bash: syntax error near unexpected token `{token}'\n"),
                status: 2
            },
            "{line}"
        );
    }
    assert_eq!(
        run("for 1 in a; do :; done").err,
        "bash: `1': not a valid identifier\n"
    );
    assert_eq!(
        run("sleep abc").err,
        "sleep: invalid time interval ‘abc’\nTry 'sleep --help' for more information.\n"
    );
    assert_eq!(
        run("[ a -eq 1 ]").err,
        "bash: [: a: integer expression expected\n"
    );
}

// ---------------------------------------------------------------------------------------------
// The non-blocking state machine

#[test]
fn a_sleeping_loop_prints_once_per_virtual_second_and_stops_on_ctrl_c() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    assert_eq!(
        sh.submit("while true; do echo x; sleep 1; done"),
        Submit::Started
    );
    let mut printed = String::new();
    loop {
        match sh.poll(&mut host) {
            Poll::Output(chunks) => chunks.iter().for_each(|c| printed.push_str(&c.text)),
            Poll::Sleeping { until } => {
                assert!(until > host.now);
                if until > Time(5000) {
                    break;
                }
                host.now = until;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let xs = printed.lines().filter(|l| *l == "x").count();
    assert!((5..=6).contains(&xs), "{xs} lines: {printed:?}");
    assert!(sh.is_busy());
    sh.interrupt(&mut host);
    let ran = drive(&mut sh, &mut host);
    assert_eq!(ran.out, "^C\n");
    assert_eq!(ran.status, 130);
    assert!(!sh.is_busy());
    assert_eq!(run_in(&mut sh, &mut host, "echo $?").out, "130\n");
}

#[test]
fn sleep_takes_decimals_and_the_runner_jumps_the_clock() {
    let mut host = FakeHost::default();
    let ran = run_in(&mut shell(), &mut host, "sleep .5; sleep 1.5 && echo done");
    assert_eq!(ran.out, "done\n");
    assert_eq!(host.now, Time(2000));
}

#[test]
fn a_program_waiting_on_the_cluster_makes_the_shell_wait() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    sh.submit("kubectl rollout status deployment/demo");
    match sh.poll(&mut host) {
        Poll::Output(chunks) => assert!(chunks[0].text.starts_with("Waiting for deployment")),
        other => panic!("{other:?}"),
    }
    assert_eq!(sh.poll(&mut host), Poll::Waiting { until: None });
    host.now = Time(3000);
    let ran = drive(&mut sh, &mut host);
    assert_eq!(ran.out, "deployment \"demo\" successfully rolled out\n");
}

#[test]
fn ctrl_c_kills_the_running_program() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    sh.submit("kubectl get pods -w; echo after");
    host.now = Time(2000);
    let first = sh.poll(&mut host);
    assert!(matches!(first, Poll::Output(_)), "{first:?}");
    assert_eq!(sh.poll(&mut host), Poll::Waiting { until: None });
    sh.interrupt(&mut host);
    assert_eq!(host.killed, vec![(Pid(1), Signal::Interrupt)]);
    assert_eq!(drive(&mut sh, &mut host).status, 130);
}

#[test]
fn timeout_stops_a_watch_with_status_124() {
    let mut host = FakeHost::default();
    let ran = run_in(
        &mut shell(),
        &mut host,
        "timeout 2 kubectl get pods -w; echo $?",
    );
    assert_eq!(ran.out.lines().last(), Some("124"));
    assert_eq!(host.now, Time(2000));
    assert_eq!(host.killed, vec![(Pid(1), Signal::Terminate)]);
}

/// GNU timeout: "A duration of 0 disables the associated timeout" (the fuzzer's `timeout 0
/// kubectl get` ended at once with 124 and no word, where kubectl prints its usage error).
#[test]
fn timeout_0_runs_the_command_without_a_limit() {
    let mut host = FakeHost::default();
    let ran = run_in(
        &mut shell(),
        &mut host,
        "timeout 0 sleep 3; echo $?; timeout 0s false; echo $?; timeout 0.0 kubectl frob",
    );
    assert_eq!(ran.out, "0\n1\n");
    assert_eq!(ran.err, "error: unknown command \"frob\" for \"kubectl\"\n");
    assert_eq!((ran.status, host.now), (1, Time(3000)));
}

#[test]
fn watch_reruns_a_command_until_interrupted() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    sh.submit("watch -n 1 kubectl get pods");
    let mut screens = 0;
    for _ in 0..100 {
        match sh.poll(&mut host) {
            Poll::Output(chunks) => {
                screens += chunks
                    .iter()
                    .filter(|c| c.text.contains("Every 1.0s"))
                    .count()
            }
            Poll::Sleeping { until } if until <= Time(2000) => host.now = until,
            _ => break,
        }
    }
    assert_eq!(screens, 3);
    sh.interrupt(&mut host);
    assert_eq!(drive(&mut sh, &mut host).status, 130);
}

#[test]
fn a_loop_that_never_sleeps_still_yields_and_is_stopped_headless() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    sh.submit("while true; do echo x; done");
    let mut polls = 0;
    let mut stderr = String::new();
    let status = loop {
        polls += 1;
        assert!(polls < 1000, "unbounded");
        match sh.poll(&mut host) {
            Poll::Output(chunks) => chunks
                .iter()
                .filter(|c| c.stream == Stream::Stderr)
                .for_each(|c| stderr.push_str(&c.text)),
            Poll::Done(status) => break status,
            other => panic!("{other:?}"),
        }
    };
    assert!(polls > 10, "each poll is bounded, so it took {polls}");
    assert_eq!(status, 130);
    assert!(
        stderr.contains("steps while the clock stood still"),
        "{stderr}"
    );
}

#[test]
fn a_busy_shell_ignores_new_lines() {
    let mut sh = shell();
    sh.submit("sleep 10");
    assert_eq!(
        sh.poll(&mut FakeHost::default()),
        Poll::Sleeping {
            until: Time(10_000)
        }
    );
    assert_eq!(sh.submit("echo hi"), Submit::Busy);
}

// ---------------------------------------------------------------------------------------------
// Nested pod shells

#[test]
fn kubectl_run_it_puts_the_user_in_the_pod_until_exit() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    let ran = run_in(
        &mut sh,
        &mut host,
        "kubectl run client-$RANDOM --image=ikubernetes/admin-box:v1.2 --restart=Never -it --rm --command -- /bin/bash",
    );
    assert_eq!(
        ran.out,
        "If you don't see a command prompt, try pressing enter.\n"
    );
    assert_eq!(sh.prompt(), "root@client-20739 /# ");
    assert_eq!(sh.depth(), 2);
    assert_eq!(
        run_in(
            &mut sh,
            &mut host,
            "curl demoapp-svc.default      #在同一名称空间下可不加default"
        )
        .out,
        "iKubernetes demoapp v1.0 !! ClientIP: 10.244.3.68, ServerName: demo-1!\n"
    );
    assert!(
        matches!(host.spawned.last(), Some((_, Location::Pod { pod, .. }, _)) if pod == "client-20739")
    );
    assert_eq!(
        run_in(&mut sh, &mut host, "kubectl get pods").err,
        "bash: kubectl: command not found\n"
    );
    // The course's loop inside the pod, stopped with Ctrl-C: the pod shell stays.
    sh.submit("while true; do curl demoapp-svc.default; sleep .5; done");
    for _ in 0..6 {
        if let Poll::Sleeping { until } = sh.poll(&mut host) {
            host.now = until;
        }
    }
    sh.interrupt(&mut host);
    assert_eq!(drive(&mut sh, &mut host).status, 130);
    assert_eq!(sh.prompt(), "root@client-20739 /# ");
    let ran = run_in(&mut sh, &mut host, "exit");
    assert_eq!(ran.err, "exit\n");
    assert_eq!(ran.out, "pod \"client-20739\" deleted\n");
    assert_eq!(sh.prompt(), "[root@K8s-master01 chapter8]# ");
    assert_eq!(sh.depth(), 1);
}

#[test]
fn kubectl_exec_into_sh_uses_busybox_prompt_and_errors_and_ctrl_d_leaves() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    run_in(&mut sh, &mut host, "kubectl exec -it demo-1 -- /bin/sh");
    assert_eq!(sh.prompt(), "/ # ");
    assert_eq!(run_in(&mut sh, &mut host, "cd /tmp; pwd").out, "/tmp\n");
    assert_eq!(sh.prompt(), "/tmp # ");
    assert_eq!(
        run_in(&mut sh, &mut host, "nope").err,
        "/bin/sh: nope: not found\n"
    );
    sh.eof();
    let ran = drive(&mut sh, &mut host);
    assert_eq!(ran.status, 127, "the pod shell's last status");
    assert_eq!(sh.depth(), 1);
}

/// kubectl does not refuse `-it` on a pipe: it warns and goes on without a terminal, and the
/// pod's shell runs what comes down the pipe, as bash runs a script on standard input.
#[test]
fn a_pod_shell_fed_by_a_pipe_runs_its_commands_instead_of_taking_the_terminal() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    let ran = run_in(
        &mut sh,
        &mut host,
        "printf 'hostname\\nexit 3\\necho never\\n' | kubectl run c -it --rm -- /bin/bash",
    );
    assert_eq!(
        ran.err,
        "Unable to use a TTY - input is not a terminal or the right kind of file\n"
    );
    assert_eq!(
        ran.out,
        "If you don't see a command prompt, try pressing enter.\nc\npod \"c\" deleted\n"
    );
    assert_eq!((ran.status, sh.depth()), (3, 1));
    // The pipe's end ends the shell with its last status; an unfinished command is bash's
    // end-of-file error.
    let ran = run_in(
        &mut sh,
        &mut host,
        "echo false | kubectl exec -it p -- /bin/sh",
    );
    assert_eq!(ran.status, 1);
    let ran = run_in(&mut sh, &mut host, "echo 'for i in 1' | bash");
    assert_eq!(
        (ran.err.as_str(), ran.status),
        ("bash: syntax error: unexpected end of file\n", 2)
    );
    let ran = run_in(
        &mut sh,
        &mut host,
        "printf 'x=6\\necho $((x**2))\\n' | bash",
    );
    assert_eq!((ran.out.as_str(), ran.status), ("36\n", 0));
}

/// Issue 16: an endless producer piped into `kubectl run -it … -- /bin/bash` keeps the
/// terminal, as in a real one, and the pod's shell is served line by line as the producer
/// writes; Ctrl-C ends it all. (The lab used to open the pod's prompt on the terminal and
/// freeze the producer under it; typing `exit` there then resumed an endless loop.)
#[test]
fn an_endless_producer_piped_into_a_pod_shell_runs_until_ctrl_c() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    sh.submit("while true; do echo hostname; sleep 1; done | kubectl run c -it --rm -- /bin/bash");
    let mut ran = Ran::default();
    while host.now < Time(3_500) {
        match sh.poll(&mut host) {
            Poll::Output(chunks) => collect(chunks, &mut ran),
            Poll::Sleeping { until } => host.now = until,
            Poll::Waiting { .. } => host.now = host.now + Duration(100),
            other => panic!("{other:?} after {ran:?}"),
        }
        assert_eq!(sh.depth(), 1, "no pod prompt on the terminal");
    }
    assert_eq!(ran.out.matches("c\n").count(), 4, "{ran:?}");
    sh.interrupt(&mut host);
    let ran = drive(&mut sh, &mut host);
    assert_eq!((ran.out.as_str(), ran.status), ("^C\n", 130));
    assert!(host.procs.is_empty(), "kubectl was stopped");
}

#[test]
fn ctrl_d_on_an_incomplete_command_is_bashs_eof_error() {
    let mut sh = shell();
    sh.submit("for i in 1");
    sh.eof();
    let ran = drive(&mut sh, &mut FakeHost::default());
    assert_eq!(ran.err, "bash: syntax error: unexpected end of file\n");
    assert_eq!(ran.status, 2);
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn a_snapshot_taken_mid_loop_resumes_identically() {
    let mut sh = shell();
    let mut host = FakeHost::default();
    sh.submit("for i in $(seq 4); do echo $i; sleep 1; done");
    let mut first = Vec::new();
    while let Poll::Output(c) = sh.poll(&mut host) {
        first.extend(c);
    }
    host.now = Time(1000);
    let (mut copy, mut copy_host) = (sh.clone(), host.clone());
    let a = drive(&mut sh, &mut host);
    let b = drive(&mut copy, &mut copy_host);
    assert_eq!(a, b);
    assert_eq!(a.out, "2\n3\n4\n");
}

// ---------------------------------------------------------------------------------------------
// Fuzzing

/// The cluster's own SplitMix64, so the fuzz run is the same every time.
struct Rng(rollout_sim::rng::Rng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SEEDS: &[&str] = &[
    "kubectl run client-$RANDOM --image=ikubernetes/admin-box:v1.2 --restart=Never -it --rm --command -- /bin/bash",
    "while true; do curl demoapp-svc.default; sleep .5; done",
    "for i in $(seq 5); do echo $i | grep 1 && echo yes || echo no; done",
    "cat <<EOF | kubectl apply -f -",
    "cat > f.yaml <<'EOF'",
    "if [ -f f.yaml ]; then cat f.yaml | wc -l; else echo none; fi",
    "X=$((1+2)); echo ${X:-d} \"$X\" '$X' `echo hi` 2>&1 >/dev/null",
    "timeout 1 kubectl get pods -w | head -n 1",
    "{ echo a; ls; } > out; cat out; rm -f out",
    "kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1 -n default && kubectl rollout pause deployment/deployment-demo",
    "exit",
    "seq 3 | while true; do sleep 1; break; done",
];

const TOKENS: &[&str] = &[
    " ", " ", " ", "echo", "x", "$X", "${", "}", "$(", ")", "(", "`", "'", "\"", "\\", ";", ";;",
    "&&", "||", "|", "&", ">", ">>", "<", "<<", "<<-", "2>&1", "EOF", "for", "in", "do", "done",
    "while", "until", "if", "then", "else", "fi", "{", "}", "!", "true", "false", "sleep", "0.1",
    "seq", "9", "cat", "grep", "head", "-n", "break", "continue", "exit", "$((", "))", "#", "~",
    "\n", "$RANDOM", "$?", "kubectl", "curl", "watch", "vim", "bash", "-c", "=", "X=", "*",
];

fn mutate(rng: &mut Rng, line: &str) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = if chars.is_empty() {
            0
        } else {
            rng.below(chars.len() + 1)
        };
        match rng.below(3) {
            0 if !chars.is_empty() && at < chars.len() => {
                let end = (at + 1 + rng.below(6)).min(chars.len());
                chars.drain(at..end);
            }
            _ => {
                let token = rng.pick(TOKENS);
                for (i, c) in token.chars().enumerate() {
                    chars.insert(at + i, c);
                }
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn thousands_of_mangled_lines_never_panic_and_always_finish() {
    let mut rng = Rng(rollout_sim::rng::Rng::new(0x5eed));
    let limits = Limits {
        max_steps_without_time: 20_000,
        ..Limits::default()
    };
    let mut sh = Shell::with_limits(
        Login::course_master("K8s-master01", "/root/chapter8"),
        Vfs::default(),
        limits,
    );
    let mut host = FakeHost::default();
    let mut interrupted: Vec<String> = Vec::new();
    for round in 0..3000 {
        let line = if rng.below(4) == 0 {
            (0..1 + rng.below(12))
                .map(|_| rng.pick(TOKENS))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            let seed = rng.pick(SEEDS);
            mutate(&mut rng, seed)
        };
        let mut answer = sh.submit(&line);
        let mut extra = 0;
        while matches!(answer, Submit::NeedMore { .. }) && extra < 3 {
            let more = if rng.below(2) == 0 {
                "EOF"
            } else {
                rng.pick(TOKENS)
            };
            answer = sh.submit(more);
            extra += 1;
        }
        if matches!(answer, Submit::NeedMore { .. }) {
            sh.interrupt(&mut host);
        }
        // Poll for a while like the headless runner, then press Ctrl-C.
        let mut finished = false;
        for _ in 0..200 {
            match sh.poll(&mut host) {
                Poll::Done(_) => {
                    finished = true;
                    break;
                }
                Poll::Output(_) => {}
                Poll::Sleeping { until } => host.now = until.max(host.now),
                Poll::Waiting { .. } => host.now = host.now + Duration::from_millis(500),
                Poll::Edit { .. } => sh.edit_done(),
            }
        }
        if !finished {
            interrupted.push(line.clone());
            sh.interrupt(&mut host);
            let mut stopped = false;
            for _ in 0..10 {
                if let Poll::Done(_) = sh.poll(&mut host) {
                    stopped = true;
                    break;
                }
            }
            assert!(stopped, "round {round}: {line:?} did not stop after Ctrl-C");
        }
        // Leave nested shells now and then so the stack does not just grow.
        if sh.depth() > 3 {
            sh.eof();
            let _ = sh.poll(&mut host);
        }
        assert!(sh.depth() <= Limits::default().max_sessions);
        assert!(sh.files().files.values().all(|f| f.len() <= 4 << 20));
    }
    // Only a line with an endless loop or a watch may still run after 200 polls; every other
    // line finishes on its own (a sleep, a pipe, a heredoc, a nested shell never hangs).
    let endless = ["while", "until", "watch", "-w"];
    let hung: Vec<&String> = interrupted
        .iter()
        .filter(|line| !endless.iter().any(|w| line.contains(w)))
        .collect();
    assert!(hung.is_empty(), "needed Ctrl-C to stop: {hung:#?}");
    assert!(
        !interrupted.is_empty(),
        "no round reached the Ctrl-C path, so it went untested"
    );
}

/// GNU sed through the shell: streaming from a pipe, files, `-i`, and its errors.
#[test]
fn sed_edits_pipes_and_files_as_gnu_sed_does() {
    assert_eq!(
        out("printf '%s\\n' a1 b2 c3 | sed -n '2,$s/[0-9]/#&/p'"),
        "b#2\nc#3\n"
    );
    assert_eq!(out("seq 1000000000 | sed 3q"), "1\n2\n3\n");
    let mut host = FakeHost::default();
    let mut sh = shell();
    run_in(
        &mut sh,
        &mut host,
        "printf 'image: v1\\nname: x\\n' > d.yaml",
    );
    let ran = run_in(&mut sh, &mut host, "sed -i 's/v1/v2/' d.yaml && cat d.yaml");
    assert_eq!(ran.out, "image: v2\nname: x\n");
    let ran = run_in(&mut sh, &mut host, "sed p nofile d.yaml");
    assert_eq!(
        (ran.out.as_str(), ran.err.as_str(), ran.status),
        (
            "image: v2\nimage: v2\nname: x\nname: x\n",
            "sed: can't read nofile: No such file or directory\n",
            2
        )
    );
    let ran = run("sed 's/a/b'");
    assert_eq!(
        (ran.err.as_str(), ran.status),
        (
            "sed: -e expression #1, char 5: unterminated `s' command\n",
            1
        )
    );
}

/// awk through the shell: fields and patterns from a pipe, BEGIN alone reads nothing, and a bad
/// program is gawk's syntax error with status 2.
#[test]
fn awk_runs_programs_over_pipes_and_files() {
    assert_eq!(
        out(
            "printf 'a 1\\nb 2\\nc 3\\n' | awk 'NR>1 && $2 != 3 {print $1; s += $2} END {print s}'"
        ),
        "b\n2\n"
    );
    assert_eq!(out("awk 'BEGIN {printf \"%03d\\n\", 7}'"), "007\n");
    assert_eq!(out("seq 1000000000 | awk 'NR==2 {print; exit}'"), "2\n");
    let ran = run("echo x | awk '{print $1'");
    assert_eq!(
        (ran.err.as_str(), ran.status),
        (
            "awk: cmd. line:1: {print $1\nawk: cmd. line:1:          ^ unexpected newline or end of string\n",
            2
        )
    );
}

/// xargs runs its command lines as the shell's own commands: host programs too (the fake
/// kubectl here), with GNU's grouping, `-I`, `-t` and statuses.
#[test]
fn xargs_runs_commands_built_from_its_input() {
    let mut host = FakeHost::default();
    let ran = run_in(
        &mut shell(),
        &mut host,
        "kubectl get pods | awk 'NR>1 {print $1}' | xargs -n1 kubectl delete pod",
    );
    let deleted: Vec<String> = host.spawned[1..].iter().map(|s| s.0.join(" ")).collect();
    assert_eq!(
        deleted,
        ["kubectl delete pod demo-1", "kubectl delete pod demo-2"]
    );
    // The fake kubectl has no `delete`: each refusal makes xargs' status 123.
    assert_eq!(ran.status, 123);
    assert_eq!(
        out("printf 'a b\\nc\\n' | xargs -I{} echo '<{}>'"),
        "<a b>\n<c>\n"
    );
    let ran = run("printf 'a\\nb\\n' | xargs -t -n1 echo");
    assert_eq!(
        (ran.out.as_str(), ran.err.as_str()),
        ("a\nb\n", "echo a\necho b\n")
    );
    assert_eq!(run("echo a | xargs sh -c 'exit 3'").status, 123);
    assert_eq!(out("true | xargs echo hi; true | xargs -r echo hi"), "hi\n");
}

/// xargs does not wait for the end of an endless input: it runs what it has in batches.
#[test]
fn xargs_serves_an_endless_input_in_batches() {
    assert_eq!(
        out("seq 1000000000 | xargs -n 2 echo | head -n 2"),
        "1 2\n3 4\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Background jobs

/// `cmd &` prints `[N] PID` and returns at once; `jobs` lists the jobs as bash does (`+` the
/// newest, `-` the one before, the command as typed, ` &`); `$!` is the last job's PID.
#[test]
fn an_ampersand_starts_a_job_that_jobs_lists() {
    let (mut sh, mut host) = (shell(), FakeHost::default());
    let ran = run_in(&mut sh, &mut host, "sleep 100 &");
    assert_eq!(
        (ran.out.as_str(), ran.err.as_str(), ran.status),
        ("", "[1] 4249\n", 0)
    );
    run_in(&mut sh, &mut host, "sleep 200 > /dev/null 2>&1 &");
    assert_eq!(
        run_in(&mut sh, &mut host, "jobs").out,
        "[1]-  Running                 sleep 100 &\n[2]+  Running                 sleep 200 > /dev/null 2>&1 &\n"
    );
    assert_eq!(
        run_in(&mut sh, &mut host, "jobs -l").out.lines().next(),
        Some("[1]-  4249 Running                 sleep 100 &")
    );
    assert_eq!(run_in(&mut sh, &mut host, "echo $!").out, "4256\n");
    assert_eq!(host.now, Time(0), "nothing waited for the jobs");
}

/// `kill %N` stops a job, and bash reports how each job ended before its next prompt, then
/// forgets it; a job that does not exist is bash's error.
#[test]
fn kill_stops_a_job_and_the_prompt_reports_how_jobs_ended() {
    let (mut sh, mut host) = (shell(), FakeHost::default());
    run_in(&mut sh, &mut host, "kubectl get pods -w > /dev/null &");
    run_in(&mut sh, &mut host, "false &");
    let ran = run_in(&mut sh, &mut host, "kill %1");
    assert_eq!(ran.status, 0);
    assert_eq!(
        ran.err,
        "[1]-  Terminated              kubectl get pods -w > /dev/null\n[2]+  Exit 1                  false\n"
    );
    assert_eq!(host.killed.len(), 1);
    assert_eq!(run_in(&mut sh, &mut host, "jobs").out, "");
    let ran = run_in(&mut sh, &mut host, "kill %5");
    assert_eq!(
        (ran.err.as_str(), ran.status),
        ("bash: kill: %5: no such job\n", 1)
    );
    let ran = run_in(&mut sh, &mut host, "kill");
    assert_eq!(ran.status, 2);
    let ran = run_in(&mut sh, &mut host, "fg");
    assert_eq!(
        (ran.err.as_str(), ran.status),
        ("bash: fg: current: no such job\n", 1)
    );
}

/// A job runs while the foreground command does (its output reaches the terminal), and
/// `wait` waits on the clock for the jobs to end.
#[test]
fn jobs_run_beside_the_foreground_and_wait_waits_for_them() {
    let (mut sh, mut host) = (shell(), FakeHost::default());
    let ran = run_in(&mut sh, &mut host, "kubectl get pods -w &");
    assert_eq!(ran.out, "demo-1   1/1   Running   0s\n");
    let ran = run_in(&mut sh, &mut host, "sleep 2");
    assert_eq!(
        ran.out,
        "demo-1   1/1   Running   1s\ndemo-1   1/1   Running   2s\n"
    );
    run_in(&mut sh, &mut host, "kill %1");
    run_in(&mut sh, &mut host, "(sleep 3; echo slept) &");
    let ran = run_in(&mut sh, &mut host, "wait %1; echo $?");
    assert_eq!(ran.out, "slept\n0\n");
    assert_eq!(
        ran.err,
        "[1]+  Done                    ( sleep 3; echo slept )\n"
    );
    assert_eq!(host.now, Time(5000));
}

/// `fg` brings a job back to the terminal, printing its command; Ctrl-C then stops it.
#[test]
fn fg_brings_a_job_to_the_foreground_where_ctrl_c_stops_it() {
    let (mut sh, mut host) = (shell(), FakeHost::default());
    run_in(&mut sh, &mut host, "kubectl get pods -w > /dev/null &");
    assert_eq!(sh.submit("fg %1"), Submit::Started);
    let mut ran = Ran::default();
    for _ in 0..3 {
        if let Poll::Output(chunks) = sh.poll(&mut host) {
            collect(chunks, &mut ran);
        }
    }
    assert_eq!(ran.out, "kubectl get pods -w > /dev/null\n");
    assert!(sh.is_busy());
    sh.interrupt(&mut host);
    let ran = drive(&mut sh, &mut host);
    assert_eq!(ran.status, 130);
    assert_eq!(host.killed.len(), 1);
    assert_eq!(run_in(&mut sh, &mut host, "jobs").out, "");
}
