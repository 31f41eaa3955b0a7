//! `diff -u`'s hunks, as GNU diff 3.10 writes them: the text tools' module holds them (see
//! `tools`), and `kubectl diff` prints them between its headers.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same,
    Delete,
    Insert,
}

/// The edits from `a` to `b`, line by line: common ends first, then a longest common
/// subsequence of the middle (replaced wholesale when it is too big to compare).
fn edits(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut middle = Vec::new();
    if ma.len().saturating_mul(mb.len()) > 4_000_000 {
        middle.extend(std::iter::repeat_n(Edit::Delete, ma.len()));
        middle.extend(std::iter::repeat_n(Edit::Insert, mb.len()));
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let (mut dels, mut ins) = (0, 0);
        let flush = |middle: &mut Vec<Edit>, dels: &mut usize, ins: &mut usize| {
            middle.extend(std::iter::repeat_n(Edit::Delete, std::mem::take(dels)));
            middle.extend(std::iter::repeat_n(Edit::Insert, std::mem::take(ins)));
        };
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                flush(&mut middle, &mut dels, &mut ins);
                middle.push(Edit::Same);
                i += 1;
                j += 1;
            } else if j == mb.len() || (i < ma.len() && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                dels += 1;
                i += 1;
            } else {
                ins += 1;
                j += 1;
            }
        }
        flush(&mut middle, &mut dels, &mut ins);
    }
    let mut all = vec![Edit::Same; prefix];
    all.extend(middle);
    all.extend(std::iter::repeat_n(Edit::Same, suffix));
    all
}

/// GNU's `@@` range: `START,COUNT`, `START` alone for one line, the line before for none.
fn range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

/// `diff -u`'s hunks (three lines of context) turning `a` into `b`; empty when they are equal.
pub(crate) fn unified(a: &str, b: &str) -> String {
    const CONTEXT: usize = 3;
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let edits = edits(&al, &bl);
    let changes: Vec<usize> = (0..edits.len())
        .filter(|&i| edits[i] != Edit::Same)
        .collect();
    let mut out = String::new();
    let mut k = 0;
    while k < changes.len() {
        // A hunk takes every change less than 2 × CONTEXT + 1 unchanged lines from the last.
        let mut last = k;
        while last + 1 < changes.len() && changes[last + 1] - changes[last] <= 2 * CONTEXT + 1 {
            last += 1;
        }
        let start = changes[k].saturating_sub(CONTEXT);
        let end = (changes[last] + CONTEXT + 1).min(edits.len());
        let a_start = edits[..start]
            .iter()
            .filter(|e| **e != Edit::Insert)
            .count();
        let b_start = edits[..start]
            .iter()
            .filter(|e| **e != Edit::Delete)
            .count();
        let (mut i, mut j) = (a_start, b_start);
        let mut body = String::new();
        for edit in &edits[start..end] {
            let (mark, line) = match edit {
                Edit::Same => (' ', al[i]),
                Edit::Delete => ('-', al[i]),
                Edit::Insert => ('+', bl[j]),
            };
            i += usize::from(*edit != Edit::Insert);
            j += usize::from(*edit != Edit::Delete);
            body.push_str(&format!("{mark}{line}\n"));
        }
        out.push_str(&format!(
            "@@ -{} +{} @@\n{body}",
            range(a_start, i - a_start),
            range(b_start, j - b_start)
        ));
        k = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // As GNU diff 3.10 prints them (`diff -u a b`).
    #[test]
    fn hunks_are_gnu_diffs() {
        let a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
        let b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\nseventeen\n";
        assert_eq!(
            unified(a, b),
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n@@ -14,3 +14,4 @@\n 14\n 15\n 16\n+seventeen\n"
        );
        assert_eq!(unified("", "a\nb\n"), "@@ -0,0 +1,2 @@\n+a\n+b\n");
        assert_eq!(
            unified("a\nb\nc\n", "a\nc\n"),
            "@@ -1,3 +1,2 @@\n a\n-b\n c\n"
        );
        assert_eq!(unified("x\n", "x\n"), "");
        let (a, b) = ("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\nX\n3\n4\n5\n6\n7\n8\nY\n");
        assert_eq!(
            unified(a, b),
            "@@ -1,9 +1,9 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n"
        );
    }
}
