//! Every manifest reader. The first byte picks the file name (so the reader), the rest is its
//! text. Requirements files are read in a sandbox directory that holds includes (nested,
//! cyclic, missing) and a link out of the tree; `check` asserts no finding lands outside it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let rel = stackfit_fuzz::MANIFESTS[pick as usize % stackfit_fuzz::MANIFESTS.len()];
    stackfit_fuzz::analyze(rel, text);
});
