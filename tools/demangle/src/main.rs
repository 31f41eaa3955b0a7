//! Reads symbol names on stdin, one a line, and prints each demangled (without the hash), or
//! unchanged when it is not a Rust symbol.

use std::io::{self, BufRead, BufWriter, Write};

fn main() -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for line in io::stdin().lock().lines() {
        let line = line?;
        match rustc_demangle::try_demangle(&line) {
            Ok(name) => writeln!(out, "{name:#}")?,
            Err(_) => writeln!(out, "{line}")?,
        }
    }
    out.flush()
}
