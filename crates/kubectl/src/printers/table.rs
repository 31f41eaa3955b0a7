//! `kubectl get` tables: one [`TableKind`] description per resource (its columns and how one
//! object becomes a row) and one renderer that adds what the table printer adds on top —
//! `-o wide` columns, `-A`'s NAMESPACE, `-L` label columns, `--show-labels`, kind-prefixed
//! names when several kinds are listed, sorting, and the `No resources found` message.

use super::duration::translate_timestamp_since;
use super::format::{format_labels, table_cell};
use super::tabwriter::TabWriter;
use crate::Output;
use rollout_sim::clock::Time;
use rollout_sim::objects::{Kind, ObjectMeta, Resource};

/// What a cell may depend on besides its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellCx {
    /// For ages.
    pub now: Time,
    /// `-o wide` (the ingress ADDRESS column clips itself without it).
    pub wide: bool,
}

/// A column's type, as printers.go declares it (`TableColumnDefinition.Type`); the API
/// server's Table responses carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    String,
    Integer,
    Date,
}

/// One column as printers.go declares it (`metav1.TableColumnDefinition`), and how its cell
/// is computed from an object.
pub struct Column<T: 'static> {
    /// The header as kubectl prints it (already upper-case).
    pub header: &'static str,
    pub ty: ColumnType,
    /// `Priority != 0`: shown only with `-o wide`.
    pub wide_only: bool,
    /// The column holding the object's name (`Format: "name"`), which gets the
    /// `kind.group/` prefix when several kinds are printed.
    pub is_name: bool,
    pub cell: fn(&T, CellCx) -> String,
}

impl<T: Resource> Column<T> {
    /// The object-name column (`NAME`).
    pub const NAME: Column<T> = Column {
        header: "NAME",
        ty: ColumnType::String,
        wide_only: false,
        is_name: true,
        cell: |item, _| item.metadata().name.clone(),
    };

    /// The `AGE` column: `translateTimestampSince(creationTimestamp)`.
    pub const AGE: Column<T> = Column {
        header: "AGE",
        ty: ColumnType::Date,
        wide_only: false,
        is_name: false,
        cell: |item, cx| translate_timestamp_since(item.metadata().creation_timestamp, cx.now),
    };

    /// A string column shown in every table.
    pub const fn text(header: &'static str, cell: fn(&T, CellCx) -> String) -> Column<T> {
        Column {
            header,
            ty: ColumnType::String,
            wide_only: false,
            is_name: false,
            cell,
        }
    }

    /// An integer column shown in every table.
    pub const fn integer(header: &'static str, cell: fn(&T, CellCx) -> String) -> Column<T> {
        Column {
            ty: ColumnType::Integer,
            ..Column::text(header, cell)
        }
    }

    /// `column`, shown only with `-o wide` (`Priority: 1`).
    pub const fn wide(column: Column<T>) -> Column<T> {
        Column {
            wide_only: true,
            ..column
        }
    }
}

/// How one kind prints as a table: its columns, as data. Implemented once per kind in
/// `kinds.rs`; read by [`headers`], [`row`] and the watch printer.
pub trait TableKind: Resource + Sized + 'static {
    /// All columns, wide ones included, in printers.go order.
    const COLUMNS: &'static [Column<Self>];

    /// The object's metadata (name, namespace, labels).
    fn meta(&self) -> &ObjectMeta {
        self.metadata()
    }

    /// The value of a field label `--field-selector` can select this kind by, other than
    /// `metadata.name` and `metadata.namespace` (upstream's `ToSelectableFields`; the labels
    /// are `selector::field_labels`).
    fn selectable_field(&self, _label: &str) -> Option<String> {
        None
    }
}

/// What the printer needs of one kind's objects, whatever the kind.
pub(crate) trait AnyTable {
    fn kind(&self) -> Kind;
    fn table(&self, options: &GetOptions, with_kind: bool, now: Time) -> RenderedTable;
    fn names(&self) -> String;
}

/// The output format of `kubectl get`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// The default table.
    #[default]
    Table,
    /// `-o wide`.
    Wide,
    /// `-o name`: one `kind.group/name` per line.
    Name,
}

/// The flags of `kubectl get` that change what a table looks like.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetOptions {
    pub output: OutputFormat,
    /// `--show-labels`.
    pub show_labels: bool,
    /// `-L key1,key2`, in the order given.
    pub label_columns: Vec<String>,
    /// `-A`: every namespace, with a NAMESPACE column.
    pub all_namespaces: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// The namespace asked for, named in `No resources found in <ns> namespace.`
    pub namespace: String,
}

/// A table ready to write: headers and rows of cells, one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedTable {
    pub kind: Kind,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl RenderedTable {
    /// Writes the table through `writer` (headers only when there are rows, as kubectl).
    pub fn write_to(&self, writer: &mut TabWriter, no_headers: bool) {
        if self.rows.is_empty() {
            return;
        }
        if !no_headers {
            writer.write_str(&self.headers.join("\t"));
            writer.write_str("\n");
        }
        for row in &self.rows {
            writer.write_str(&row.join("\t"));
            writer.write_str("\n");
        }
    }
}

/// Sorts objects the way the API server lists them: by namespace, then name.
pub fn sort_by_name<T: TableKind>(items: &[T]) -> Vec<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.meta().namespace, &a.meta().name).cmp(&(&b.meta().namespace, &b.meta().name))
    });
    sorted
}

/// `kind.group` in lower case (`deployment.apps`, `pod`), the NamePrinter's prefix.
pub fn kind_prefix(kind: Kind) -> String {
    kind.qualified_kind()
}

/// The header cells of `T`'s table under `options`.
pub fn headers<T: TableKind>(options: &GetOptions) -> Vec<String> {
    let wide = options.output == OutputFormat::Wide;
    let mut headers = Vec::new();
    if options.all_namespaces && T::KIND.is_namespaced() {
        headers.push("NAMESPACE".to_string());
    }
    headers.extend(
        T::COLUMNS
            .iter()
            .filter(|c| wide || !c.wide_only)
            .map(|c| c.header.to_string()),
    );
    headers.extend(
        options
            .label_columns
            .iter()
            .map(|key| key.rsplit('/').next().unwrap_or(key).to_uppercase()),
    );
    if options.show_labels {
        headers.push("LABELS".to_string());
    }
    headers
}

/// The cells of one object's row under `options`; `with_kind` prefixes the name.
pub fn row<T: TableKind>(
    item: &T,
    options: &GetOptions,
    with_kind: bool,
    now: Time,
) -> Vec<String> {
    let wide = options.output == OutputFormat::Wide;
    let meta = item.meta();
    let mut row = Vec::new();
    if options.all_namespaces && T::KIND.is_namespaced() {
        row.push(meta.namespace.clone());
    }
    let cx = CellCx { now, wide };
    for column in T::COLUMNS {
        if column.wide_only && !wide {
            continue;
        }
        let cell = table_cell(&(column.cell)(item, cx));
        if column.is_name && with_kind {
            row.push(format!("{}/{cell}", kind_prefix(T::KIND)));
        } else {
            row.push(cell);
        }
    }
    for key in &options.label_columns {
        row.push(meta.labels.get(key).cloned().unwrap_or_default());
    }
    if options.show_labels {
        row.push(format_labels(&meta.labels));
    }
    row
}

/// The whole table of `items` (sorted by name) under `options`.
pub fn render_table<T: TableKind>(
    items: &[T],
    options: &GetOptions,
    with_kind: bool,
    now: Time,
) -> RenderedTable {
    RenderedTable {
        kind: T::KIND,
        headers: headers::<T>(options),
        rows: sort_by_name(items)
            .into_iter()
            .map(|item| row(item, options, with_kind, now))
            .collect(),
    }
}

/// `-o name` lines for `items`, sorted by name.
pub fn name_lines<T: TableKind>(items: &[T]) -> String {
    sort_by_name(items)
        .into_iter()
        .map(|item| format!("{}/{}\n", kind_prefix(T::KIND), item.meta().name))
        .collect()
}

/// Prints tables, one per kind, the way `kubectl get` does: a blank line between kinds that
/// printed something, widths remembered within a kind but not across kinds, and when nothing
/// at all was printed, `No resources found …` on stderr.
///
/// `tables` must already carry kind prefixes when more than one kind was requested (see
/// [`super::get::print_get`]).
pub fn print_tables(tables: &[RenderedTable], options: &GetOptions) -> Output {
    let mut stdout = String::new();
    for table in tables {
        // kubectl flushes and forgets the remembered widths when the kind changes.
        let mut writer = TabWriter::for_get();
        table.write_to(&mut writer, options.no_headers);
        writer.flush();
        let chunk = writer.take_output();
        if chunk.is_empty() {
            continue;
        }
        if !stdout.is_empty() && !options.no_headers {
            stdout.push('\n');
        }
        stdout.push_str(&chunk);
    }
    let mut stderr = String::new();
    if stdout.is_empty() {
        let all_namespaced =
            !options.all_namespaces && tables.iter().all(|t| t.kind.is_namespaced());
        stderr = no_resources_message(all_namespaced, &options.namespace);
    }
    Output {
        stdout,
        stderr,
        ..Output::default()
    }
}

/// kubectl's empty-result message (stderr), with its newline.
pub fn no_resources_message(namespaced: bool, namespace: &str) -> String {
    if namespaced {
        format!("No resources found in {namespace} namespace.\n")
    } else {
        "No resources found\n".to_string()
    }
}

/// The kind of change a `--watch --output-watch-events` row reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
    Error,
}

impl WatchEventType {
    /// cli-runtime `formatEventType`: padded to eight characters.
    pub fn cell(self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED   ",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED ",
            WatchEventType::Error => "ERROR   ",
        }
    }
}

/// `kubectl get -w`: keeps one writer for the whole session so column widths only grow,
/// prints the header once (before the first row), then one full row per change.
#[derive(Debug, Clone)]
pub struct WatchPrinter {
    writer: TabWriter,
    options: GetOptions,
    /// `--output-watch-events`: an EVENT column first.
    with_event_column: bool,
    header_printed: bool,
}

impl WatchPrinter {
    pub fn new(options: GetOptions, with_event_column: bool) -> WatchPrinter {
        WatchPrinter {
            writer: TabWriter::for_get(),
            options,
            with_event_column,
            header_printed: false,
        }
    }

    /// The initial listing: header and rows (all `ADDED` with watch events).
    pub fn initial<T: TableKind>(&mut self, items: &[T], now: Time) -> String {
        let mut text = String::new();
        for item in sort_by_name(items) {
            text.push_str(&self.event(WatchEventType::Added, item, now));
        }
        text
    }

    /// One row for one change, flushed immediately (widths remembered).
    pub fn event<T: TableKind>(&mut self, event: WatchEventType, item: &T, now: Time) -> String {
        if !self.header_printed && !self.options.no_headers {
            let mut headers = headers::<T>(&self.options);
            if self.with_event_column {
                headers.insert(0, "EVENT".to_string());
            }
            self.writer.write_str(&headers.join("\t"));
            self.writer.write_str("\n");
        }
        self.header_printed = true;
        let mut cells = row(item, &self.options, false, now);
        if self.with_event_column {
            cells.insert(0, event.cell().to_string());
        }
        self.writer.write_str(&cells.join("\t"));
        self.writer.write_str("\n");
        self.writer.flush();
        self.writer.take_output()
    }
}

/// A column of the API server's Table (`metav1.TableColumnDefinition`): kubectl asks the
/// server for tables and prints what comes back, so the lab's server answers with these
/// column tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDefinition {
    /// The header in the case the server sends it (`Name`); kubectl upper-cases it.
    pub header: &'static str,
    pub ty: ColumnType,
    /// 0, or 1 for the columns only `-o wide` shows.
    pub priority: u8,
    /// `format: name` for the name column.
    pub is_name: bool,
}

/// Every column of `T`'s table, wide ones included, as the server declares them.
pub fn column_definitions<T: TableKind>() -> Vec<ColumnDefinition> {
    T::COLUMNS
        .iter()
        .map(|column| ColumnDefinition {
            header: column.header,
            ty: column.ty,
            priority: u8::from(column.wide_only),
            is_name: column.is_name,
        })
        .collect()
}

/// The cells of `item`'s row as the server computes them: every column, at `now`.
pub fn server_cells<T: TableKind>(item: &T, now: Time) -> Vec<String> {
    let cx = CellCx { now, wide: true };
    T::COLUMNS
        .iter()
        .map(|column| (column.cell)(item, cx))
        .collect()
}
