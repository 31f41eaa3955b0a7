//! # What kubectl v1.30 prints
//!
//! Pure functions: objects and `now` in, text out. No cluster access, no clock.
//!
//! ## Layout
//! - [`duration`]: `HumanDuration` ages (`90s`, `2m50s`, `3d4h`) and RFC 1123Z dates.
//! - [`tabwriter`]: Go's `text/tabwriter`, in kubectl's two configurations (get tables with
//!   remembered widths for `--watch`; describe/history).
//! - [`format`]: shared renderings (labels, selectors, endpoint lists).
//! - [`table`]: the generic `kubectl get` table ([`table::TableKind`], options, watch).
//! - [`kinds`]: one table description per kind (columns + row function).
//! - [`pod_status`]: the pod READY / STATUS / RESTARTS algorithm.
//! - [`get`]: `kubectl get` over one or several kinds, with the empty-result message.
//! - [`history`]: `kubectl rollout history` (table and `--revision=N`).
//! - [`names`]: NamePrinter success lines (`deployment.apps/demoapp created`).
//!
//! `describe` lives next door in [`crate::describe`].
//!
//! **Invariant:** nothing here panics, whatever the objects hold; absurd times print as
//! `<invalid>` or very large ages.

pub mod custom;
pub mod duration;
pub mod format;
pub mod get;
pub mod go_json;
pub mod kinds;
pub mod names;
pub mod pod_status;
pub mod table;
pub mod tabwriter;

pub use duration::{human_duration, rfc1123z, translate_timestamp_since};
pub use get::{print_get, Resources};
pub use names::{deleted_line, success_line};
pub use table::{
    column_definitions, server_cells, ColumnDefinition, ColumnType, GetOptions, OutputFormat,
    TableKind, WatchEventType, WatchPrinter,
};
pub use tabwriter::TabWriter;

#[cfg(test)]
pub(crate) mod tests;
