//! tree-sitter's memory allocator: mimalloc instead of the C library's malloc.
//!
//! A parse is mostly many small short-lived allocations (subtrees, the parse stack). With
//! glibc's malloc they cost about 8.5% of a scan's instructions (callgrind on the profile set of
//! `docs/performance.md`). Handing tree-sitter mimalloc takes the scan from 7.87 G to 7.41 G
//! instructions (-5.8%) and, measured in time, about 10% less CPU, with the same output.
//!
//! Only tree-sitter gets it, not Rust's own allocations, and only from `main` on: mimalloc
//! decides how it commits memory when it first reserves an arena, so the options below are set
//! before its first allocation. As Rust's global allocator it would already have reserved one
//! before `main` (with its defaults, peak RSS on the benchmark corpus went from 44 to 80 MB,
//! and options set in `main` came too late). Arenas are committed as they are used, not up
//! front (`arena_eager_commit` 0), and free pages go back to the system after 100 ms
//! (`purge_delay`; its default, 1 s, let the corpus x4 peak at 58 MB; 0, at once, costs a
//! system call per freed page, which took more time than mimalloc saved).
//!
//! Only the binary installs it: the library leaves the choice of allocator to its user.
use libmimalloc_sys as mi;

/// `mi_option_arena_eager_commit` and `mi_option_purge_delay` in the `mi_option_t` enum of the
/// mimalloc v3 header that `libmimalloc-sys` 0.1.49 builds (its Rust constants do not name
/// them). `options_are_the_ones_meant` checks them against their documented defaults.
const ARENA_EAGER_COMMIT: mi::mi_option_t = 4;
const PURGE_DELAY: mi::mi_option_t = 15;

/// Sets mimalloc's options and hands tree-sitter the same allocator. Call first in `main`,
/// before any tree-sitter object exists.
pub fn install() {
    // SAFETY: `mi_option_set` only stores a value; `set_allocator` runs before any parser,
    // tree or query is created (the first thing `main` does) and before any thread starts, as
    // tree-sitter requires; mimalloc's functions have the C allocator signatures it expects.
    unsafe {
        mi::mi_option_set(PURGE_DELAY, 100);
        mi::mi_option_set(ARENA_EAGER_COMMIT, 0);
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: mi::mi_malloc,
            calloc: mi::mi_calloc,
            realloc: mi::mi_realloc,
            free: mi::mi_free,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_the_ones_meant() {
        // Their defaults in the bundled mimalloc v3 (`src/options.c`): purge_delay 1000 ms,
        // arena_eager_commit 2. A renumbered enum (a mimalloc upgrade) would read some other
        // option here.
        // SAFETY: reading an option has no precondition.
        let (delay, eager) = unsafe {
            (
                mi::mi_option_get(PURGE_DELAY),
                mi::mi_option_get(ARENA_EAGER_COMMIT),
            )
        };
        assert_eq!((delay, eager), (1000, 2));
    }
}
