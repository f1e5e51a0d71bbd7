//! The JSON Schema (draft 2020-12) of the report and of a `stackfit batch` line, generated
//! from the Rust types that serialise them (`schemars`), so the schema cannot drift from the
//! output. `schemas/*.schema.json` hold the committed copies; a test keeps them current.
use super::json::Report;
use super::ndjson::BatchLine;
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;

/// The schema of `stackfit scan --format json`.
pub fn report() -> Value {
    generate::<Report>(
        "stackfit report",
        "The document `stackfit scan --format json` writes (docs/json-schema.md).",
    )
}

/// The schema of one `stackfit batch` line: a report plus `git`, or `{root, error}`.
pub fn batch_line() -> Value {
    generate::<BatchLine>(
        "stackfit batch line",
        "One line of `stackfit batch` NDJSON: the report of one repository plus its `git` \
         state, or `{root, error}` for a repository that could not be scanned \
         (docs/json-schema.md).",
    )
}

/// `report()` or `batch_line()`, pretty-printed with a final newline.
pub fn render(batch: bool) -> String {
    let v = if batch { batch_line() } else { report() };
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

fn generate<T: JsonSchema>(title: &str, description: &str) -> Value {
    // The serialisation contract: every field the report always writes (an `Option` is written
    // as null) is required.
    let schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut v = schema.to_value();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("title".into(), title.into());
        obj.insert("description".into(), description.into());
    }
    v
}
