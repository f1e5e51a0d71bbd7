//! `setup.cfg`: setuptools' declarative config, an INI file read by Python's configparser.
//! A small parser of that format (sections, `key = value` / `key: value`, indented continuation
//! lines, `#`/`;` comment lines) that keeps each value line's number, which no INI crate does.
//! Reads `[metadata] name`, `description`, `keywords` and `classifiers`, `[options]
//! install_requires` / `setup_requires` / `tests_require` and `[options.extras_require]`.
use super::metadata::split_keywords;
use super::{is_dev_name, pep508, Declared, Dep, DepKind, Ecosystem, Parsed};
use crate::rules::MetaField;

/// One `key = value` of a section: the value's lines (first line included if not empty).
#[derive(Debug, Default)]
pub struct Entry {
    pub section: String,
    pub key: String,
    pub lines: Vec<(String, u32)>,
}

pub fn parse_ini(text: &str) -> Result<Vec<Entry>, String> {
    let mut out: Vec<Entry> = Vec::new();
    let mut section = String::new();
    let mut in_value = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = line.len() != trimmed.len();
        if indented && in_value {
            if let Some(e) = out.last_mut() {
                e.lines.push((trimmed.to_string(), n));
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']') else {
                return Err(format!("line {n}: unterminated section header"));
            };
            section = name.trim().to_string();
            in_value = false;
            continue;
        }
        let Some(i) = trimmed.find(['=', ':']) else {
            return Err(format!("line {n}: expected `key = value`"));
        };
        if section.is_empty() {
            return Err(format!("line {n}: a key before any [section]"));
        }
        let key = trimmed[..i].trim().to_string();
        let value = trimmed[i + 1..].trim();
        let mut e = Entry {
            section: section.clone(),
            key,
            lines: Vec::new(),
        };
        if !value.is_empty() {
            e.lines.push((value.to_string(), n));
        }
        out.push(e);
        in_value = true;
    }
    Ok(out)
}

fn push_reqs(out: &mut Parsed, lines: &[(String, u32)], kind: DepKind) {
    for (l, n) in lines {
        // `file:` directives and `;`-separated one-liners.
        if l.starts_with("file:") {
            continue;
        }
        if let Some(name) = pep508::name(l) {
            out.deps.push(Dep {
                name: name.to_string(),
                line: *n,
                kind,
                eco: Ecosystem::PyPI,
                file: None,
            });
        }
    }
}

/// `[metadata]` description (its lines joined), keywords (comma-separated, on one line or
/// many) and classifiers (one a line). `file:` and `attr:` directives are not read.
fn push_declared(out: &mut Parsed, key: &str, lines: &[(String, u32)]) {
    let directive = |v: &str| v.starts_with("file:") || v.starts_with("attr:");
    match key {
        "description" => {
            let Some((first, n)) = lines.first() else {
                return;
            };
            if directive(first) {
                return;
            }
            let all: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
            out.declared
                .push(Declared::new(MetaField::Description, &all.join(" "), *n));
        }
        "keywords" | "classifiers" => {
            for (l, n) in lines.iter().filter(|(l, _)| !directive(l)) {
                if key == "classifiers" {
                    out.declared
                        .push(Declared::new(MetaField::Classifier, l, *n));
                    continue;
                }
                for k in split_keywords(l) {
                    out.declared.push(Declared::new(MetaField::Keyword, k, *n));
                }
            }
        }
        _ => {}
    }
}

pub fn parse_setup_cfg(text: &str, _rel: &str) -> Result<Parsed, String> {
    let entries = parse_ini(text).map_err(|e| format!("not a valid setup.cfg: {e}"))?;
    let mut out = Parsed::default();
    for e in &entries {
        match (e.section.as_str(), e.key.as_str()) {
            ("metadata", "name") => out.name = e.lines.first().map(|(v, _)| v.clone()),
            ("metadata", key) => push_declared(&mut out, key, &e.lines),
            ("options", "install_requires") => push_reqs(&mut out, &e.lines, DepKind::Runtime),
            ("options", "setup_requires" | "tests_require") => {
                push_reqs(&mut out, &e.lines, DepKind::Dev)
            }
            ("options.extras_require", extra) => {
                let kind = if is_dev_name(extra) {
                    DepKind::Dev
                } else {
                    DepKind::Optional
                };
                push_reqs(&mut out, &e.lines, kind)
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_cfg() {
        let text = "[metadata]\nname = vision-tools\n\n[options]\npackages = find:\ninstall_requires =\n    opencv-python>=4\n    # a comment\n    numpy\ntests_require = pytest\n\n[options.extras_require]\nfaces =\n    face_recognition\ndev =\n    black\n";
        let p = parse_setup_cfg(text, "setup.cfg").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("vision-tools"));
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("opencv-python", 7, DepKind::Runtime),
                ("numpy", 9, DepKind::Runtime),
                ("pytest", 10, DepKind::Dev),
                ("face_recognition", 14, DepKind::Optional),
                ("black", 16, DepKind::Dev),
            ]
        );
        assert!(parse_setup_cfg("[metadata\nname = x\n", "setup.cfg").is_err());
        assert!(parse_setup_cfg("name = x\n", "setup.cfg").is_err());
    }

    #[test]
    fn setup_cfg_metadata() {
        let text = "[metadata]\nname = speechkit\ndescription = Speech recognition\n  for Python\nkeywords = asr, speech-to-text\n    wake word\nclassifiers =\n    Topic :: Multimedia :: Sound/Audio :: Speech\n    file: more.txt\n\n[options]\nkeywords = ignored\n";
        let p = parse_setup_cfg(text, "setup.cfg").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("speechkit"));
        assert_eq!(
            p.declared_rows(),
            vec![
                (MetaField::Description, "Speech recognition for Python", 3),
                (MetaField::Keyword, "asr", 5),
                (MetaField::Keyword, "speech-to-text", 5),
                (MetaField::Keyword, "wake word", 6),
                (
                    MetaField::Classifier,
                    "Topic :: Multimedia :: Sound/Audio :: Speech",
                    8
                ),
            ]
        );
    }
}
