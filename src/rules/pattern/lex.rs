//! The tokens of the `.scm` pattern language: parentheses, brackets, anchors, strings with
//! tree-sitter's escapes, captures, field names and words (node kinds, predicate names).
use super::{err, PatternError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum T {
    Open,
    Close,
    OpenAlt,
    CloseAlt,
    Dot,
    Bang,
    Quant(char),
    Str(String),
    Capture(String),
    Field(String),
    Word(String),
}

#[derive(Debug)]
pub(super) struct Tok {
    pub t: T,
    pub start: usize,
    pub end: usize,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'?' | b'!' | b'#')
}

pub(super) fn tokenize(text: &str) -> Result<Vec<Tok>, PatternError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let simple = match c {
            b'(' => Some(T::Open),
            b')' => Some(T::Close),
            b'[' => Some(T::OpenAlt),
            b']' => Some(T::CloseAlt),
            b'.' => Some(T::Dot),
            b'!' => Some(T::Bang),
            b'*' | b'+' | b'?' => Some(T::Quant(c as char)),
            _ => None,
        };
        if let Some(t) = simple {
            i += 1;
            out.push(Tok { t, start, end: i });
            continue;
        }
        match c {
            _ if c.is_ascii_whitespace() => i += 1,
            b';' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let (s, end) = string(text, start)?;
                i = end;
                out.push(Tok {
                    t: T::Str(s),
                    start,
                    end,
                });
            }
            b'@' => {
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-' | b'.'))
                {
                    i += 1;
                }
                if i == start + 1 {
                    return err(start, "a capture needs a name after `@`");
                }
                out.push(Tok {
                    t: T::Capture(text[start + 1..i].to_string()),
                    start,
                    end: i,
                });
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' || c == b'#' => {
                while i < b.len() && is_word_byte(b[i]) {
                    // `.` and `?`/`!` belong to a word only inside predicate names (`#any-of?`).
                    if matches!(b[i], b'.' | b'?' | b'!') && c != b'#' {
                        break;
                    }
                    i += 1;
                }
                let w = text[start..i].to_string();
                if c != b'#' && b.get(i) == Some(&b':') {
                    i += 1;
                    out.push(Tok {
                        t: T::Field(w),
                        start,
                        end: i,
                    });
                } else {
                    out.push(Tok {
                        t: T::Word(w),
                        start,
                        end: i,
                    });
                }
            }
            _ => return err(start, format!("unexpected character `{}`", c as char)),
        }
    }
    Ok(out)
}

/// The string starting at `start` (its `"`), with tree-sitter's escapes, and where it ends.
fn string(text: &str, start: usize) -> Result<(String, usize), PatternError> {
    let b = text.as_bytes();
    let mut i = start + 1;
    let mut s = Vec::new();
    loop {
        match b.get(i) {
            None => return err(start, "unterminated string"),
            Some(b'"') => break,
            Some(b'\\') => {
                s.push(match b.get(i + 1).copied() {
                    Some(b'n') => b'\n',
                    Some(b't') => b'\t',
                    Some(b'r') => b'\r',
                    Some(b'0') => 0,
                    Some(x) => x,
                    None => return err(start, "unterminated string"),
                });
                i += 2;
            }
            Some(&x) => {
                s.push(x);
                i += 1;
            }
        }
    }
    let s = String::from_utf8(s).map_err(|_| PatternError {
        offset: start,
        message: "string is not UTF-8".into(),
    })?;
    Ok((s, i + 1))
}
