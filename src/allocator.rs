//! The binary's allocator: mimalloc, set to give freed memory back to the system at once.
//!
//! A gap run allocates and frees millions of small values (a register row's cells, its key's
//! spelling, findings' texts) on two threads. Measured on the benchmark's workloads
//! (docs/benchmarks.md, sixth round), mimalloc makes the 10^6-row run 10-15% faster than the
//! system allocator (glibc), with a lower peak at 10^6 rows and the same at 10^7, once two of
//! its defaults are changed:
//! - transparent huge pages off (the `no_thp` feature): with them the resident memory grows in
//!   2 MiB pages (72 MB instead of 63 MB at 10^7 rows);
//! - freed pages purged at once (`purge_delay` 0, not 10 ms): memory freed just before the
//!   run's peak (the register's read buffers, the second part's book) is not counted in it.
//!
//! The library does not choose an allocator: only this binary does.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, by its place in `mi_option_t` of the mimalloc the
/// `libmimalloc-sys` crate builds (v3: `include/mimalloc.h`). The sys crate names only some of
/// v3's options, and not this one; [`MIMALLOC_VERSION`] pins the version the place was read
/// from (a test fails when the crate brings another).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `MI_MALLOC_VERSION` of the mimalloc whose `mi_option_t` [`PURGE_DELAY`] was read from.
#[cfg(test)]
const MIMALLOC_VERSION: i32 = 30302;

/// Set the allocator's options: before the run allocates much (options are read when used).
pub fn configure() {
    // SAFETY: mi_option_set stores a number in mimalloc's option table; any value is valid for
    // this option (a delay in milliseconds, 0 for none).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_the_purge_delay_of_this_mimalloc() {
        // SAFETY: mi_version only reads a constant.
        let version = unsafe { libmimalloc_sys::mi_version() };
        assert_eq!(
            version, MIMALLOC_VERSION,
            "libmimalloc-sys builds another mimalloc: check PURGE_DELAY's place in its \
             include/mimalloc.h (mi_option_t) and update both constants"
        );
        configure();
        // SAFETY: mi_option_get only reads the option table.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 0);
    }
}
