//! Reading a text file from beside the page (or any URL the browser lets the page read): the
//! one `fetch` the page makes, below everything that fetches (data files, lessons).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::load_failure::LoadProblem;

/// The text at `url` (relative to the page, or absolute).
pub async fn fetch_text(url: &str) -> Result<String, LoadProblem> {
    let window = web_sys::window().ok_or(LoadProblem::Unreachable)?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| LoadProblem::Unreachable)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| LoadProblem::Unreachable)?;
    if !response.ok() {
        return Err(LoadProblem::Http(response.status()));
    }
    let text = response.text().map_err(|_| LoadProblem::Unreachable)?;
    let text = JsFuture::from(text)
        .await
        .map_err(|_| LoadProblem::Unreachable)?;
    text.as_string().ok_or(LoadProblem::Unreachable)
}
