//! Pipenv's `Pipfile` (TOML): `[packages]` and `[dev-packages]`.
use super::pyproject::push_keys;
use super::{DepKind, Parsed};
use toml::de::DeTable;

pub fn parse(text: &str, _rel: &str) -> Result<Parsed, String> {
    let doc = DeTable::parse(text).map_err(|e| format!("not valid TOML: {e}"))?;
    let doc = doc.get_ref();
    let mut out = Parsed::default();
    for (section, kind) in [
        ("packages", DepKind::Runtime),
        ("dev-packages", DepKind::Dev),
    ] {
        if let Some(t) = doc.get(section).and_then(|v| v.get_ref().as_table()) {
            push_keys(&mut out, text, t, kind);
        }
    }
    out.deps.sort_by_key(|d| d.line);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipfile() {
        let text = "[[source]]\nurl = \"https://pypi.org/simple\"\n\n[packages]\nflask-socketio = \"*\"\neventlet = {version = \">=0.33\"}\n\n[dev-packages]\npytest = \"*\"\n";
        let p = parse(text, "Pipfile").unwrap_or_else(|e| panic!("{e}"));
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("flask-socketio", 5, DepKind::Runtime),
                ("eventlet", 6, DepKind::Runtime),
                ("pytest", 9, DepKind::Dev),
            ]
        );
        assert!(parse("[packages\n", "Pipfile").is_err());
    }
}
