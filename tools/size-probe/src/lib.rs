//! One exported function that runs a script through the lab, so that everything the page's
//! terminal can reach (cluster, controllers, kubelet, network, shell, every kubectl verb) is
//! kept by the linker, and nothing else is.

use rollout_kubectl::lab::Lab;
use rollout_sim::clock::Duration;

/// Reserves `len` bytes for the caller to write a script into.
#[no_mangle]
pub extern "C" fn reserve(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let start = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    start
}

/// Runs the script at `script[..len]` line by line and returns the transcript's length.
///
/// # Safety
/// `script` must point at `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn run(script: *const u8, len: usize) -> usize {
    let text = String::from_utf8_lossy(std::slice::from_raw_parts(script, len)).into_owned();
    let mut lab = Lab::new(1);
    let mut transcript = String::new();
    for line in text.lines() {
        lab.submit(line);
        let (chunks, _) = lab.run_to_completion(Duration::from_secs(600));
        for chunk in chunks {
            transcript.push_str(&chunk.text);
        }
    }
    transcript.len()
}
