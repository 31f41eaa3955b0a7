use leptos::prelude::*;

use super::Terminal;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <div class="app" data-testid="app">
            <header class="topbar">
                <h1>"Rollout Lab"</h1>
                <span class="tagline">"Watch Kubernetes release software"</span>
            </header>
            <main class="panels">
                <Terminal/>
            </main>
        </div>
    }
}
