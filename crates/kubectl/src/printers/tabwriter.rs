//! Go's `text/tabwriter`, as kubectl uses it, cell for cell.
//!
//! Text is cut into cells at `\t`; a cell belongs to a column only when a tab ends it, so the
//! last cell of a line is never padded (hence no trailing spaces in `kubectl get`). A column
//! *block* is a run of consecutive lines that all have a cell in that column; the block is as
//! wide as its widest cell plus `padding` (at least `minwidth`). A line without any tab ends
//! every block, which is why the `Conditions:` heading in `describe` starts a fresh alignment.
//!
//! Two configurations matter:
//! * [`TabWriter::for_get`]: cli-runtime's `GetNewTabWriter` (liggitt/tabwriter, minwidth 6,
//!   tabwidth 4, padding 3, `RememberWidths`): column widths survive [`TabWriter::flush`], so a
//!   `--watch` session's columns only ever grow.
//! * [`TabWriter::for_describe`]: kubectl's `tabbedString` (minwidth 0, tabwidth 8, padding 2),
//!   used by `describe` and `rollout history`.
//!
//! The tab width only matters when padding with tabs, which kubectl never does.

/// One cell: its text and its width in runes (Go counts `utf8.RuneCount`).
#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    width: usize,
}

/// A buffering, column-aligning writer. Write text with [`TabWriter::write_str`], call
/// [`TabWriter::flush`] to format what is buffered, and collect the result with
/// [`TabWriter::take_output`].
#[derive(Debug, Clone)]
pub struct TabWriter {
    /// Smallest width of a column, padding included.
    minwidth: usize,
    /// Spaces added to the widest cell of a column block.
    padding: usize,
    /// liggitt/tabwriter's `RememberWidths`: widths never shrink across flushes.
    remember_widths: bool,
    /// juju/ansiterm's writer: colour escapes (`ESC[…m`) take no width.
    ansi: bool,
    /// The widest width seen per column (only with `remember_widths`).
    max_widths: Vec<usize>,
    /// Buffered lines; the last one is the line being written.
    lines: Vec<Vec<Cell>>,
    /// The cell being written (not yet ended by a tab or newline).
    cell: String,
    /// Widths of the columns to the left while formatting (Go's `b.widths`).
    widths: Vec<usize>,
    /// Formatted text not yet taken.
    out: String,
}

impl TabWriter {
    /// A writer with Go's `tabwriter.NewWriter(out, minwidth, _, padding, ' ', flags)` settings.
    pub fn new(minwidth: usize, padding: usize, remember_widths: bool) -> TabWriter {
        TabWriter {
            minwidth,
            padding,
            remember_widths,
            ansi: false,
            max_widths: Vec::new(),
            lines: vec![Vec::new()],
            cell: String::new(),
            widths: Vec::new(),
            out: String::new(),
        }
    }

    /// `kubectl get`'s writer: minwidth 6, padding 3, widths remembered across flushes.
    pub fn for_get() -> TabWriter {
        TabWriter::new(6, 3, true)
    }

    /// `kubectl describe` / `rollout history`'s writer: minwidth 0, padding 2.
    pub fn for_describe() -> TabWriter {
        TabWriter::new(0, 2, false)
    }

    /// juju/ansiterm's `TabWriter` (what the Argo Rollouts plugin aligns its tree with):
    /// the same rules, but a cell's width leaves out its ANSI colour escapes.
    pub fn ansi_aware(mut self) -> TabWriter {
        self.ansi = true;
        self
    }

    /// Buffers `text`, splitting it into cells and lines.
    pub fn write_str(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' => self.terminate_cell(),
                '\n' => {
                    self.terminate_cell();
                    let cells_in_line = self.lines.last().map_or(0, Vec::len);
                    self.lines.push(Vec::new());
                    // A line with a single cell cannot affect later alignment: Go flushes here.
                    if cells_in_line == 1 {
                        self.flush();
                    }
                }
                _ => self.cell.push(ch),
            }
        }
    }

    /// Formats and emits everything buffered. With remembered widths the column widths
    /// carry over to the next batch of lines.
    pub fn flush(&mut self) {
        if !self.cell.is_empty() {
            self.terminate_cell();
        }
        let line_count = self.lines.len();
        self.format(0, line_count);
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    /// Takes the text formatted so far (call [`TabWriter::flush`] first).
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Forgets remembered widths, as `kubectl get` does when it starts a new resource kind.
    pub fn forget_widths(&mut self) {
        self.max_widths.clear();
    }

    /// Writes, flushes and returns the formatted text in one go.
    pub fn render(mut self, text: &str) -> String {
        self.write_str(text);
        self.flush();
        self.take_output()
    }

    fn terminate_cell(&mut self) {
        let text = std::mem::take(&mut self.cell);
        let width = if self.ansi {
            visible_width(&text)
        } else {
            text.chars().count()
        };
        if let Some(line) = self.lines.last_mut() {
            line.push(Cell { text, width });
        }
    }

    /// Go's `format`: aligns column `self.widths.len()` for lines `line0..line1`, recursing
    /// into the columns to its right block by block.
    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if !self.has_column(this, column) {
                this += 1;
                continue;
            }
            // Lines before the block have no cell in this column: print them as they are.
            self.write_lines(line0, this);
            line0 = this;

            let mut width = self.minwidth;
            while this < line1 && self.has_column(this, column) {
                let cell_width = self.lines[this][column].width + self.padding;
                width = width.max(cell_width);
                this += 1;
            }

            if self.remember_widths {
                if self.max_widths.len() < column {
                    let missing = self.widths[self.max_widths.len()..].to_vec();
                    self.max_widths.extend(missing);
                }
                if self.max_widths.len() == column {
                    self.max_widths.push(width);
                } else if self.max_widths[column] > width {
                    width = self.max_widths[column];
                } else {
                    self.max_widths[column] = width;
                }
            }

            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    /// Whether line `line` has a tab-terminated cell in `column` (its last cell never counts).
    fn has_column(&self, line: usize, column: usize) -> bool {
        column + 1 < self.lines[line].len()
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                self.out.push_str(&cell.text);
                if let Some(&width) = self.widths.get(j) {
                    let pad = width.saturating_sub(cell.width);
                    self.out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            // The last buffered line is the unterminated one: no newline after it.
            if i + 1 != self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

/// The runes of `text` a terminal shows: `ESC [ … letter` sequences count nothing.
fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Skip `[`, the parameters, and the final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        width += 1;
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(mut writer: TabWriter, input: &str, expected: &str) {
        writer.write_str(input);
        writer.flush();
        assert_eq!(writer.take_output(), expected);
    }

    #[test]
    fn get_tables_pad_by_three_with_a_minimum_of_six_and_leave_the_last_column_bare() {
        check(
            TabWriter::for_get(),
            "NAME\tDESIRED\tCURRENT\tREADY\tAGE\ndemoapp-5748b7ccfc\t3\t3\t3\t10m\n",
            "NAME                 DESIRED   CURRENT   READY   AGE\n\
             demoapp-5748b7ccfc   3         3         3       10m\n",
        );
        check(TabWriter::for_get(), "A\tB\nx\ty\n", "A     B\nx     y\n");
    }

    #[test]
    fn an_ansi_aware_writer_aligns_coloured_cells_by_what_shows() {
        check(
            TabWriter::new(0, 2, false).ansi_aware(),
            "a\t\x1b[32m✔\x1b[0m ok\tx\nlonger\t\x1b[0m॥\x1b[0m Paused\ty\n",
            "a       \x1b[32m✔\x1b[0m ok      x\nlonger  \x1b[0m॥\x1b[0m Paused  y\n",
        );
    }

    #[test]
    fn describe_blocks_end_at_a_line_without_tabs() {
        check(
            TabWriter::for_describe(),
            "Name:\tdemoapp\nReplicas:\t3\nPod Template:\n  Labels:\tapp=demoapp\n",
            "Name:      demoapp\nReplicas:  3\nPod Template:\n  Labels:  app=demoapp\n",
        );
    }

    #[test]
    fn an_empty_last_cell_leaves_the_padding_of_the_cell_before_it() {
        check(
            TabWriter::for_describe(),
            "  host\t\n  \t/\tx\n",
            "  host  \n        /  x\n",
        );
    }

    #[test]
    fn remembered_widths_only_grow_across_flushes() {
        let mut w = TabWriter::for_get();
        w.write_str("NAME\tAGE\nlong-name-here\t5s\n");
        w.flush();
        w.write_str("a\t6s\n");
        w.flush();
        assert_eq!(
            w.take_output(),
            "NAME             AGE\nlong-name-here   5s\na                6s\n"
        );
        w.write_str("a-much-longer-name-than-before\t7s\n");
        w.flush();
        assert_eq!(w.take_output(), "a-much-longer-name-than-before   7s\n");
    }

    #[test]
    fn unterminated_text_is_emitted_on_flush_without_a_newline() {
        check(TabWriter::for_describe(), "a\tb\nc", "a  b\nc");
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        check(
            TabWriter::for_describe(),
            "名前\tx\nab\ty\n",
            "名前  x\nab  y\n",
        );
    }
}
