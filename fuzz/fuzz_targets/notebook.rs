//! A notebook's bytes: the `.ipynb` JSON, the kernel language, code cells joined into one
//! Python source (magics and shell escapes blanked), its analysis, findings mapped back to cells.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stackfit_fuzz::analyze("n.ipynb", data);
});
