//! One-to-one alignment of gold and predicted spans.

/// Code points shared by `a_start..a_end` and `b_start..b_end`.
pub(crate) fn overlap(a_start: usize, a_end: usize, b_start: usize, b_end: usize) -> usize {
    a_end.min(b_end).saturating_sub(a_start.max(b_start))
}

/// How a (gold, predicted) pair relates, for [`align`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fit {
    /// Same extent exactly.
    pub exact: bool,
    /// Code points in common.
    pub overlap: usize,
}

impl Fit {
    /// The fit of two contiguous spans.
    pub fn spans(g: (usize, usize), p: (usize, usize)) -> Fit {
        Fit {
            exact: g == p,
            overlap: overlap(g.0, g.1, p.0, p.1),
        }
    }

    /// Whether the pair may be matched at all: exact, or overlapping.
    pub fn eligible(&self) -> bool {
        self.exact || self.overlap > 0
    }
}

/// Greedy one-to-one alignment of `n_gold` gold items with `n_pred`
/// predicted ones. `fit(g, p)` describes a pair, `None` when it may not be
/// matched. Exact pairs are taken first, then overlapping pairs by
/// decreasing overlap; ties go to the earlier gold, then the earlier
/// prediction. Returns `(gold index, predicted index)` pairs, each index at
/// most once.
pub(crate) fn align(
    n_gold: usize,
    n_pred: usize,
    fit: impl Fn(usize, usize) -> Option<Fit>,
) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(bool, usize, usize, usize)> = Vec::new();
    for g in 0..n_gold {
        for p in 0..n_pred {
            if let Some(f) = fit(g, p).filter(Fit::eligible) {
                candidates.push((f.exact, f.overlap, g, p));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut gold_used = vec![false; n_gold];
    let mut pred_used = vec![false; n_pred];
    let mut pairs = Vec::new();
    for (_, _, g, p) in candidates {
        if !gold_used[g] && !pred_used[p] {
            gold_used[g] = true;
            pred_used[p] = true;
            pairs.push((g, p));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// [`align`] for contiguous spans, matching on overlap.
pub(crate) fn align_spans(gold: &[(usize, usize)], pred: &[(usize, usize)]) -> Vec<(usize, usize)> {
    align(gold.len(), pred.len(), |g, p| {
        Some(Fit::spans(gold[g], pred[p]))
    })
}

/// [`align`] for contiguous spans, matching only identical extents.
pub(crate) fn align_exact(gold: &[(usize, usize)], pred: &[(usize, usize)]) -> Vec<(usize, usize)> {
    align(gold.len(), pred.len(), |g, p| {
        (gold[g] == pred[p]).then(|| Fit::spans(gold[g], pred[p]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_counts_shared_code_points() {
        assert_eq!(overlap(0, 5, 3, 9), 2);
        assert_eq!(overlap(0, 5, 5, 9), 0, "touching spans do not overlap");
        assert_eq!(overlap(4, 6, 0, 10), 2);
        assert_eq!(overlap(7, 9, 0, 3), 0);
    }

    #[test]
    fn exact_pairs_first_then_largest_overlap() {
        // gold A = 0..10, gold B = 10..14; predictions 8..14 (exact for B,
        // overlapping A by 2) and 0..4 (overlapping A by 4).
        let gold = [(0, 10), (10, 14)];
        let pred = [(8, 14), (0, 4)];
        assert_eq!(align_spans(&gold, &pred), vec![(0, 1), (1, 0)]);
        // without the exact rule the larger overlap would still win here;
        // make the exact pair the smaller overlap to test the rule itself.
        let gold = [(0, 10), (3, 5)];
        let pred = [(3, 5)];
        assert_eq!(
            align_spans(&gold, &pred),
            vec![(1, 0)],
            "exact pair beats an equal-overlap pair with an earlier gold"
        );
        let gold = [(0, 20), (5, 7)];
        let pred = [(0, 19), (5, 7)];
        assert_eq!(align_spans(&gold, &pred), vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn one_to_one_no_double_counting() {
        // one long prediction overlapping two gold spans matches one of them
        let gold = [(0, 3), (4, 10)];
        let pred = [(0, 10)];
        assert_eq!(align_spans(&gold, &pred), vec![(1, 0)], "larger overlap");
        // two predictions inside one gold span: only one matches
        let gold = [(0, 10)];
        let pred = [(0, 3), (4, 10)];
        assert_eq!(align_spans(&gold, &pred), vec![(0, 1)]);
        // duplicates
        let gold = [(2, 4)];
        let pred = [(2, 4), (2, 4)];
        assert_eq!(align_exact(&gold, &pred), vec![(0, 0)]);
    }

    #[test]
    fn exact_only_ignores_overlaps() {
        let gold = [(0, 5), (6, 9)];
        let pred = [(0, 4), (6, 9)];
        assert_eq!(align_exact(&gold, &pred), vec![(1, 1)]);
    }
}
