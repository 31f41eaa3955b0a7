//! The text tools' split point: `sed`, `awk`, `xargs`' own code, the regular expressions
//! (`grep`'s too) and `diff -u`'s hunks (for
//! `kubectl diff`) are reached only through [`TextTools`], so that in the page they are a wasm
//! module of their own (`text_tools`), fetched for the first line that may run one of them
//! ([`may_run`]; the page holds that line until the module loaded). Natively and in the tests
//! they are linked in.

use super::awk::{Awk, Written};
use super::regex::Regex;
use super::sed::Sed;
use super::xargs::Xargs;
use std::fmt::Debug;

/// The module (in the page, a wasm module of its own) that holds the text tools.
pub(crate) const TEXT_TOOLS: &str = "text-tools";

/// A parsed `sed` program and its state.
pub(crate) trait SedProgram: Debug {
    /// `-i`: each file is rewritten with what sed prints for it.
    fn in_place(&self) -> bool;
    /// Runs the program over one input line; `Some(status)` when it quit.
    fn line(&mut self, line: &str, newline: bool, out: &mut String) -> Option<i32>;
    /// The end of the input: what is pending is printed; the status.
    fn finish(&mut self, out: &mut String) -> i32;
    fn boxed(&self) -> Box<dyn SedProgram>;
}

/// A parsed `awk` program and its state.
pub(crate) trait AwkProgram: Debug {
    fn begin(&mut self, w: &mut Written) -> Option<i32>;
    fn record(&mut self, line: &str, w: &mut Written) -> Option<i32>;
    fn end(&mut self, w: &mut Written) -> i32;
    fn boxed(&self) -> Box<dyn AwkProgram>;
}

/// `xargs`' parsed options: the command lines an input makes.
pub(crate) trait XargsSpec: Debug {
    /// `-t`: each command line is written to standard error first.
    fn trace(&self) -> bool;
    fn commands(&self, input: &str, more: bool) -> Result<Vec<Vec<String>>, String>;
    fn boxed(&self) -> Box<dyn XargsSpec>;
}

/// A compiled regular expression (grep's, `super::regex`'s engine).
pub(crate) trait Matcher: Debug {
    fn is_match(&self, line: &str) -> bool;
    /// The leftmost match in `text` at or after character `from`, as a character range.
    fn find_at(&self, text: &[char], from: usize) -> Option<(usize, usize)>;
    fn boxed(&self) -> Box<dyn Matcher>;
}

impl Clone for Box<dyn Matcher> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

impl Clone for Box<dyn SedProgram> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

impl Clone for Box<dyn AwkProgram> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

impl Clone for Box<dyn XargsSpec> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

/// What parsing a program's arguments gives: the program and its file operands.
pub(crate) type Parsed<P> = (Box<P>, Vec<String>);

/// The text tools' entry points.
pub(crate) trait TextTools {
    /// `sed`'s arguments, or what sed prints and its status.
    fn sed(&self, args: &[String]) -> Result<Parsed<dyn SedProgram>, (String, i32)>;
    /// `awk`'s arguments, or what awk prints (status 2).
    fn awk(&self, args: &[String]) -> Result<Parsed<dyn AwkProgram>, String>;
    /// `xargs`' options, or its message (status 1).
    fn xargs(&self, args: &[String]) -> Result<Box<dyn XargsSpec>, String>;
    /// A POSIX BRE (or ERE) with GNU's extensions, or glibc's compile error.
    fn regex(
        &self,
        pattern: &str,
        extended: bool,
        icase: bool,
    ) -> Result<Box<dyn Matcher>, &'static str>;
    /// `diff -u`'s hunks turning `a` into `b`; empty when they are equal.
    fn unified(&self, a: &str, b: &str) -> String;
}

impl SedProgram for Sed {
    fn in_place(&self) -> bool {
        self.in_place
    }
    fn line(&mut self, line: &str, newline: bool, out: &mut String) -> Option<i32> {
        Sed::line(self, line, newline, out)
    }
    fn finish(&mut self, out: &mut String) -> i32 {
        Sed::finish(self, out)
    }
    fn boxed(&self) -> Box<dyn SedProgram> {
        Box::new(self.clone())
    }
}

impl AwkProgram for Awk {
    fn begin(&mut self, w: &mut Written) -> Option<i32> {
        Awk::begin(self, w)
    }
    fn record(&mut self, line: &str, w: &mut Written) -> Option<i32> {
        Awk::record(self, line, w)
    }
    fn end(&mut self, w: &mut Written) -> i32 {
        Awk::end(self, w)
    }
    fn boxed(&self) -> Box<dyn AwkProgram> {
        Box::new(self.clone())
    }
}

impl Matcher for Regex {
    fn is_match(&self, line: &str) -> bool {
        Regex::is_match(self, line)
    }
    fn find_at(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        let caps = Regex::find_at(self, text, from)?;
        Some((caps[0]?, caps[1]?))
    }
    fn boxed(&self) -> Box<dyn Matcher> {
        Box::new(self.clone())
    }
}

impl XargsSpec for Xargs {
    fn trace(&self) -> bool {
        self.trace
    }
    fn commands(&self, input: &str, more: bool) -> Result<Vec<Vec<String>>, String> {
        Xargs::commands(self, input, more)
    }
    fn boxed(&self) -> Box<dyn XargsSpec> {
        Box::new(self.clone())
    }
}

/// The tools themselves.
struct Tools;

impl TextTools for Tools {
    fn sed(&self, args: &[String]) -> Result<Parsed<dyn SedProgram>, (String, i32)> {
        let (program, files) = Sed::parse(args)?;
        Ok((Box::new(program), files))
    }
    fn awk(&self, args: &[String]) -> Result<Parsed<dyn AwkProgram>, String> {
        let (program, files) = Awk::parse(args)?;
        Ok((Box::new(program), files))
    }
    fn xargs(&self, args: &[String]) -> Result<Box<dyn XargsSpec>, String> {
        Ok(Box::new(Xargs::parse(args)?))
    }
    fn regex(
        &self,
        pattern: &str,
        extended: bool,
        icase: bool,
    ) -> Result<Box<dyn Matcher>, &'static str> {
        Ok(Box::new(Regex::new(pattern, extended, icase)?))
    }
    fn unified(&self, a: &str, b: &str) -> String {
        super::udiff::unified(a, b)
    }
}

/// The text tools, when their code is at hand: always natively and in the tests; in the page
/// once their module is loaded.
pub(crate) fn text_tools() -> Option<Box<dyn TextTools>> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return page::make_tools();
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Some(Box::new(Tools))
}

/// What `program` prints when the text tools' module is not loaded (in the page only: it
/// could not be fetched, or a script reached a tool its line did not name).
pub(crate) fn not_loaded(program: &str) -> String {
    format!("{program}: the text tools could not be loaded yet; run the line again (or reload the page)")
}

/// The tools' split point, as the Argo Rollouts plugin's (`plugins::page`).
#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
pub(crate) mod page {
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::{Context, Poll, Waker};
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static LOADED: AtomicBool = AtomicBool::new(false);

    #[wasm_split(text_tools, fallible, preload(load_text_tools))]
    fn make_text_tools() -> Result<Box<dyn super::TextTools>, SplitLoaderError> {
        Ok(Box::new(super::Tools))
    }

    /// Fetches the tools' module.
    pub(crate) async fn load() -> Result<(), SplitLoaderError> {
        load_text_tools().await?;
        LOADED.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// The tools, if their module is loaded.
    pub(crate) fn make_tools() -> Option<Box<dyn super::TextTools>> {
        if !LOADED.load(Ordering::Relaxed) {
            return None;
        }
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_text_tools());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(tools)) => Some(tools),
            _ => None,
        }
    }
}

/// Whether `line` may run one of the text tools: it names `sed`, `awk`, `grep`, `xargs` or `diff` as
/// a word anywhere, or it may run a script file (`bash FILE`, `sh FILE`, `source FILE`,
/// `. FILE`, `./FILE`), whose lines the page does not see. A superset: the line is only held
/// while the module loads.
pub(crate) fn may_run(line: &str) -> bool {
    let names = line
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| {
            matches!(
                word,
                "sed" | "awk" | "gawk" | "grep" | "egrep" | "fgrep" | "xargs" | "diff"
            )
        });
    names
        || line
            .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`'))
            .any(|word| {
                matches!(
                    word,
                    "bash" | "sh" | "/bin/bash" | "/bin/sh" | "source" | "."
                ) || (word.starts_with("./")
                    && ![".yaml", ".yml", ".json"]
                        .iter()
                        .any(|ext| word.ends_with(ext)))
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_may_run_a_text_tool_are_told_from_others() {
        for line in [
            "kubectl get pods -o name | sed 's/pod\\///'",
            "kubectl get pods | awk '{print $1}'",
            "kubectl get pods -o name|xargs kubectl delete",
            "kubectl diff -f web.yaml",
            "kubectl get pods | grep Running | wc -l",
            "alias s=sed",
            "bash deploy.sh",
            "./deploy.sh",
            "source env.sh",
            ". env.sh",
            "f() { /usr/bin/sed -n 1p; }",
        ] {
            assert!(may_run(line), "{line}");
        }
        for line in [
            "kubectl get pods",
            "kubectl apply -f ./web.yaml",
            "kubectl rollout status deploy/web",
            "echo used paused closed",
            "kubectl get pods | wc -l",
        ] {
            assert!(!may_run(line), "{line}");
        }
    }
}
