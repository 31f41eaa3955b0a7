//! A kind's objects as the API serves them — each one's JSON and its Table row — selected by
//! namespace, label selector and field selector. The one place that looks at which kind an
//! object is; everything after works on [`Entry`].

use rollout_kubectl::printers::custom;
use rollout_kubectl::printers::TableKind;
use rollout_kubectl::printers::{column_definitions, server_cells, ColumnDefinition, ColumnType};
use rollout_kubectl::selector::{FieldSelector, Selector};
use rollout_sim::clock::Time;
use rollout_sim::cluster::{Cluster, Store, Written};
use rollout_sim::manifest::encode::to_value;
use rollout_sim::objects::{Event, Kind, Object, ObjectMeta, KINDS};
use serde_json::{json, Value};
use std::rc::Rc;

/// One object: its metadata, its JSON, its Table cells.
#[derive(Debug, Clone)]
pub struct Entry {
    pub meta: ObjectMeta,
    pub json: Value,
    pub cells: Vec<String>,
}

/// The objects of one kind that a request selects, and that kind's columns.
#[derive(Debug, Clone)]
pub struct Listing {
    pub kind: Kind,
    pub columns: Vec<ColumnDefinition>,
    pub entries: Vec<Entry>,
}

/// What a list or watch selects.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `None`: every namespace (or a cluster-scoped kind).
    pub namespace: Option<String>,
    pub labels: Selector,
    pub fields: FieldSelector,
}

/// What a listing reads: the store, the events and the clock — the live cluster's, or a past
/// state's that the watch history kept ([`crate::history`]).
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub store: &'a Store,
    pub events: &'a [Rc<Event>],
    pub now: Time,
}

impl<'a> Source<'a> {
    /// The cluster as it is now.
    pub fn of(cluster: &'a Cluster) -> Source<'a> {
        Source {
            store: cluster.store(),
            events: cluster.events(),
            now: cluster.now(),
        }
    }
}

/// The objects of `kind` that `selection` selects, in the store's order (namespace, name).
pub fn list(cluster: &Cluster, kind: Kind, selection: &Selection) -> Listing {
    list_from(Source::of(cluster), kind, selection)
}

/// [`list`] of what `source` holds.
pub fn list_from(source: Source<'_>, kind: Kind, selection: &Selection) -> Listing {
    let store = source.store;
    let now = source.now;
    let object = |o: Object| to_value(&o);
    let (columns, entries) = match kind {
        Kind::Namespace => entries(store.namespaces.values(), selection, now, |o| {
            object(Object::Namespace(o.clone()))
        }),
        Kind::Node => entries(store.nodes.values(), selection, now, plain::<_>),
        Kind::Deployment => entries(store.deployments.values(), selection, now, |o| {
            object(Object::Deployment(o.clone()))
        }),
        Kind::ReplicaSet => entries(store.replica_sets.values(), selection, now, |o| {
            object(Object::ReplicaSet(o.clone()))
        }),
        Kind::Pod => entries(store.pods.values().map(Rc::as_ref), selection, now, |o| {
            object(Object::Pod(o.clone()))
        }),
        Kind::Service => entries(store.services.values(), selection, now, |o| {
            object(Object::Service(o.clone()))
        }),
        Kind::Endpoints => entries(store.endpoints.values(), selection, now, |o| {
            object(Object::Endpoints(o.clone()))
        }),
        Kind::EndpointSlice => entries(store.endpoint_slices.values(), selection, now, |o| {
            object(Object::EndpointSlice(o.clone()))
        }),
        Kind::Ingress => entries(store.ingresses.values(), selection, now, |o| {
            object(Object::Ingress(o.clone()))
        }),
        Kind::PodDisruptionBudget => {
            entries(store.pod_disruption_budgets.values(), selection, now, |o| {
                object(Object::PodDisruptionBudget(o.clone()))
            })
        }
        Kind::HorizontalPodAutoscaler => entries(
            store.horizontal_pod_autoscalers.values(),
            selection,
            now,
            |o| object(Object::HorizontalPodAutoscaler(o.clone())),
        ),
        Kind::Rollout => entries(store.rollouts.values(), selection, now, |o| {
            object(Object::Rollout(Box::new(o.clone())))
        }),
        Kind::AnalysisTemplate => entries(store.analysis_templates.values(), selection, now, |o| {
            object(Object::AnalysisTemplate(o.clone()))
        }),
        Kind::ClusterAnalysisTemplate => entries(
            store.cluster_analysis_templates.values(),
            selection,
            now,
            |o| object(Object::ClusterAnalysisTemplate(o.clone())),
        ),
        Kind::AnalysisRun => entries(store.analysis_runs.values(), selection, now, |o| {
            object(Object::AnalysisRun(o.clone()))
        }),
        // Custom resources kept as JSON: their CRDs' printer columns.
        Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => {
            let selected = store
                .custom_of(kind)
                .filter(|item| {
                    let meta = &item.metadata;
                    let in_namespace = match &selection.namespace {
                        Some(ns) if kind.is_namespaced() => meta.namespace == *ns,
                        _ => true,
                    };
                    in_namespace
                        && selection.labels.matches(&meta.labels)
                        && selection.fields.matches(meta, |_| None)
                })
                .map(|item| Entry {
                    meta: item.metadata.clone(),
                    json: object(Object::Custom(Box::new(item.clone()))),
                    cells: custom::custom_server_cells(item, now),
                })
                .collect();
            (custom::custom_column_definitions(kind), selected)
        }
        Kind::Event => {
            // etcd lists by key: namespace, then name (`<object>.<counter>`), as the lab's
            // own `get events` prints them.
            let mut selected: Vec<&Event> = source
                .events
                .iter()
                .map(Rc::as_ref)
                .filter(|e| {
                    selection
                        .fields
                        .matches(&e.metadata, |label| e.selectable_field(label))
                })
                .collect();
            selected.sort_by(|a, b| {
                (&a.metadata.namespace, &a.metadata.name)
                    .cmp(&(&b.metadata.namespace, &b.metadata.name))
            });
            entries(selected.into_iter(), selection, now, event_json)
        }
    };
    Listing {
        kind,
        columns,
        entries,
    }
}

/// An Event as `v1` writes it (`source.component`, RFC 3339 timestamps).
fn event_json(event: &Event) -> Value {
    let reference = &event.involved_object;
    let api_version = KINDS
        .iter()
        .find(|info| info.name == reference.kind)
        .map_or("v1", |info| info.api_version);
    let metadata = serde_json::to_value(&event.metadata).unwrap_or(Value::Null);
    let stamp = |t: Option<rollout_sim::clock::Time>| t.map(|t| t.rfc3339());
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": metadata,
        "involvedObject": {
            "kind": reference.kind, "namespace": reference.namespace, "name": reference.name,
            "uid": reference.uid, "apiVersion": api_version,
        },
        "reason": event.reason,
        "message": event.message,
        "source": { "component": event.source },
        "firstTimestamp": stamp(event.first_timestamp),
        "lastTimestamp": stamp(event.last_timestamp),
        "count": event.count,
        "type": format!("{:?}", event.type_),
        "eventTime": null,
        "reportingComponent": "",
        "reportingInstance": "",
    })
}

/// A kind that is not an [`Object`] (nodes, events), serialized as it is.
fn plain<T: TableKind + serde::Serialize>(item: &T) -> Value {
    let mut value = serde_json::to_value(item).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("apiVersion".into(), json!(T::KIND.api_version()));
        map.insert("kind".into(), json!(T::KIND.to_string()));
    }
    value
}

fn entries<'a, T: TableKind + 'a>(
    items: impl Iterator<Item = &'a T>,
    selection: &Selection,
    now: Time,
    json: impl Fn(&T) -> Value,
) -> (Vec<ColumnDefinition>, Vec<Entry>) {
    let selected = items
        .filter_map(|item| entry(item, selection, now, &json))
        .collect();
    (column_definitions::<T>(), selected)
}

/// `item` as an [`Entry`], if `selection` selects it.
fn entry<T: TableKind>(
    item: &T,
    selection: &Selection,
    now: Time,
    json: &impl Fn(&T) -> Value,
) -> Option<Entry> {
    let meta = item.meta();
    let in_namespace = match &selection.namespace {
        Some(ns) if T::KIND.is_namespaced() => meta.namespace == *ns,
        _ => true,
    };
    let selected = in_namespace
        && selection.labels.matches(&meta.labels)
        && selection
            .fields
            .matches(meta, |label| item.selectable_field(label));
    selected.then(|| Entry {
        meta: meta.clone(),
        json: json(item),
        cells: server_cells(item, now),
    })
}

/// A Deployment or ReplicaSet as the watch log recorded it after a settle round, if it is
/// of `kind` and `selection` selects it: the steps a watch sees within one instant.
pub fn written(written: &Written, kind: Kind, selection: &Selection, now: Time) -> Option<Entry> {
    match written {
        Written::Deployment(d) if kind == Kind::Deployment => entry(&**d, selection, now, &|d| {
            to_value(&Object::Deployment(d.clone()))
        }),
        Written::ReplicaSet(rs) if kind == Kind::ReplicaSet => {
            entry(&**rs, selection, now, &|rs| {
                to_value(&Object::ReplicaSet(rs.clone()))
            })
        }
        _ => None,
    }
}

/// A list response: `DeploymentList` and so on.
pub fn list_value(listing: &Listing, resource_version: u64) -> Value {
    let items: Vec<Value> = listing.entries.iter().map(|e| e.json.clone()).collect();
    json!({
        "kind": format!("{}List", listing.kind),
        "apiVersion": listing.kind.api_version(),
        "metadata": { "resourceVersion": resource_version.to_string() },
        "items": items,
    })
}

/// The server-side Table kubectl asks for (`Accept: application/json;as=Table;…`).
pub fn table_value(listing: &Listing, entries: &[&Entry], resource_version: u64) -> Value {
    let columns: Vec<Value> = listing
        .columns
        .iter()
        .map(|column| {
            json!({
                "name": column.header,
                "type": match column.ty {
                    ColumnType::String => "string",
                    ColumnType::Integer => "integer",
                    ColumnType::Date => "string",
                },
                "format": if column.is_name { "name" } else { "" },
                "description": "",
                "priority": column.priority,
            })
        })
        .collect();
    let rows: Vec<Value> = entries
        .iter()
        .map(|entry| {
            let cells: Vec<Value> = entry
                .cells
                .iter()
                .zip(&listing.columns)
                .map(|(cell, column)| match (column.ty, cell.parse::<i64>()) {
                    (ColumnType::Integer, Ok(number)) => json!(number),
                    _ => json!(cell),
                })
                .collect();
            json!({
                "cells": cells,
                "object": {
                    "kind": "PartialObjectMetadata",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": entry.json.get("metadata").cloned().unwrap_or(Value::Null),
                },
            })
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": { "resourceVersion": resource_version.to_string() },
        "columnDefinitions": columns,
        "rows": rows,
    })
}
