// Trunk's initializer (index.html, `data-initializer`): moves the loading screen's progress
// bar while the wasm streams in, and takes the screen away once the page has mounted (the
// app mounts inside wasm-bindgen's start, before `onSuccess`). On failure it says so.
export default function loadingScreen() {
  const progress = () => document.getElementById('loading-progress');
  return {
    onProgress: ({ current, total }) => {
      const bar = progress();
      if (bar && total > 0) bar.value = Math.min(current / total, 1);
    },
    onSuccess: () => document.getElementById('loading')?.remove(),
    onFailure: (error) => {
      const status = document.getElementById('loading-status');
      if (status) status.textContent = `The lab could not start: ${error}`;
      console.error(error);
    },
  };
}
