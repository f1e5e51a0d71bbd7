//! `package.json` (dependencies, devDependencies, peerDependencies, optionalDependencies,
//! workspaces, and the package's own description and keywords) and `pnpm-workspace.yaml`
//! (workspace globs). serde_json's `RawValue` borrows each value from the text, so its offset
//! gives the line of each dependency and keyword exactly.
use super::metadata::split_keywords;
use super::{line_of, Declared, Dep, DepKind, Ecosystem, Parsed, Problem};
use crate::rules::MetaField;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageJson<'a> {
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(borrow, default)]
    dependencies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    dev_dependencies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    peer_dependencies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    optional_dependencies: Option<&'a RawValue>,
    #[serde(default)]
    workspaces: Option<serde_json::Value>,
    #[serde(borrow, default)]
    description: Option<&'a RawValue>,
    #[serde(borrow, default)]
    keywords: Option<&'a RawValue>,
}

fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

pub fn parse(text: &str, rel: &str) -> Result<Parsed, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('{') {
        return Err("not a valid package.json: not a JSON object".into());
    }
    let pkg: PackageJson =
        serde_json::from_str(text).map_err(|e| format!("not a valid package.json: {e}"))?;
    let mut out = Parsed {
        name: pkg
            .name
            .as_ref()
            .and_then(|v| v.as_str())
            .map(str::to_string),
        ..Parsed::default()
    };
    let sections = [
        ("dependencies", pkg.dependencies, DepKind::Runtime),
        ("peerDependencies", pkg.peer_dependencies, DepKind::Peer),
        (
            "optionalDependencies",
            pkg.optional_dependencies,
            DepKind::Optional,
        ),
        ("devDependencies", pkg.dev_dependencies, DepKind::Dev),
    ];
    for (section, raw, kind) in sections {
        let Some(raw) = raw else { continue };
        let map: BTreeMap<String, &RawValue> = match serde_json::from_str(raw.get()) {
            Ok(m) => m,
            Err(_) => {
                out.problems.push(Problem {
                    path: rel.to_string(),
                    line: line_of(text, offset_in(text, raw.get())),
                    message: format!("`{section}` is not an object of name: version; ignored"),
                });
                continue;
            }
        };
        for (name, v) in map {
            out.deps.push(Dep {
                name,
                line: line_of(text, offset_in(text, v.get())),
                kind,
                eco: Ecosystem::Npm,
                file: None,
            });
        }
    }
    // A package both in dependencies and devDependencies counts once, as the stronger.
    out.deps.sort_by_key(|d| (d.name.clone(), d.kind as u8));
    out.deps.dedup_by(|b, a| a.name == b.name);
    out.deps.sort_by_key(|d| d.line);
    match &pkg.workspaces {
        Some(serde_json::Value::Array(a)) => {
            out.workspaces = a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        }
        Some(serde_json::Value::Object(o)) => {
            if let Some(serde_json::Value::Array(a)) = o.get("packages") {
                out.workspaces = a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }
        }
        _ => {}
    }
    declared(&mut out, text, pkg.description, pkg.keywords);
    Ok(out)
}

/// The package's description and keywords (an array, or a comma-separated string), each with
/// its line. Values of another type are not metadata anyone reads; they are skipped.
fn declared(out: &mut Parsed, text: &str, desc: Option<&RawValue>, kw: Option<&RawValue>) {
    let line = |raw: &RawValue| line_of(text, offset_in(text, raw.get()));
    if let Some(raw) = desc {
        if let Ok(s) = serde_json::from_str::<String>(raw.get()) {
            out.declared
                .push(Declared::new(MetaField::Description, &s, line(raw)));
        }
    }
    let Some(raw) = kw else { return };
    if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
        for item in items {
            if let Ok(s) = serde_json::from_str::<String>(item.get()) {
                out.declared
                    .push(Declared::new(MetaField::Keyword, &s, line(item)));
            }
        }
    } else if let Ok(s) = serde_json::from_str::<String>(raw.get()) {
        for k in split_keywords(&s) {
            out.declared
                .push(Declared::new(MetaField::Keyword, k, line(raw)));
        }
    }
}

/// `pnpm-workspace.yaml`: `packages:` is a list of workspace globs.
pub fn parse_pnpm_workspace(text: &str, _rel: &str) -> Result<Parsed, String> {
    let doc = super::conda::load_yaml(text)?;
    let mut out = Parsed::default();
    if let Some(super::conda::Node::Seq(items)) = doc.get("packages") {
        for it in items {
            if let super::conda::Node::Scalar(s, _) = it {
                out.workspaces.push(s.clone());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_json() {
        let text = r#"{
  "name": "web",
  "workspaces": ["packages/*"],
  "dependencies": {
    "react": "^18.2.0",
    "socket.io-client": "^4.7.0"
  },
  "devDependencies": {"jest": "^29", "react": "^18"},
  "peerDependencies": {"@tensorflow/tfjs-core": "4.x"}
}"#;
        let p = parse(text, "package.json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("web"));
        assert_eq!(p.workspaces, vec!["packages/*"]);
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("react", 5, DepKind::Runtime),
                ("socket.io-client", 6, DepKind::Runtime),
                ("jest", 8, DepKind::Dev),
                ("@tensorflow/tfjs-core", 9, DepKind::Peer),
            ]
        );
        assert!(parse("{ bad", "package.json").is_err());
        assert!(parse("[1, 2]", "package.json").is_err());
        let p =
            parse(r#"{"dependencies": ["ws"]}"#, "package.json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.problems.len(), 1);
        let p = parse(
            r#"{"workspaces": {"packages": ["apps/*"]}}"#,
            "package.json",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.workspaces, vec!["apps/*"]);
    }

    #[test]
    fn description_and_keywords() {
        let text = r#"{
  "name": "relay",
  "description": "A \"WebSocket\" relay",
  "keywords": [
    "realtime", 7,
    "chat"
  ],
  "dependencies": {"chat": "1"}
}"#;
        let p = parse(text, "package.json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            p.declared_rows(),
            vec![
                (MetaField::Description, "A \"WebSocket\" relay", 3),
                (MetaField::Keyword, "realtime", 5),
                (MetaField::Keyword, "chat", 6),
            ]
        );
        let p = parse(r#"{"keywords": "modules, stdlib"}"#, "package.json")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.declared.len(), 2);
        let p = parse(
            r#"{"description": ["x"], "keywords": {"a": 1}}"#,
            "package.json",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(p.declared.is_empty());
    }
}
