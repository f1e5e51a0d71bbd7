//! From findings to a verdict. Evidence is summed per trait with diminishing returns (log within
//! a file, saturation across the repo), traits are weighted into one score per profile, and the
//! two scores decide `node`, `python`, `mixed` or `neutral`. Every constant comes from
//! `queries/model.toml`; this stage holds only the arithmetic: `traits` sums the evidence,
//! `verdict` weighs the traits, `components` does both per component.
pub mod components;
mod explain;
pub mod own;
mod traits;
mod verdict;

pub use traits::{evidence_class, finding_evidence, trait_scores, EvidenceRef, Prevalence, TraitScore};
pub use verdict::{implementation_language, verdict, Verdict};

use std::collections::BTreeMap;

/// Lines of code per language family ("python", "javascript", "typescript").
pub type LocByLang = BTreeMap<&'static str, u64>;

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::rules::Ruleset;
    use std::sync::Arc;

    fn finding(rs: &Ruleset, code: &str, path: &str, count: u32) -> Finding {
        let rule = rs
            .rule_index(code)
            .unwrap_or_else(|| panic!("no rule {code}"));
        Finding {
            rule,
            path: Arc::from(path),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            message: String::new(),
            evidence: rs.rules[rule].weight,
            count,
            library: None,
            cell: None,
            class: crate::finding::FileClass::Product,
            suppressed: false,
        }
    }

    #[test]
    fn repetition_has_diminishing_returns() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        // One library imported in 500 files vs two distinct traits in two files each.
        let mut fs: Vec<Finding> = (0..500)
            .map(|i| finding(&rs, "SF360", &format!("f{i}.py"), 1))
            .collect();
        fs.push(finding(&rs, "SF120", "a.py", 1));
        fs.push(finding(&rs, "SF120", "b.py", 1));
        fs.push(finding(&rs, "SF113", "b.py", 1));
        let ts = trait_scores(&rs, fs.iter());
        let p6 = ts.iter().find(|t| t.id == "P6").map_or(0.0, |t| t.score);
        let n2 = ts.iter().find(|t| t.id == "N2").map_or(0.0, |t| t.score);
        assert!(p6 <= 1.0 && p6 > 0.99);
        assert!(n2 > 0.7, "{n2}");
        // P6's trait weight caps what 500 files can add to the python score.
        let v = verdict(&rs, &ts, &LocByLang::from([("python", 1000)]));
        assert!(v.python_score <= 0.7 + 1e-9, "{}", v.python_score);
    }

    #[test]
    fn verdicts() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let py = LocByLang::from([("python", 100)]);
        let none: Vec<Finding> = Vec::new();
        let v = verdict(&rs, &trait_scores(&rs, none.iter()), &py);
        assert_eq!((v.profile, v.confidence), ("neutral", 1.0));

        let node = [
            finding(&rs, "SF120", "a.py", 3),
            finding(&rs, "SF122", "a.py", 4),
            finding(&rs, "SF113", "a.py", 1),
            finding(&rs, "SF111", "a.py", 20),
        ];
        let v = verdict(&rs, &trait_scores(&rs, node.iter()), &py);
        assert_eq!(v.profile, "node");
        assert!(v.mismatch);
        assert!(v.summary.contains("real-time sockets"), "{}", v.summary);
        assert!(v.summary.contains("the code is Python"), "{}", v.summary);

        let mut both = node.to_vec();
        both.extend([
            finding(&rs, "SF320", "m.py", 2),
            finding(&rs, "SF321", "m.py", 3),
            finding(&rs, "SF310", "m.py", 1),
            finding(&rs, "SF360", "m.py", 1),
        ]);
        let v = verdict(&rs, &trait_scores(&rs, both.iter()), &py);
        assert_eq!(v.profile, "mixed", "{v:?}");
        assert!(!v.mismatch);
    }

    #[test]
    fn language_by_loc() {
        assert_eq!(
            implementation_language(&LocByLang::from([("python", 10), ("typescript", 30)])),
            Some("typescript")
        );
        assert_eq!(implementation_language(&LocByLang::new()), None);
    }
}
