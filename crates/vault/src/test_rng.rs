//! A deterministic generator for the tests and the benchmark (which includes this file).

use std::cell::Cell;

/// SplitMix64 as a [`Random`](crate::Random): tests and benchmarks only, never for secrets.
pub fn rng(seed: u64) -> impl Fn(&mut [u8]) {
    let state = Cell::new(seed);
    move |buf: &mut [u8]| {
        for chunk in buf.chunks_mut(8) {
            let s = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
            state.set(s);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}
