//! The distribution name at the front of a PEP 508 requirement (`torch[cuda]>=2; sys_platform
//! == "linux"`), or of the URL forms pip accepts (`name @ https://...`, `git+https://...#egg=name`).
//! Only the name matters to stackfit: versions, extras and markers say nothing about the workload.

/// The distribution name a requirement string declares, if it names one.
pub fn name(spec: &str) -> Option<&str> {
    let s = spec.trim();
    if s.is_empty() || s.starts_with('#') {
        return None;
    }
    // A bare URL or path: only `#egg=name` names the distribution.
    let is_url = s
        .split_once("://")
        .is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphabetic() || c == '+'));
    if is_url || s.starts_with('.') || s.starts_with('/') {
        return egg(s);
    }
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map_or(s.len(), |(i, _)| i);
    let n = s[..end].trim_end_matches(['.', '-', '_']);
    if n.is_empty() || !n.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(n)
}

fn egg(s: &str) -> Option<&str> {
    let i = s.find("#egg=")?;
    let rest = &s[i + 5..];
    let end = rest.find(['&', ' ', '[']).unwrap_or(rest.len());
    let n = &rest[..end];
    (!n.is_empty()).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::name;

    #[test]
    fn names() {
        assert_eq!(name("torch>=2.0"), Some("torch"));
        assert_eq!(
            name("  scikit-learn[alldeps] ==1.4 ; python_version>'3.8'"),
            Some("scikit-learn")
        );
        assert_eq!(
            name("opencv_python_headless"),
            Some("opencv_python_headless")
        );
        assert_eq!(name("zope.interface>=5"), Some("zope.interface"));
        assert_eq!(
            name("mylib @ https://example.com/mylib-1.0.tar.gz"),
            Some("mylib")
        );
        assert_eq!(
            name("git+https://github.com/org/repo.git#egg=fastapi"),
            Some("fastapi")
        );
        assert_eq!(name("https://example.com/pkg.whl"), None);
        assert_eq!(name("./local/pkg"), None);
        assert_eq!(name("# comment"), None);
        assert_eq!(name(""), None);
    }
}
