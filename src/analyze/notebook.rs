//! Jupyter notebooks (`.ipynb`). Notebooks are where much machine learning, data and plotting
//! work lives, so they are strong evidence for the Python traits; they are JSON, not Python, so
//! they need their own reader.
//!
//! The code cells of one notebook are analysed as ONE Python source (one parse per notebook,
//! imports in an early cell count for the whole notebook). IPython syntax that is not Python —
//! line magics `%x`, shell escapes `!x`, `x = !cmd`, help `obj?`, and non-Python cell magics
//! (`%%bash`, `%%html`, ...) — is replaced by `pass` (or blanked) in place, so every line keeps
//! its number and blocks stay valid. Each finding is mapped back to its cell (index in the
//! notebook's `cells` array, 0-based, counting every cell type) and line in the cell (1-based),
//! and its `line` is set to the line of the raw `.ipynb` file that holds that source line.
//!
//! Raw lines: serde_json's `RawValue` borrows each cell's `source` (and each string of a
//! `source` array) straight from the file text, so its byte offset in the file is exact; a JSON
//! string cannot contain a raw newline, so every source string sits on one raw line, and a cell
//! line maps to the raw line of the string that holds it. No guessing from the formatting.
use crate::finding::{Cell, Finding};
use serde::Deserialize;
use serde_json::value::RawValue;

/// The code of a notebook, ready for the Python scanner, and the map back to cells.
#[derive(Debug)]
pub struct Notebook {
    /// The code cells, magics neutralised, concatenated.
    pub source: String,
    segments: Vec<Segment>,
    pub code_cells: u32,
}

/// One source string of one cell: where its lines start in `source`, in the cell, and which
/// raw line of the file holds them.
#[derive(Debug, Clone, Copy)]
struct Segment {
    concat_line: u32,
    cell: u32,
    cell_line: u32,
    raw_line: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub enum NotebookError {
    /// Not a notebook we can read (bad JSON, missing or mistyped fields).
    Invalid(String),
    /// A notebook for another kernel language (R, Julia, ...).
    NotPython(String),
}

#[derive(Deserialize)]
struct RawNotebook<'a> {
    #[serde(borrow, default)]
    cells: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    worksheets: Option<Vec<RawWorksheet<'a>>>,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct RawWorksheet<'a> {
    #[serde(borrow, default)]
    cells: Vec<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    kernelspec: Option<serde_json::Value>,
    #[serde(default)]
    language_info: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawCell<'a> {
    cell_type: String,
    #[serde(borrow, default)]
    source: Option<&'a RawValue>,
    /// nbformat 3 code cells hold their code in `input`.
    #[serde(borrow, default)]
    input: Option<&'a RawValue>,
    /// nbformat 3 cells name their language.
    #[serde(default)]
    language: Option<String>,
}

/// Cell magics whose body is still Python.
const PYTHON_CELL_MAGICS: &[&str] = &[
    "time", "timeit", "capture", "prun", "debug", "python", "python3", "memit", "profile",
];

/// Byte offset of a slice borrowed from `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Counts raw lines incrementally; offsets must not go backwards.
struct LineCounter<'a> {
    text: &'a [u8],
    off: usize,
    line: u32,
}

impl LineCounter<'_> {
    fn line_at(&mut self, off: usize) -> u32 {
        let off = off.min(self.text.len());
        if off >= self.off {
            self.line += self.text[self.off..off]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32;
        } else {
            // Not expected (cells are in file order); recount from the start.
            self.line = 1 + self.text[..off].iter().filter(|&&b| b == b'\n').count() as u32;
        }
        self.off = off;
        self.line
    }
}

fn kernel_language(meta: &Metadata) -> Option<String> {
    let from = |v: &Option<serde_json::Value>, key: &str| {
        v.as_ref()
            .and_then(|v| v.get(key))
            .and_then(|s| s.as_str())
            .map(|s| s.to_ascii_lowercase())
    };
    from(&meta.kernelspec, "language").or_else(|| from(&meta.language_info, "name"))
}

/// Reads a notebook's code cells. Never panics on bad input.
pub fn extract(text: &str) -> Result<Notebook, NotebookError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cells = raw_cells(text)?;
    let mut lines = LineCounter {
        text: text.as_bytes(),
        off: 0,
        line: 1,
    };
    let mut out = Notebook {
        source: String::new(),
        segments: Vec::new(),
        code_cells: 0,
    };
    let mut concat_line = 1u32;
    for (index, raw) in cells.into_iter().enumerate() {
        let Some(src) = python_code_source(index, raw)? else {
            continue;
        };
        let pieces = source_pieces(text, index, src, &mut lines)?;
        out.code_cells += 1;
        let cell_lines = split_cell_lines(pieces);
        out.push_cell(index as u32, &cell_lines, &mut concat_line);
    }
    Ok(out)
}

/// The notebook's cells (nbformat 4 `cells`, or the cells of nbformat 3 `worksheets`), after
/// checking that its kernel, when named, is Python.
fn raw_cells(text: &str) -> Result<Vec<&RawValue>, NotebookError> {
    if !text.trim_start().starts_with('{') {
        return Err(NotebookError::Invalid("not a JSON object".into()));
    }
    let nb: RawNotebook = serde_json::from_str(text)
        .map_err(|e| NotebookError::Invalid(format!("not valid notebook JSON: {e}")))?;
    if let Some(lang) = nb.metadata.as_ref().and_then(kernel_language) {
        if !lang.starts_with("python") && lang != "ipython" {
            return Err(NotebookError::NotPython(lang));
        }
    }
    match (nb.cells, nb.worksheets) {
        (Some(c), _) => Ok(c),
        (None, Some(ws)) => Ok(ws.into_iter().flat_map(|w| w.cells).collect()),
        (None, None) => Err(NotebookError::Invalid(
            "no `cells` (nor nbformat 3 `worksheets`)".into(),
        )),
    }
}

/// The `source` of cell `index` when it is a Python code cell, `None` for any other cell.
fn python_code_source(index: usize, raw: &RawValue) -> Result<Option<&RawValue>, NotebookError> {
    let cell: RawCell = serde_json::from_str(raw.get())
        .map_err(|e| NotebookError::Invalid(format!("cell {index}: {e}")))?;
    if cell.cell_type != "code" {
        return Ok(None);
    }
    if let Some(l) = &cell.language {
        if !l.to_ascii_lowercase().starts_with("python") {
            return Ok(None);
        }
    }
    match cell.source.or(cell.input) {
        Some(src) => Ok(Some(src)),
        None => Err(NotebookError::Invalid(format!(
            "cell {index}: code cell without `source`"
        ))),
    }
}

/// The source strings of the cell, each with its raw line.
fn source_pieces(
    text: &str,
    index: usize,
    src: &RawValue,
    lines: &mut LineCounter,
) -> Result<Vec<(String, u32)>, NotebookError> {
    let mut pieces: Vec<(String, u32)> = Vec::new();
    let s = src.get().trim_start();
    if s.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(src.get()).map_err(|e| {
            NotebookError::Invalid(format!("cell {index}: `source` is not a list: {e}"))
        })?;
        for it in items {
            let line = lines.line_at(offset_in(text, it.get()));
            let st: String = serde_json::from_str(it.get()).map_err(|_| {
                NotebookError::Invalid(format!("cell {index}: `source` holds a non-string"))
            })?;
            pieces.push((st, line));
        }
    } else {
        let line = lines.line_at(offset_in(text, src.get()));
        let st: String = serde_json::from_str(src.get()).map_err(|_| {
            NotebookError::Invalid(format!(
                "cell {index}: `source` is neither a string nor a list of strings"
            ))
        })?;
        pieces.push((st, line));
    }
    Ok(pieces)
}

/// Splits the cell into lines, remembering the raw line of each.
fn split_cell_lines(pieces: Vec<(String, u32)>) -> Vec<(String, u32)> {
    let mut cell_lines: Vec<(String, u32)> = Vec::new();
    let mut pending = String::new();
    let mut pending_raw = 0u32;
    for (st, raw_line) in pieces {
        for (i, part) in st.split('\n').enumerate() {
            if i > 0 {
                cell_lines.push((std::mem::take(&mut pending), pending_raw));
            }
            if pending.is_empty() {
                pending_raw = raw_line;
            }
            pending.push_str(part);
        }
    }
    if !pending.is_empty() {
        cell_lines.push((pending, pending_raw));
    }
    cell_lines
}

impl Notebook {
    /// Appends one code cell's lines (magics neutralised) to `source`, with a segment for each
    /// run of lines from one raw line; `concat_line` is the line of `source` they start at.
    fn push_cell(&mut self, cell: u32, cell_lines: &[(String, u32)], concat_line: &mut u32) {
        let code = neutralise_magics(cell_lines.iter().map(|(l, _)| l.as_str()).collect());
        let mut last_raw = None;
        for (i, ((_, raw_line), line)) in cell_lines.iter().zip(code).enumerate() {
            if last_raw != Some(*raw_line) {
                self.segments.push(Segment {
                    concat_line: *concat_line,
                    cell,
                    cell_line: i as u32 + 1,
                    raw_line: *raw_line,
                });
                last_raw = Some(*raw_line);
            }
            self.source.push_str(&line);
            self.source.push('\n');
            *concat_line += 1;
        }
    }
}

/// Replaces IPython-only lines by `pass` at the same indent (a non-Python cell magic blanks
/// the whole cell), one output line per input line.
fn neutralise_magics(lines: Vec<&str>) -> Vec<String> {
    let first = lines.iter().position(|l| !l.trim().is_empty());
    if let Some(fi) = first {
        if let Some(magic) = lines[fi].trim_start().strip_prefix("%%") {
            let name = magic.split_whitespace().next().unwrap_or("");
            if !PYTHON_CELL_MAGICS.contains(&name) {
                return lines.iter().map(|_| String::new()).collect();
            }
        }
    }
    lines
        .iter()
        .map(|l| {
            let t = l.trim_start();
            let indent = &l[..l.len() - t.len()];
            if is_ipython_line(t) {
                format!("{indent}pass")
            } else {
                (*l).to_string()
            }
        })
        .collect()
}

/// `%magic`, `!shell`, `x = !shell`, `x = %magic`, `obj?`, `?obj`.
fn is_ipython_line(t: &str) -> bool {
    if t.starts_with('%') || t.starts_with('!') || t.starts_with('?') {
        return true;
    }
    let trimmed = t.trim_end();
    if trimmed.ends_with('?')
        && !trimmed.starts_with('#')
        && trimmed[..trimmed.len() - 1]
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '?')
        && trimmed.len() > 1
    {
        return true;
    }
    // `files = !ls`, `t = %timeit -o f()`
    if let Some((lhs, rhs)) = t.split_once('=') {
        let rhs = rhs.trim_start();
        let lhs_ok = !lhs.is_empty()
            && lhs
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == ',' || c == ' ' || c == '.');
        if lhs_ok && (rhs.starts_with('!') || rhs.starts_with('%')) && !rhs.starts_with("!=") {
            return true;
        }
    }
    false
}

impl Notebook {
    fn segment_for(&self, line: u32) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.concat_line <= line);
        i.checked_sub(1).map(|i| &self.segments[i])
    }

    /// Maps a line of `source` to (cell, line in cell, raw file line).
    pub fn locate(&self, line: u32) -> Option<(Cell, u32)> {
        let s = self.segment_for(line)?;
        let delta = line - s.concat_line;
        Some((
            Cell {
                index: s.cell,
                line: s.cell_line + delta,
            },
            s.raw_line,
        ))
    }

    /// Rewrites a finding made on `source` to point into the notebook.
    pub fn remap(&self, f: &mut Finding) {
        if let Some((cell, raw)) = self.locate(f.line) {
            let end_raw = self.locate(f.end_line).map_or(raw, |(_, r)| r);
            f.cell = Some(cell);
            f.line = raw;
            f.end_line = end_raw.max(raw);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Title\n", "text"]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [{"output_type": "stream", "text": ["import fake\n"]}],
   "source": [
    "%matplotlib inline\n",
    "import numpy as np\n",
    "!pip install torch\n",
    "files = !ls\n",
    "np?"
   ]
  },
  {
   "cell_type": "code",
   "metadata": {},
   "source": "%%bash\nimport torch\n"
  },
  {
   "cell_type": "code",
   "metadata": {},
   "source": ["%%time\n", "for i in range(3):\n", "    %time f(i)\n", "import pandas\n"]
  }
 ],
 "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}"##;

    #[test]
    fn code_cells_and_magics() {
        let nb = extract(NB).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(nb.code_cells, 3);
        let lines: Vec<&str> = nb.source.lines().collect();
        assert_eq!(
            lines,
            vec![
                "pass",
                "import numpy as np",
                "pass",
                "pass",
                "pass",
                "",
                "",
                "pass",
                "for i in range(3):",
                "    pass",
                "import pandas",
            ]
        );
        // line 2 of the source is cell 1, line 2, raw line 15
        let (cell, raw) = nb.locate(2).unwrap_or_else(|| panic!("no segment"));
        assert_eq!((cell.index, cell.line, raw), (1, 2, 15));
        // cell 2 is one string on one raw line
        let (cell, raw) = nb.locate(7).unwrap_or_else(|| panic!("no segment"));
        assert_eq!((cell.index, cell.line, raw), (2, 2, 24));
        let (cell, raw) = nb.locate(11).unwrap_or_else(|| panic!("no segment"));
        assert_eq!((cell.index, cell.line, raw), (3, 4, 29));
        assert_eq!(NB.lines().nth(28).map(str::trim_start), Some("\"source\": [\"%%time\\n\", \"for i in range(3):\\n\", \"    %time f(i)\\n\", \"import pandas\\n\"]"));
        assert!(NB
            .lines()
            .nth(14)
            .is_some_and(|l| l.contains("import numpy")));
    }

    #[test]
    fn broken_notebooks() {
        assert!(matches!(
            extract("{ not json"),
            Err(NotebookError::Invalid(_))
        ));
        assert!(matches!(extract("[]"), Err(NotebookError::Invalid(_))));
        assert!(matches!(extract("{}"), Err(NotebookError::Invalid(_))));
        assert!(matches!(
            extract(r#"{"cells": [{"cell_type": "code"}]}"#),
            Err(NotebookError::Invalid(_))
        ));
        assert!(matches!(
            extract(r#"{"cells": [{"cell_type": "code", "source": [1, 2]}]}"#),
            Err(NotebookError::Invalid(_))
        ));
        assert!(matches!(
            extract(r#"{"cells": [{"cell_type": "code", "source": {"a": 1}}]}"#),
            Err(NotebookError::Invalid(_))
        ));
        assert_eq!(
            extract(r#"{"cells": [], "metadata": {"kernelspec": {"language": "R"}}}"#).err(),
            Some(NotebookError::NotPython("r".into()))
        );
        // nbformat 3
        let v3 = r#"{"worksheets": [{"cells": [{"cell_type": "code", "language": "python", "input": ["import sklearn\n"]}]}], "metadata": {}}"#;
        let nb = extract(v3).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(nb.source, "import sklearn\n");
    }
}
