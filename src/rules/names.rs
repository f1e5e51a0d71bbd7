//! Package-name normalisation shared by the library table and the manifest readers: PEP 503
//! for PyPI names, and the package an npm import specifier names.

/// Normalises a PyPI name as PEP 503 does: lowercase, runs of `-_.` become `-`.
pub fn normalize_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The package an npm import specifier names: `@scope/pkg/sub` -> `@scope/pkg`,
/// `node:events` -> `events`. Relative and absolute paths and URLs name none.
pub fn npm_package_of(spec: &str) -> Option<&str> {
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    if spec.is_empty() || spec.starts_with('.') || spec.starts_with('/') || spec.contains("://") {
        return None;
    }
    let mut parts = spec.splitn(3, '/');
    let first = parts.next()?;
    if first.starts_with('@') {
        let second = parts.next()?;
        Some(&spec[..first.len() + 1 + second.len()])
    } else {
        Some(first)
    }
}
