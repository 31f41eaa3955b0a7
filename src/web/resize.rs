//! Calls back whenever an element's size changes (a `ResizeObserver`), for as long as the
//! component that asked lives.

use leptos::html::ElementType;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Runs `measure` once `node` is in the page and after each change of its size.
pub(super) fn on_resize<E>(node: NodeRef<E>, measure: impl FnMut() + 'static)
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    let callback = Closure::<dyn FnMut()>::new(measure);
    let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    let observer = SendWrapper::new(std::rc::Rc::new((observer, callback)));
    let cleanup = observer.clone();
    on_cleanup(move || cleanup.0.disconnect());
    node.on_load(move |el| observer.0.observe(el.unchecked_ref()));
}
