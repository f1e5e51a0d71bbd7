// Embeds every file under `queries/` into the binary, so an installed `stackfit` carries its
// rules with it. Rules stay data: adding one means adding files under `queries/`, never Rust.
use std::{env, fs, path::Path};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(&p, root, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("toml" | "scm")) {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p.to_string_lossy().into_owned()));
        }
    }
}

/// Compiles `src/syntax/walk.c` against tree-sitter's own headers: its public `include/`, which
/// the `tree-sitter` crate exports (`links = "tree-sitter"`), and its internal `src/` beside it.
fn walker() {
    println!("cargo:rerun-if-changed=src/syntax/walk.c");
    let include = env::var("DEP_TREE_SITTER_INCLUDE")
        .unwrap_or_else(|_| panic!("the tree-sitter crate did not export its include path"));
    let internal = Path::new(&include).join("../src");
    cc::Build::new()
        .file("src/syntax/walk.c")
        .include(&include)
        .include(&internal)
        // Optimised in dev builds too: the tests walk real trees with it.
        .opt_level(2)
        .warnings(true)
        .flag_if_supported("-Wno-unused-parameter")
        .compile("stackfit_walk");
}

fn main() {
    walker();
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest).join("queries");
    println!("cargo:rerun-if-changed=queries");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut src = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for (rel, abs) in &files {
        src.push_str(&format!("    ({rel:?}, include_str!({abs:?})),\n"));
    }
    src.push_str("];\n");
    let out =
        Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("embedded_queries.rs");
    fs::write(out, src).unwrap_or_else(|e| panic!("cannot write embedded_queries.rs: {e}"));
}
