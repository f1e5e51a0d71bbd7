//! Stable identities for findings and diagnostics: what lets GitHub code scanning, a baseline
//! or a dashboard recognise the same problem after unrelated lines moved. A fingerprint hashes
//! the rule, the path and the match's key (its normalised text and the head of the function
//! around it, `finding::match_key`), never the line; equal keys in one file are told apart by
//! their order.
use crate::finding::{fnv1a, Finding};
use std::collections::HashMap;

/// Sets every finding's fingerprint. `code_of` names a finding's rule.
pub fn assign<'r>(findings: &mut [Finding], code_of: impl Fn(usize) -> &'r str) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&findings[a], &findings[b]);
        (&x.path, x.line, x.column).cmp(&(&y.path, y.line, y.column))
    });
    let mut seen: HashMap<u64, u64> = HashMap::new();
    for i in order {
        let f = &findings[i];
        let base = fnv1a(&[
            code_of(f.rule).as_bytes(),
            f.path.as_bytes(),
            &f.key.to_le_bytes(),
        ]);
        let n = seen.entry(base).or_insert(0);
        let fp = if *n == 0 {
            base
        } else {
            fnv1a(&[&base.to_le_bytes(), &n.to_le_bytes()])
        };
        *n += 1;
        findings[i].fingerprint = fp;
    }
}

/// The fingerprint of a repository-level diagnostic (SF001): its rule, file and verdict.
pub fn of_repo(code: &str, path: &str, profile: &str) -> u64 {
    fnv1a(&[code.as_bytes(), path.as_bytes(), profile.as_bytes()])
}

/// As written in reports: 16 hex digits.
pub fn hex(fp: u64) -> String {
    format!("{fp:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::FileClass;
    use std::sync::Arc;

    fn f(path: &str, line: u32, key: u64) -> Finding {
        Finding {
            rule: 0,
            path: Arc::from(path),
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            message: String::new(),
            evidence: 1.0,
            count: 1,
            library: None,
            cell: None,
            class: FileClass::Product,
            key,
            fingerprint: 0,
            suppressed: false,
        }
    }

    #[test]
    fn lines_do_not_matter_and_twins_differ() {
        let mut a = vec![f("a.py", 3, 7), f("a.py", 9, 7), f("b.py", 3, 7)];
        assign(&mut a, |_| "SF220");
        let mut moved = vec![f("a.py", 13, 7), f("a.py", 19, 7), f("b.py", 3, 7)];
        assign(&mut moved, |_| "SF220");
        assert_eq!(
            a.iter().map(|x| x.fingerprint).collect::<Vec<_>>(),
            moved.iter().map(|x| x.fingerprint).collect::<Vec<_>>()
        );
        assert_ne!(a[0].fingerprint, a[1].fingerprint);
        assert_ne!(a[0].fingerprint, a[2].fingerprint);
        assert_eq!(hex(0xab), "00000000000000ab");
    }
}
