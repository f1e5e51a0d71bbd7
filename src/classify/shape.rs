//! The repository's shape: how many files and lines each file class holds, and which classes
//! the shape makes product. A tutorial or examples collection, or a workflow of scripts, has
//! little code outside its examples or scripts; those are then what the repository does.
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
}

impl Shape {
    /// The class a file of path class `c` counts as.
    pub fn effective(&self, c: FileClass) -> FileClass {
        if self.promoted.contains(&c) {
            FileClass::Product
        } else {
            c
        }
    }
}

/// The shape of a repository with these totals (`[classes]` in model.toml): when product
/// lines are under `min_product_share` of product plus the `promote` classes, those are
/// promoted.
pub fn shape(rs: &Ruleset, stats: &ClassStats) -> Shape {
    let c = &rs.classes;
    let product = stats.lines[FileClass::Product.index()];
    let promotable: u64 = c.promote.iter().map(|k| stats.lines[k.index()]).sum();
    let total = product + promotable;
    if promotable == 0 || (product as f64) >= c.min_product_share * total as f64 {
        return Shape::default();
    }
    Shape {
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
        let sh = shape(&rs, &st);
        assert_eq!(sh.promoted, vec![FileClass::Example]);
        assert_eq!(sh.effective(FileClass::Example), FileClass::Product);
        assert_eq!(sh.effective(FileClass::Test), FileClass::Test);
        assert_eq!(st.product_lines(&sh), 940);

        // A library with a few examples keeps them apart.
        let mut lib = ClassStats::default();
        lib.add(FileClass::Product, 3000);
        lib.add(FileClass::Example, 900);
        assert_eq!(shape(&rs, &lib), Shape::default());
    }
}
