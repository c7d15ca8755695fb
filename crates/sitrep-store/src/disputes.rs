//! Disputed counts: independent sources giving incompatible figures for the
//! same thing about the same event.
//!
//! Two stored claims are disputed when
//!
//! - their articles share an event cluster (the same real-world event, by
//!   the rule in [`crate::cluster`]) and belong to different duplicate
//!   groups (a copy repeating its wire story's figure is no second opinion);
//! - they count the same `kind` (killed, wounded, attacks…) and, where both
//!   state one, a unit with the same head noun ("combat clashes", "clashes");
//! - the ranges their qualifiers allow do not overlap ([`range`]): "around
//!   60 combat clashes" (51–69) and "45 clashes" dispute; "at least 12
//!   killed" and "15 killed" do not.
//!
//! Each side keeps its article, source, span and who the article says
//! claims it, so the two can be read side by side.

/// What a claim's qualifier allows: the closed range `[low, high]`.
/// "around" is taken as ±15 %, "nearly" as up to 15 % under; vague counts
/// ("dozens") are stored as at-least and so never contradict a figure above
/// them.
pub fn range(value: f64, value_max: Option<f64>, qualifier: Option<&str>) -> (f64, f64) {
    if let Some(max) = value_max {
        return (value.min(max), value.max(max));
    }
    match qualifier {
        Some("more-than") => (value + f64::EPSILON.max(value * 1e-9), f64::INFINITY),
        Some("at-least") => (value, f64::INFINITY),
        Some("around") => (value * 0.85, value * 1.15),
        Some("nearly") => (value * 0.85, value),
        Some("up-to") => (0.0, value),
        Some("less-than") => (0.0, value - f64::EPSILON.max(value * 1e-9)),
        _ => (value, value),
    }
}

/// Whether two claims' ranges leave no value both could be true of.
pub fn conflict(a: (f64, f64), b: (f64, f64)) -> bool {
    a.1 < b.0 || b.1 < a.0
}

/// One side of a dispute.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClaimSide {
    /// Article row id.
    pub article: i64,
    /// Its document id.
    pub doc_id: String,
    /// Its publisher.
    pub source: String,
    /// The claim as written.
    pub text: String,
    /// Span in the article's text (code points).
    pub span: (i64, i64),
    /// The number (lower bound of a range).
    pub value: f64,
    /// Upper bound of a stated range.
    pub value_max: Option<f64>,
    /// more-than, at-least, around…
    pub qualifier: Option<String>,
    /// Who the article says claims it.
    pub attributed_to: Option<String>,
}

/// Two incompatible counts of one thing about one event.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dispute {
    /// The event cluster both articles report.
    pub cluster: i64,
    /// CAMEO code and place of the cluster, for reading.
    pub cameo: String,
    /// The cluster's place name.
    pub place_name: Option<String>,
    /// What is counted.
    pub kind: String,
    /// The unit, where a side states one.
    pub unit: Option<String>,
    /// One source's figure.
    pub a: ClaimSide,
    /// The other's.
    pub b: ClaimSide,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_counts_dispute_only_when_no_value_fits_both() {
        let around_60 = range(60.0, None, Some("around"));
        assert!(conflict(around_60, range(45.0, None, None)));
        assert!(!conflict(around_60, range(55.0, None, None)));
        let at_least_12 = range(12.0, None, Some("at-least"));
        assert!(!conflict(at_least_12, range(15.0, None, None)));
        assert!(conflict(at_least_12, range(9.0, None, None)));
        assert!(conflict(
            range(10.0, None, Some("more-than")),
            range(10.0, None, None)
        ));
        assert!(!conflict(
            range(10.0, Some(15.0), None),
            range(12.0, None, None)
        ));
        assert!(conflict(
            range(20.0, None, Some("up-to")),
            range(25.0, None, None)
        ));
    }
}
