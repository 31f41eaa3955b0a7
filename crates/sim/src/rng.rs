//! The cluster's one source of randomness: pod name suffixes, pod IPs, node placement and
//! load balancing all draw from it, so one seed reproduces a whole session.

use serde::{Deserialize, Serialize};

/// The characters the API server uses for generated names: no vowels (no accidental words)
/// and no look-alikes such as `0`/`o` or `1`/`l`.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A small, fast, seedable generator (SplitMix64). Not cryptographic; it only has to be
/// deterministic and well spread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n`; 0 when `n` is 0. Uses rejection so that no value is favoured.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let value = self.next_u64();
            if value < zone {
                return value % n;
            }
        }
    }

    /// A uniform number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        low + self.below(high - low + 1)
    }

    /// `len` characters from [`NAME_ALPHABET`], like the API server's `generateName` suffix.
    pub fn name_suffix(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| NAME_ALPHABET[self.below(NAME_ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.name_suffix(5), b.name_suffix(5));
        assert_eq!(a.below(1000), b.below(1000));
    }

    #[test]
    fn name_suffixes_use_only_the_safe_alphabet() {
        let mut rng = Rng::new(1);
        let suffix = rng.name_suffix(500);
        assert_eq!(suffix.len(), 500);
        assert!(suffix.bytes().all(|c| NAME_ALPHABET.contains(&c)));
    }

    #[test]
    fn below_stays_in_range_and_handles_zero() {
        let mut rng = Rng::new(3);
        assert_eq!(rng.below(0), 0);
        assert!((0..1000).all(|_| rng.below(3) < 3));
        assert_eq!(rng.between(5, 5), 5);
    }
}
