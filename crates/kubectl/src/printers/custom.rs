//! `kubectl get` of a custom resource kept as JSON: NAME, then its CRD's printer columns
//! (`rollout_sim::manifest::custom::columns`, registered by the add-on that serves it), with
//! what the table printer adds around them (`-A`'s NAMESPACE, kind prefixes, `-L`,
//! `--show-labels`), as kubectl prints the Table the API server computes for a CRD.

use super::duration::translate_timestamp_since;
use super::format::{format_labels, table_cell};
use super::table::{
    kind_prefix, AnyTable, ColumnDefinition, ColumnType, GetOptions, OutputFormat, RenderedTable,
};
use rollout_sim::clock::Time;
use rollout_sim::manifest::custom::{columns, Cell};
use rollout_sim::objects::{CustomObject, Kind};

pub(super) struct CustomTable<'a> {
    kind: Kind,
    items: Vec<&'a CustomObject>,
}

impl<'a> CustomTable<'a> {
    /// The objects of `kind` among `all`, in the API's order.
    pub(super) fn new(kind: Kind, all: &'a [CustomObject]) -> CustomTable<'a> {
        let mut items: Vec<&CustomObject> = all.iter().filter(|o| o.kind == kind).collect();
        items.sort_by(|a, b| {
            (&a.metadata.namespace, &a.metadata.name)
                .cmp(&(&b.metadata.namespace, &b.metadata.name))
        });
        CustomTable { kind, items }
    }
}

impl AnyTable for CustomTable<'_> {
    fn kind(&self) -> Kind {
        self.kind
    }

    fn table(&self, options: &GetOptions, with_kind: bool, now: Time) -> RenderedTable {
        let wide = options.output == OutputFormat::Wide;
        let namespace_column = options.all_namespaces && self.kind.is_namespaced();
        let shown: Vec<_> = columns(self.kind)
            .iter()
            .filter(|c| wide || !c.wide_only)
            .collect();
        let mut headers = Vec::new();
        if namespace_column {
            headers.push("NAMESPACE".to_string());
        }
        headers.push("NAME".to_string());
        headers.extend(shown.iter().map(|c| c.header.to_string()));
        headers.extend(
            options
                .label_columns
                .iter()
                .map(|key| key.rsplit('/').next().unwrap_or(key).to_uppercase()),
        );
        if options.show_labels {
            headers.push("LABELS".to_string());
        }
        let rows = self
            .items
            .iter()
            .map(|item| {
                let meta = &item.metadata;
                let mut row = Vec::new();
                if namespace_column {
                    row.push(meta.namespace.clone());
                }
                row.push(if with_kind {
                    format!("{}/{}", kind_prefix(self.kind), meta.name)
                } else {
                    meta.name.clone()
                });
                for column in &shown {
                    row.push(table_cell(&match column.cell {
                        Cell::Age => translate_timestamp_since(meta.creation_timestamp, now),
                        Cell::Json(cell) => cell(item),
                    }));
                }
                for key in &options.label_columns {
                    row.push(meta.labels.get(key).cloned().unwrap_or_default());
                }
                if options.show_labels {
                    row.push(format_labels(&meta.labels));
                }
                row
            })
            .collect();
        RenderedTable {
            kind: self.kind,
            headers,
            rows,
        }
    }

    fn names(&self) -> String {
        self.items
            .iter()
            .map(|item| format!("{}/{}\n", kind_prefix(self.kind), item.metadata.name))
            .collect()
    }
}

/// The Table columns the API server declares for a custom kind: NAME, then its CRD's.
pub fn custom_column_definitions(kind: Kind) -> Vec<ColumnDefinition> {
    let mut definitions = vec![ColumnDefinition {
        header: "NAME",
        ty: ColumnType::String,
        priority: 0,
        is_name: true,
    }];
    definitions.extend(columns(kind).iter().map(|column| ColumnDefinition {
        header: column.header,
        ty: match column.cell {
            Cell::Age => ColumnType::Date,
            Cell::Json(_) => ColumnType::String,
        },
        priority: u8::from(column.wide_only),
        is_name: false,
    }));
    definitions
}

/// The cells of a custom resource's Table row, every column, at `now`.
pub fn custom_server_cells(item: &CustomObject, now: Time) -> Vec<String> {
    let mut cells = vec![item.metadata.name.clone()];
    cells.extend(columns(item.kind).iter().map(|column| match column.cell {
        Cell::Age => translate_timestamp_since(item.metadata.creation_timestamp, now),
        Cell::Json(cell) => cell(item),
    }));
    cells
}
