//! Precision, recall and F1 from counts.
//!
//! Scorers keep counts, never ratios, so that documents can be added one at a
//! time (or batches merged) and the ratios computed once at the end. Every
//! ratio with an empty denominator is 0, never NaN: a system that predicts
//! nothing has precision 0.

use std::ops::AddAssign;

use serde::Serialize;

/// Hit, gold and predicted counts for one precision/recall/F1 measurement.
///
/// `tp` is the number of one-to-one matched (gold, predicted) pairs, so
/// `tp <= gold` and `tp <= pred` whenever the counts come from a matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Prf {
    /// Matched pairs (true positives).
    pub tp: u64,
    /// Gold items (true positives + false negatives).
    pub gold: u64,
    /// Predicted items (true positives + false positives).
    pub pred: u64,
}

/// `num / den`, or 0 when `den` is 0.
pub fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

impl Prf {
    /// Counts from their parts.
    pub fn new(tp: u64, gold: u64, pred: u64) -> Prf {
        Prf { tp, gold, pred }
    }

    /// `tp / pred`, 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.pred)
    }

    /// `tp / gold`, 0 when there is no gold.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }

    /// Harmonic mean of precision and recall, computed as
    /// `2·tp / (gold + pred)` (the same number, without a 0/0 case when
    /// either side is 0); 0 when both are empty.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, self.gold + self.pred)
    }

    /// Adds another measurement's counts to this one.
    pub fn merge(&mut self, other: &Prf) {
        self.tp += other.tp;
        self.gold += other.gold;
        self.pred += other.pred;
    }
}

impl AddAssign for Prf {
    fn add_assign(&mut self, other: Prf) {
        self.merge(&other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        let p = Prf::new(3, 4, 6);
        assert_eq!(p.precision(), 0.5);
        assert_eq!(p.recall(), 0.75);
        assert!((p.f1() - 0.6).abs() < 1e-12, "2·0.5·0.75/1.25 = 0.6");
    }

    #[test]
    fn empty_sides_are_zero_not_nan() {
        let nothing_predicted = Prf::new(0, 5, 0);
        assert_eq!(nothing_predicted.precision(), 0.0);
        assert_eq!(nothing_predicted.recall(), 0.0);
        assert_eq!(nothing_predicted.f1(), 0.0);
        let empty = Prf::default();
        assert_eq!(empty.f1(), 0.0);
        assert!(!empty.precision().is_nan());
    }

    #[test]
    fn merging_adds_counts() {
        let mut a = Prf::new(1, 2, 3);
        a.merge(&Prf::new(2, 2, 2));
        a += Prf::new(0, 1, 0);
        assert_eq!(a, Prf::new(3, 5, 5));
        assert_eq!(a.f1(), 0.6);
    }
}
