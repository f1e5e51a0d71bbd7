//! Import forms that say less about what the code does count for less: TypeScript
//! `import type` and `import { type X }`, Python `if TYPE_CHECKING:` imports, optional imports
//! (try/except ImportError) and dynamic `import()`. `.d.ts` files are skipped altogether.
//! `fixtures/import-forms` puts each form in its own file with a library of a different trait,
//! so each trait's evidence is exactly one import's: rule weight x the form's factor from
//! `queries/model.toml`.
mod common;

use common::*;

fn scoring_factor(name: &str) -> f64 {
    let text = read(&repo().join("queries/model.toml"));
    let model: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("model.toml: {e}"));
    model["scoring"][name]
        .as_float()
        .unwrap_or_else(|| panic!("scoring.{name} missing"))
}

fn rule_weight(code: &str) -> f64 {
    rules_json()
        .as_array()
        .and_then(|a| a.iter().find(|r| r["code"] == code))
        .and_then(|r| r["weight"].as_f64())
        .unwrap_or_else(|| panic!("no weight for {code}"))
}

#[track_caller]
fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 0.001,
        "{what}: evidence {actual}, expected {expected}"
    );
}

#[test]
fn weaker_import_forms_count_for_less() {
    let r = scan_fixture("import-forms");
    assert_lines(
        &findings(&r),
        &expect(&[
            "SF360 hints.py:5:12",
            "SF130 inline_type.ts:2:45",
            "SF150 lazy.js:3:18",
            "SF330 optional.py:3:12",
            "SF320 type_only.ts:2:35",
            "SF120 value.ts:2:25",
        ]),
        "import-forms",
    );
    let type_only = scoring_factor("type_only_factor");
    let optional = scoring_factor("optional_factor");
    assert!(type_only < 1.0 && optional < 1.0);

    // `import { Server } from "socket.io"`: full weight.
    assert_close(
        trait_evidence(&r, "N2"),
        rule_weight("SF120"),
        "value import",
    );
    // `import type { LayersModel } from "@tensorflow/tfjs"`
    assert_close(
        trait_evidence(&r, "P2"),
        rule_weight("SF320") * type_only,
        "TypeScript import type",
    );
    // `import { type Doc, type Map as YMap } from "yjs"`
    assert_close(
        trait_evidence(&r, "N3"),
        rule_weight("SF130") * type_only,
        "inline type-only names",
    );
    // `if TYPE_CHECKING: import pandas as pd`
    assert_close(
        trait_evidence(&r, "P6"),
        rule_weight("SF360") * type_only,
        "TYPE_CHECKING import",
    );
    // `try: import matplotlib.pyplot ... except ImportError`
    assert_close(
        trait_evidence(&r, "P3"),
        rule_weight("SF330") * optional,
        "optional import",
    );
    // `import('kafkajs')`
    assert_close(
        trait_evidence(&r, "N5"),
        rule_weight("SF150") * optional,
        "dynamic import()",
    );
    assert!(trait_score(&r, "P2") < trait_score(&r, "N2"));
}

#[test]
fn declaration_files_are_skipped() {
    let r = scan_fixture("import-forms");
    assert_eq!(skipped(&r), ["types.d.ts: declaration_file"]);
    assert_eq!(r["stats"]["skipped_by_reason"]["declaration_file"], 1);
    // types.d.ts imports mqtt twice; none of it counts.
    assert_eq!(trait_score(&r, "N4"), 0.0);
    assert!(findings_under(&r, "types.d.ts").is_empty());
}

/// The strongest form of an import in a file decides its weight: a value import next to a
/// type-only import of the same library counts in full.
#[test]
fn strongest_form_of_a_folded_import_wins() {
    let dir = tempdir();
    write(
        &dir.path().join("both.ts"),
        "import type { Socket } from \"socket.io\";\nimport { Server } from \"socket.io\";\n\nexport const io: Server = new Server(3000);\nexport type S = Socket;\n",
    );
    let r = scan_json(dir.path(), &[]);
    assert_lines(
        &findings(&r),
        &expect(&["SF120 both.ts:1:30 x2"]),
        "both.ts",
    );
    // Two imports of one library in a file count once, at the value import's full weight.
    assert_close(trait_evidence(&r, "N2"), rule_weight("SF120"), "folded");
}
