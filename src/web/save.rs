//! Saved, shared and exported work.
//!
//! The simulation is deterministic: the same seed, the same command lines and the same clock
//! advances give the same cluster. So a session is saved as where it started (seed, lesson,
//! the step it started at) plus its [`LogEvent`]s, and restored by replaying them into a
//! fresh lab. The same record, as base64url JSON in the URL fragment, is the share link.

use serde::{Deserialize, Serialize};

/// The localStorage key of the saved session.
pub const STORAGE_KEY: &str = "rollout-lab/v1";
/// The format version inside the record; any other is set aside as old.
pub const VERSION: u32 = 1;
/// The URL fragment prefix of a shared session.
pub const SHARE_PREFIX: &str = "#share=";

/// One thing that changed the lab, at the virtual time it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEvent {
    #[serde(rename = "t")]
    pub at_virtual_ms: i64,
    #[serde(rename = "k")]
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// A line given to the shell.
    #[serde(rename = "s")]
    Submit(String),
    /// The virtual clock moved this many milliseconds.
    #[serde(rename = "a")]
    Advance(i64),
    /// Ctrl-C.
    #[serde(rename = "i")]
    Interrupt,
    /// The editor wrote a file (path, text).
    #[serde(rename = "w")]
    Write(String, String),
    /// The editor closed the file `vim` opened (the text, or `None` for `:q!`).
    #[serde(rename = "e")]
    Edit(Option<String>),
    /// "send traffic" was switched on (`true`) or off: the client's requests go through the
    /// cluster's network and draw on its random numbers, so a replay must send them too.
    #[serde(rename = "c")]
    SendTraffic(bool),
    /// The client's target changed (its `<option>` value, see `traffic::Target::value`).
    #[serde(rename = "g")]
    TrafficTarget(String),
}

/// Everything needed to rebuild a session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedWork {
    pub v: u32,
    pub seed: u64,
    /// The lesson's id; `None` is the sandbox.
    pub lesson: Option<String>,
    /// The step the lesson started at (0-based): earlier steps' commands ran first.
    pub start_step: usize,
    /// Which steps turned green.
    pub done: Vec<bool>,
    /// "en" or "zh".
    pub lang: String,
    pub events: Vec<LogEvent>,
}

/// Why a saved or shared record could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    Corrupt(String),
    OldFormat(u32),
}

impl SavedWork {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<SavedWork, LoadError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        let version = value.get("v").and_then(|v| v.as_u64()).unwrap_or(0);
        if version != u64::from(VERSION) {
            return Err(LoadError::OldFormat(version as u32));
        }
        serde_json::from_value(value).map_err(|e| LoadError::Corrupt(e.to_string()))
    }

    /// The share link's fragment payload.
    pub fn to_fragment(&self) -> String {
        base64url_encode(&compress(self.to_json().as_bytes()))
    }

    pub fn from_fragment(text: &str) -> Result<SavedWork, LoadError> {
        let bytes = base64url_decode(text).ok_or(LoadError::Corrupt("not base64url".into()))?;
        let bytes = decompress(&bytes).ok_or(LoadError::Corrupt("bad compression".into()))?;
        let json = String::from_utf8(bytes).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        SavedWork::from_json(&json)
    }
}

/// The longest clock advance two merged ones may add up to. The traffic client sends at
/// most `traffic::MAX_SENDS_PER_STEP` requests in one advance (one a second); a merged
/// advance longer than that would send fewer requests on replay than the live session did.
pub const MAX_MERGED_ADVANCE_MS: i64 = 300_000;

/// Appends `event`, merging clock advances while no command runs (advancing an idle lab by
/// a and then b is advancing it by a + b, up to [`MAX_MERGED_ADVANCE_MS`]) and successive
/// writes of the same file.
pub fn push_event(log: &mut Vec<LogEvent>, event: LogEvent, shell_idle: bool) {
    if let Some(last) = log.last_mut() {
        match (&mut last.kind, &event.kind) {
            (EventKind::Advance(total), EventKind::Advance(ms))
                if shell_idle && *total + ms <= MAX_MERGED_ADVANCE_MS =>
            {
                *total += ms;
                return;
            }
            (EventKind::Write(path, text), EventKind::Write(new_path, new_text))
                if path == new_path =>
            {
                *text = new_text.clone();
                last.at_virtual_ms = event.at_virtual_ms;
                return;
            }
            _ => {}
        }
    }
    log.push(event);
}

// ---- compression: byte-oriented LZ77 ------------------------------------------------------
//
// A token is a literal run (`0lllllll` then that many bytes, 1..=128) or a match
// (`1lllllll` = length − 3 (3..=130), then a 2-byte little-endian distance 1..=65535).

const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 130;
const WINDOW: usize = 65_535;

pub fn compress(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2 + 16);
    let mut literals: Vec<u8> = Vec::new();
    // Last position of every 3-byte prefix.
    let mut heads: std::collections::HashMap<[u8; 3], Vec<usize>> = Default::default();
    let flush = |out: &mut Vec<u8>, literals: &mut Vec<u8>| {
        for chunk in literals.chunks(128) {
            out.push((chunk.len() - 1) as u8);
            out.extend_from_slice(chunk);
        }
        literals.clear();
    };
    let mut i = 0;
    while i < input.len() {
        let mut best = (0usize, 0usize);
        if i + MIN_MATCH <= input.len() {
            let key = [input[i], input[i + 1], input[i + 2]];
            if let Some(candidates) = heads.get(&key) {
                for &start in candidates.iter().rev().take(16) {
                    if i - start > WINDOW {
                        break;
                    }
                    let mut len = 0;
                    while len < MAX_MATCH
                        && i + len < input.len()
                        && input[start + len] == input[i + len]
                    {
                        len += 1;
                    }
                    if len > best.0 {
                        best = (len, i - start);
                    }
                }
            }
        }
        let step = if best.0 >= MIN_MATCH {
            flush(&mut out, &mut literals);
            out.push(0x80 | (best.0 - MIN_MATCH) as u8);
            out.extend_from_slice(&(best.1 as u16).to_le_bytes());
            best.0
        } else {
            literals.push(input[i]);
            1
        };
        for j in i..i + step {
            if j + MIN_MATCH <= input.len() {
                heads
                    .entry([input[j], input[j + 1], input[j + 2]])
                    .or_default()
                    .push(j);
            }
        }
        i += step;
    }
    flush(&mut out, &mut literals);
    out
}

pub fn decompress(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3);
    let mut i = 0;
    while i < input.len() {
        let token = input[i];
        i += 1;
        if token & 0x80 == 0 {
            let len = usize::from(token) + 1;
            out.extend_from_slice(input.get(i..i + len)?);
            i += len;
        } else {
            let len = usize::from(token & 0x7f) + MIN_MATCH;
            let distance = usize::from(u16::from_le_bytes([*input.get(i)?, *input.get(i + 1)?]));
            i += 2;
            if distance == 0 || distance > out.len() {
                return None;
            }
            let start = out.len() - distance;
            for k in 0..len {
                let byte = out[start + k];
                out.push(byte);
            }
        }
    }
    Some(out)
}

// ---- base64url ----------------------------------------------------------------------------

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, b)| n | u32::from(*b) << (16 - 8 * k));
        for k in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut n = 0u32;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|a| *a == c)? as u32;
        n = n << 6 | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((n >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

// ---- export -------------------------------------------------------------------------------

/// The session as one shell script for a real cluster: the files as heredocs, then the
/// command lines in the order they were typed.
pub fn export_script(files: &[(String, String)], events: &[LogEvent], title: &str) -> String {
    let mut out = String::new();
    out.push_str("#!/usr/bin/env bash\n");
    out.push_str(&format!("# Rollout Lab session: {title}\n"));
    out.push_str("# Replays the session against a real cluster (kind or minikube):\n");
    out.push_str("#   kind create cluster   # or: minikube start\n");
    out.push_str("#   bash this-script.sh\n");
    out.push_str(
        "# Waits in the lab are kept as comments; `kubectl run -it` lines open a shell.\n",
    );
    out.push_str("set -u\nmkdir -p rollout-lab && cd rollout-lab\n\n");
    for (name, content) in files {
        let mut marker = "EOF".to_string();
        while content.lines().any(|l| l == marker) {
            marker.push('_');
        }
        out.push_str(&format!(
            "cat > '{}' <<'{marker}'\n",
            name.replace('\'', "")
        ));
        out.push_str(content);
        if !content.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("{marker}\n\n"));
    }
    for event in events {
        match &event.kind {
            EventKind::Submit(line) => {
                out.push_str(line);
                out.push('\n');
            }
            EventKind::Advance(ms) if *ms >= 1000 => {
                out.push_str(&format!("# … {} s later\n", ms / 1000));
            }
            EventKind::Write(path, _) => {
                out.push_str(&format!("# (edited {path} in the editor)\n"));
            }
            _ => {}
        }
    }
    out
}
