//! The page's URL parameters (`?lesson=ID&step=N&lang=zh&speed=5&embed=1`, `?lesson-url=URL`,
//! and a shared
//! session in `#share=…`) and the browser calls around them.

use leptos::prelude::window;

use super::explanations::Lang;
use super::i18n::parse_lang;
use super::session::SPEEDS;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlParams {
    pub lesson: Option<String>,
    /// `?lesson-url=URL`: a lesson file to fetch (same origin, or one whose CORS allows it).
    pub lesson_url: Option<String>,
    /// `?host-origin=ORIGIN`: the page embedding the lab (docs/embedding.md).
    pub host_origin: Option<String>,
    /// 1-based, as in the URL.
    pub step: Option<usize>,
    pub lang: Option<Lang>,
    pub speed: Option<u32>,
    pub embed: bool,
    /// `?author=1`: author mode, the lesson file beside the running lab.
    pub author: bool,
    /// The payload after `#share=`.
    pub share: Option<String>,
}

impl UrlParams {
    /// Reads `search` (`?a=b&c=d`) and `hash` (`#share=…`). Unknown or bad values are ignored.
    pub fn parse(search: &str, hash: &str) -> UrlParams {
        let mut params = UrlParams::default();
        for pair in search.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "lesson" if !value.is_empty() => params.lesson = Some(value),
                "lesson-url" if !value.is_empty() => params.lesson_url = Some(value),
                "host-origin" if !value.is_empty() => params.host_origin = Some(value),
                "step" => params.step = value.parse().ok().filter(|n| *n >= 1),
                "lang" => params.lang = parse_lang(&value),
                "speed" => {
                    params.speed = value.parse().ok().filter(|s| SPEEDS.contains(s));
                }
                "embed" => params.embed = matches!(value.as_str(), "1" | "true" | ""),
                "author" => params.author = matches!(value.as_str(), "1" | "true" | ""),
                _ => {}
            }
        }
        params.share = hash
            .strip_prefix(super::save::SHARE_PREFIX)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        params
    }

    /// This page's parameters.
    pub fn current() -> UrlParams {
        let location = window().location();
        UrlParams::parse(
            &location.search().unwrap_or_default(),
            &location.hash().unwrap_or_default(),
        )
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The browser's language, if it is one the page speaks.
pub fn browser_lang() -> Option<Lang> {
    window().navigator().language().and_then(|l| parse_lang(&l))
}

pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        _ = s.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        _ = s.remove_item(key);
    }
}

/// The page's address without its fragment.
pub fn page_url_without_fragment() -> String {
    let href = window().location().href().unwrap_or_default();
    match href.split_once('#') {
        Some((base, _)) => base.to_string(),
        None => href,
    }
}

/// Drops the `#share=…` fragment once it has been read, so a reload restores the saved work.
pub fn clear_fragment() {
    if let Ok(history) = window().history() {
        let url = page_url_without_fragment();
        _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Percent-encodes everything but unreserved characters (for a `data:` URL).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
