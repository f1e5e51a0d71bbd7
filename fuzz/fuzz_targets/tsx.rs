//! The whole per-file analysis of arbitrary bytes as `m.tsx`: decoding, parse, the combined
//! query, name resolution, context checks, friction rules, suppressions; and the content
//! classifier (generated/minified) on the same text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stackfit_fuzz::analyze("m.tsx", data);
    stackfit_fuzz::classify(data);
});
