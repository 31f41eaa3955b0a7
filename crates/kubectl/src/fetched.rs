//! Text data the page fetches from beside its bundle instead of carrying it in its wasm:
//! kubectl's and bash's help texts. With the `embedded-data` feature (the native runner, the
//! tests) each file is compiled in; the page is built without it, fetches the files right
//! after it starts ([`missing`], `src/web/data.rs`) and hands each over with
//! [`DataFile::provide`]. Until they arrive the page holds the lines that may print them
//! (`held::wanted_by`), so a command never runs without its text. kubectl explain's schemas are fetched
//! the same way, but only when a line asks for them (`openapi`), and so is metrics-server's
//! release text ([`METRICS_SERVER_RELEASE`]).

use std::sync::OnceLock;

/// One data file, under `crates/kubectl/data/` and under the page's `data/` folder.
pub struct DataFile {
    /// The path under both folders.
    pub path: &'static str,
    fetched: OnceLock<String>,
    #[cfg(feature = "embedded-data")]
    embedded: &'static str,
}

/// A [`DataFile`] at `data/PATH`, compiled in with `embedded-data`.
macro_rules! data_file {
    ($path:literal) => {
        DataFile {
            path: $path,
            fetched: OnceLock::new(),
            #[cfg(feature = "embedded-data")]
            embedded: include_str!(concat!("../data/", $path)),
        }
    };
}

/// kubectl v1.30's help texts (`help.rs`).
pub static KUBECTL_HELP: DataFile = data_file!("help/kubectl-1.30.txt");
/// bash 5.2's builtin help texts (`shell/help.rs`).
pub static BASH_HELP: DataFile = data_file!("help/bash-5.2.txt");

/// metrics-server's release (`releases`): fetched by the first line that may apply a URL
/// (`held::wants_releases`), not at start.
pub static METRICS_SERVER_RELEASE: DataFile = data_file!("releases/metrics-server.txt");

/// Every file the page fetches when it starts.
pub static AT_START: [&DataFile; 2] = [&KUBECTL_HELP, &BASH_HELP];

impl DataFile {
    /// The text: compiled in, or fetched; `None` while the page has not fetched it yet.
    pub fn get(&'static self) -> Option<&'static str> {
        #[cfg(feature = "embedded-data")]
        return Some(self.embedded);
        #[cfg(not(feature = "embedded-data"))]
        self.fetched.get().map(String::as_str)
    }

    /// Hands over the fetched text (empty when it could not be fetched: the commands that
    /// print it then print nothing of it). The first hand-over wins.
    pub fn provide(&self, text: String) {
        let _ = self.fetched.set(text);
    }

    fn present(&'static self) -> bool {
        self.get().is_some()
    }
}

/// The start-up files not yet at hand.
pub fn missing() -> impl Iterator<Item = &'static DataFile> {
    AT_START.iter().copied().filter(|file| !file.present())
}
