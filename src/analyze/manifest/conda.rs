//! Conda `environment.yml` (`dependencies:` conda specs, and a nested `- pip:` list of pip
//! requirements), plus the small YAML tree loader `pnpm-workspace.yaml` also uses.
//!
//! Why a YAML crate: these files are small, but YAML has quoting, flow lists (`[a, b]`),
//! comments, anchors and multi-documents; yaml-rust2 handles them all and its event parser
//! marks every scalar with its line, which the findings need. It is pure Rust, with two small
//! dependencies, and is built without its optional encoding support.
use super::{pep508, Dep, DepKind, Ecosystem, Parsed};
use yaml_rust2::parser::{Event, Parser};

/// A YAML node with the 1-based line of each scalar.
#[derive(Debug, Clone)]
pub enum Node {
    Scalar(String, u32),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
    /// Aliases and anything else stackfit does not need.
    Other,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Loads the first document of `text` as a tree. Deeply nested or huge documents are cut
/// short rather than followed (manifests are small).
pub fn load_yaml(text: &str) -> Result<Node, String> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<(Node, Option<String>)> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut root: Option<Node> = None;
    let mut events = 0usize;
    loop {
        let (ev, mark) = parser
            .next_token()
            .map_err(|e| format!("not valid YAML: {e}"))?;
        events += 1;
        if events > 200_000 || stack.len() > 64 {
            return Err("YAML document too large or too deeply nested".into());
        }
        let node = match ev {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
            Event::SequenceStart(..) => {
                stack.push((Node::Seq(Vec::new()), pending_key.take()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push((Node::Map(Vec::new()), pending_key.take()));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((node, key)) = stack.pop() else {
                    return Err("unbalanced YAML".into());
                };
                pending_key = key;
                node
            }
            Event::Scalar(s, ..) => {
                // A scalar in key position of a mapping is a key.
                if let Some((Node::Map(_), _)) = stack.last() {
                    if pending_key.is_none() {
                        pending_key = Some(s);
                        continue;
                    }
                }
                Node::Scalar(s, mark.line() as u32)
            }
            Event::Alias(_) => Node::Other,
        };
        match stack.last_mut() {
            None => {
                root = Some(node);
                break;
            }
            Some((Node::Seq(items), _)) => items.push(node),
            Some((Node::Map(entries), _)) => {
                if let Some(k) = pending_key.take() {
                    entries.push((k, node));
                } else {
                    // A complex (non-scalar) key: not something manifests use.
                    pending_key = Some(String::new());
                }
            }
            Some(_) => {}
        }
    }
    Ok(root.unwrap_or(Node::Other))
}

/// A conda spec's package name: `conda-forge::pytorch>=2.1=py3*` -> `pytorch`.
fn conda_name(spec: &str) -> Option<&str> {
    let s = spec.trim();
    let s = s.rsplit_once("::").map_or(s, |(_, n)| n);
    let end = s
        .find(['=', '<', '>', '!', ' ', '[', '~'])
        .unwrap_or(s.len());
    let n = s[..end].trim();
    (!n.is_empty()).then_some(n)
}

pub fn parse(text: &str, _rel: &str) -> Result<Parsed, String> {
    let doc = load_yaml(text)?;
    if !matches!(doc, Node::Map(_)) {
        return Err("a conda environment file must be a mapping".into());
    }
    let mut out = Parsed {
        name: match doc.get("name") {
            Some(Node::Scalar(s, _)) => Some(s.clone()),
            _ => None,
        },
        ..Parsed::default()
    };
    let Some(Node::Seq(items)) = doc.get("dependencies") else {
        return Ok(out);
    };
    for it in items {
        match it {
            Node::Scalar(spec, line) => {
                let Some(n) = conda_name(spec) else { continue };
                if n == "python" || n == "pip" {
                    continue;
                }
                out.deps.push(Dep {
                    name: n.to_string(),
                    line: *line,
                    kind: DepKind::Runtime,
                    eco: Ecosystem::PyPI,
                    file: None,
                });
            }
            Node::Map(_) => {
                if let Some(Node::Seq(pips)) = it.get("pip") {
                    for p in pips {
                        if let Node::Scalar(spec, line) = p {
                            if let Some(n) = pep508::name(spec) {
                                out.deps.push(Dep {
                                    name: n.to_string(),
                                    line: *line,
                                    kind: DepKind::Runtime,
                                    eco: Ecosystem::PyPI,
                                    file: None,
                                });
                            }
                        }
                    }
                }
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
    fn environment() {
        let text = "name: vision\nchannels:\n  - pytorch\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pytorch::pytorch>=2.1\n  - \"opencv\"  # quoted\n  - pip\n  - pip:\n      - ultralytics==8.1\n      - -r requirements.txt\n";
        let p = parse(text, "environment.yml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name.as_deref(), Some("vision"));
        let got: Vec<_> = p.deps.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(
            got,
            vec![("pytorch", 7), ("opencv", 8), ("ultralytics", 11)]
        );
        assert!(parse("dependencies: [numpy, {pip: [torch]}]\n", "e.yml")
            .map(|p| p.deps.len() == 2)
            .unwrap_or(false));
        assert!(parse("a: [1, 2\n", "e.yml").is_err());
        assert!(parse("- just\n- a list\n", "e.yml").is_err());
    }
}
