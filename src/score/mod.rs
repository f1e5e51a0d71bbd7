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

pub use traits::{
    evidence_class, finding_evidence, trait_scores, EvidenceRef, Prevalence, TraitScore,
};
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
    use crate::finding::{FileClass, Finding};
    use crate::rules::Ruleset;
    use std::collections::HashMap;
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
            class: FileClass::Product,
            key: 0,
            fingerprint: 0,
            suppressed: false,
        }
    }

    /// Every file of the findings has `loc` lines; the product has `product` lines.
    fn judge(rs: &Ruleset, fs: &[Finding], loc: u32, product: u64) -> (Vec<TraitScore>, Verdict) {
        let file_loc: HashMap<Arc<str>, u32> = fs.iter().map(|f| (f.path.clone(), loc)).collect();
        let prev = Prevalence {
            product_loc: product,
            file_loc: &file_loc,
        };
        let ts = trait_scores(rs, fs.iter(), &prev);
        let v = verdict(rs, &ts, &LocByLang::from([("python", product)]));
        (ts, v)
    }

    fn rs() -> Ruleset {
        Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn repetition_has_diminishing_returns() {
        let rs = rs();
        // One library imported in 500 files vs two distinct traits in two files each.
        let mut fs: Vec<Finding> = (0..500)
            .map(|i| finding(&rs, "SF360", &format!("f{i}.py"), 1))
            .collect();
        fs.push(finding(&rs, "SF120", "a.py", 1));
        fs.push(finding(&rs, "SF120", "b.py", 1));
        fs.push(finding(&rs, "SF113", "b.py", 1));
        let (ts, v) = judge(&rs, &fs, 10, 5020);
        let p6 = ts.iter().find(|t| t.id == "P6").map_or(0.0, |t| t.score);
        assert!(p6 <= 1.0 && p6 > 0.99, "{p6}");
        // P6's trait weight caps what 500 files can add to the python score.
        assert!(v.python_score <= 0.7 + 1e-9, "{}", v.python_score);
    }

    #[test]
    fn generic_evidence_alone_is_neutral() {
        let rs = rs();
        // async/await, EventEmitter and an HTTP framework in every file: no domain trait.
        let fs: Vec<Finding> = (0..20)
            .flat_map(|i| {
                let p = format!("lib/f{i}.js");
                [
                    finding(&rs, "SF111", &p, 30),
                    finding(&rs, "SF112", &p, 3),
                    finding(&rs, "SF170", &p, 1),
                ]
            })
            .collect();
        let (ts, v) = judge(&rs, &fs, 100, 2000);
        assert_eq!(v.profile, "neutral", "{v:?}");
        assert!(v.opened_by.is_empty());
        assert!(
            v.node_score > 0.5,
            "the generic evidence still shows: {v:?}"
        );
        assert!(v.reason.contains("generic evidence"), "{}", v.reason);
        let n1 = ts.iter().find(|t| t.id == "N1").map(|t| t.generic_score);
        assert!(n1.is_some_and(|s| s > 0.9), "{n1:?}");
    }

    #[test]
    fn prevalence_decides_between_presence_and_workload() {
        let rs = rs();
        // Sockets in 3 of 10 files open node; the same 3 files in a product 50 times larger
        // do not.
        let fs: Vec<Finding> = (0..3)
            .flat_map(|i| {
                let p = format!("server/s{i}.py");
                [finding(&rs, "SF120", &p, 1), finding(&rs, "SF122", &p, 2)]
            })
            .collect();
        let (_, v) = judge(&rs, &fs, 100, 1000);
        assert_eq!(v.profile, "node", "{v:?}");
        assert_eq!(v.opened_by, vec!["N2".to_string()]);
        assert!(v.mismatch);
        assert!(v.summary.contains("real-time sockets"), "{}", v.summary);
        let (ts, v) = judge(&rs, &fs, 100, 50_000);
        assert_eq!(v.profile, "neutral", "{v:?}");
        assert!(
            v.reason.contains("Too little of the product"),
            "{}",
            v.reason
        );
        let n2 = ts
            .iter()
            .find(|t| t.id == "N2")
            .map_or(1.0, |t| t.domain_score);
        assert!(n2 < rs.scoring.open, "{n2}");
    }

    #[test]
    fn both_profiles_with_real_shares_are_mixed() {
        let rs = rs();
        let mut fs: Vec<Finding> = Vec::new();
        for i in 0..4 {
            let p = format!("server/s{i}.py");
            fs.push(finding(&rs, "SF120", &p, 3));
            fs.push(finding(&rs, "SF122", &p, 4));
            let m = format!("model/m{i}.py");
            fs.push(finding(&rs, "SF320", &m, 2));
            fs.push(finding(&rs, "SF321", &m, 3));
        }
        let (_, v) = judge(&rs, &fs, 100, 1000);
        assert_eq!(v.profile, "mixed", "{v:?}");
        assert!(v.opened_by.contains(&"N2".to_string()));
        assert!(v.opened_by.contains(&"P2".to_string()));
        assert!(!v.mismatch);
    }

    #[test]
    fn only_product_code_is_scored() {
        let rs = rs();
        let mut fs: Vec<Finding> = (0..5)
            .map(|i| finding(&rs, "SF320", &format!("examples/e{i}.py"), 3))
            .collect();
        for f in &mut fs {
            f.class = FileClass::Example;
        }
        let (ts, v) = judge(&rs, &fs, 100, 1000);
        assert_eq!(v.profile, "neutral");
        let p2 = ts.iter().find(|t| t.id == "P2");
        assert!(
            p2.is_some_and(|t| t.score == 0.0 && t.outside_product == 5),
            "{p2:?}"
        );
        assert!(v.reason.contains("Only in tests, examples"), "{}", v.reason);
    }

    #[test]
    fn a_front_end_drawing_plots_supports_python() {
        let rs = rs();
        // The React components also import a charting library: SPA evidence there is generic.
        let mut fs = Vec::new();
        for i in 0..3 {
            let p = format!("web/Chart{i}.tsx");
            fs.push(finding(&rs, "SF160", &p, 1));
            fs.push(finding(&rs, "SF162", &p, 1));
            fs.push(finding(&rs, "SF330", &p, 1));
        }
        let (ts, _) = judge(&rs, &fs, 100, 1000);
        let n6 = ts
            .iter()
            .find(|t| t.id == "N6")
            .map(|t| (t.domain_score, t.generic_score));
        assert!(n6.is_some_and(|(d, g)| d == 0.0 && g > 0.0), "{n6:?}");
    }

    #[test]
    fn no_code_is_nothing_to_judge() {
        let rs = rs();
        let none: Vec<Finding> = Vec::new();
        let ts = trait_scores(
            &rs,
            none.iter(),
            &Prevalence {
                product_loc: 0,
                file_loc: &HashMap::new(),
            },
        );
        let v = verdict(&rs, &ts, &LocByLang::new());
        assert_eq!((v.profile, v.confidence), ("none", 0.0));
        assert!(v.summary.starts_with("Nothing to judge"), "{}", v.summary);
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
