//! The repository's shape: how many files and lines each file class holds, and which classes
//! the shape makes product. A tutorial or examples collection, or a workflow of scripts, has
//! little code outside its examples or scripts; those are then what the repository does.
//! A project whose own name says what it is (`tfjs-examples`) gives its unclassed files that
//! class (`[[classes.named]]`): the name is the maintainers' own word for the code.
use crate::finding::FileClass;
use crate::rules::Ruleset;
use serde::Serialize;

/// Files and lines of code per file class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassStats {
    pub files: [u64; 7],
    pub lines: [u64; 7],
}

impl ClassStats {
    pub fn add(&mut self, class: FileClass, lines: u64) {
        self.files[class.index()] += 1;
        self.lines[class.index()] += lines;
    }

    /// Counts every file of class `from` as class `to` (a named project, see [`named_class`]).
    pub fn rename(&mut self, from: FileClass, to: FileClass) {
        if from == to {
            return;
        }
        let (f, t) = (from.index(), to.index());
        self.files[t] += std::mem::take(&mut self.files[f]);
        self.lines[t] += std::mem::take(&mut self.lines[f]);
    }

    pub fn merge(&mut self, other: &ClassStats) {
        for i in 0..7 {
            self.files[i] += other.files[i];
            self.lines[i] += other.lines[i];
        }
    }

    /// Lines of the classes `shape` counts as product.
    pub fn product_lines(&self, shape: &Shape) -> u64 {
        FileClass::ALL
            .iter()
            .filter(|c| shape.effective(**c) == FileClass::Product)
            .map(|c| self.lines[c.index()])
            .sum()
    }
}

/// Which classes count as product in this repository.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shape {
    /// Classes the shape made product (e.g. `example` in an examples collection).
    pub promoted: Vec<FileClass>,
    /// The class the project's own name gives files that no path glob classes
    /// (`tfjs-examples`: `example`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named: Option<FileClass>,
}

impl Shape {
    /// What a file of path class `c` is: its path class, or the named project's class for
    /// files no glob classes. Friction rules judge this class (`[lint] classes`).
    pub fn base(&self, c: FileClass) -> FileClass {
        match self.named {
            Some(n) if c == FileClass::Product => n,
            _ => c,
        }
    }

    /// The class a file of path class `c` counts as for the verdict.
    pub fn effective(&self, c: FileClass) -> FileClass {
        let c = self.base(c);
        if self.promoted.contains(&c) {
            FileClass::Product
        } else {
            c
        }
    }
}

/// The class a project's own names give its unclassed files: the first `[[classes.named]]`
/// entry one of whose words is a word of one of the names (split at anything not a letter or
/// digit, compared lower-case). `names` are the root manifest's project name and the root
/// directory's name.
pub fn named_class<'a>(
    rs: &Ruleset,
    names: impl IntoIterator<Item = &'a str>,
) -> Option<FileClass> {
    let words: Vec<String> = names
        .into_iter()
        .flat_map(|n| n.split(|ch: char| !ch.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    rs.classes
        .named
        .iter()
        .find(|n| n.words.iter().any(|w| words.contains(w)))
        .map(|n| n.class)
}

/// The shape of a repository with these totals (`[classes]` in model.toml), already renamed
/// by `named` (see [`ClassStats::rename`]): when product lines are under `min_product_share`
/// of product plus the `promote` classes, those are promoted.
pub fn shape(rs: &Ruleset, stats: &ClassStats, named: Option<FileClass>) -> Shape {
    let c = &rs.classes;
    let product = stats.lines[FileClass::Product.index()];
    let promotable: u64 = c.promote.iter().map(|k| stats.lines[k.index()]).sum();
    let total = product + promotable;
    if promotable == 0 || (product as f64) >= c.min_product_share * total as f64 {
        return Shape {
            promoted: Vec::new(),
            named,
        };
    }
    Shape {
        named,
        promoted: c
            .promote
            .iter()
            .copied()
            .filter(|k| stats.lines[k.index()] > 0)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_collections_make_examples_product() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut st = ClassStats::default();
        st.add(FileClass::Product, 40);
        st.add(FileClass::Example, 900);
        st.add(FileClass::Test, 5000);
        let sh = shape(&rs, &st, None);
        assert_eq!(sh.promoted, vec![FileClass::Example]);
        assert_eq!(sh.effective(FileClass::Example), FileClass::Product);
        assert_eq!(sh.effective(FileClass::Test), FileClass::Test);
        assert_eq!(st.product_lines(&sh), 940);

        // A library with a few examples keeps them apart.
        let mut lib = ClassStats::default();
        lib.add(FileClass::Product, 3000);
        lib.add(FileClass::Example, 900);
        assert_eq!(shape(&rs, &lib, None), Shape::default());
    }

    #[test]
    fn a_project_named_for_examples_is_examples() {
        let rs = Ruleset::embedded().unwrap_or_else(|e| panic!("{e}"));
        for name in ["tfjs-examples", "pytorch_examples", "Demos", "ml-tutorials"] {
            assert_eq!(named_class(&rs, [name]), Some(FileClass::Example), "{name}");
        }
        for name in ["example-app", "examplesx", "sampler", "express", ""] {
            assert_eq!(named_class(&rs, [name]), None, "{name}");
        }
        let mut st = ClassStats::default();
        st.add(FileClass::Product, 900);
        st.add(FileClass::Test, 50);
        st.rename(FileClass::Product, FileClass::Example);
        assert_eq!(
            (
                st.lines[FileClass::Example.index()],
                st.lines[FileClass::Product.index()]
            ),
            (900, 0)
        );
        let sh = shape(&rs, &st, Some(FileClass::Example));
        assert_eq!(sh.base(FileClass::Product), FileClass::Example);
        assert_eq!(sh.base(FileClass::Test), FileClass::Test);
        assert_eq!(sh.effective(FileClass::Product), FileClass::Product);
        assert_eq!(st.product_lines(&sh), 900);
    }
}
