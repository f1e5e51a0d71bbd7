//! Where in a config file an error is: the line, column and key of a byte offset, so every
//! message names the place to fix (`stackfit.toml:3:3: `ignore`: ...`), for toml's own errors
//! and for the values the config checks itself.
use toml::Spanned;

pub(super) trait SpanLike {
    fn start(&self) -> usize;
}

impl<T> SpanLike for Spanned<T> {
    fn start(&self) -> usize {
        self.span().start
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The key a byte offset belongs to: the `key =` on its line or, inside a multi-line array or
/// table, the nearest one above it; a `[table]` header names itself.
fn key_at(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let before = text.get(..at)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[line_start..line_end];
    let head = line.trim_start();
    if head.starts_with('[') {
        let inner = head.trim_start_matches('[').split(']').next()?;
        return Some(inner.trim().to_string());
    }
    let key_of = |s: &str| -> Option<String> {
        let lhs = s.rsplit_once('=')?.0;
        let k = lhs
            .rsplit(['{', ','])
            .next()?
            .trim()
            .trim_matches('"')
            .trim_matches('\'');
        (!k.is_empty() && !k.contains(' ')).then(|| k.to_string())
    };
    // on this line, before the offset (or the whole line for an unknown key)
    let upto = &text[line_start..at.max(line_start)];
    if let Some(k) = key_of(upto).or_else(|| {
        key_of(
            line.split('=')
                .next()
                .map(|k| format!("{k}="))
                .as_deref()
                .unwrap_or(""),
        )
    }) {
        return Some(k);
    }
    // a continuation line of a multi-line value
    for l in before[..line_start].lines().rev() {
        let t = l.trim_start();
        if t.starts_with('[') {
            break;
        }
        if let Some(k) = key_of(t) {
            return Some(k);
        }
    }
    None
}

pub(super) fn toml_error(name: &str, text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            match key_at(text, span.start) {
                Some(k) if !msg.contains(&format!("`{k}`")) => {
                    format!("{name}:{line}:{col}: `{k}`: {msg}")
                }
                _ => format!("{name}:{line}:{col}: {msg}"),
            }
        }
        None => format!("{name}: {msg}"),
    }
}
