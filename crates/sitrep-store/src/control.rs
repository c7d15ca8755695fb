//! Conflicting control claims: independent sources disagreeing about who
//! holds a place ("Russian forces captured Andriivka" against "Ukrainian
//! troops repelled an attack on Andriivka").
//!
//! The events stage marks an event about a place with `control` (from the
//! codebook's `control=` flag): `taken` (its source captured the place),
//! `held` (its source kept it against an attack) or `lost` (its source
//! withdrew). Each such event is read as a [`Stance`]: whether its source
//! holds the place afterwards. A negated event turns the stance round
//! ("failed to capture" → does not hold); intended and conditional events
//! claim nothing and are left out.
//!
//! Two stances about the same place conflict ([`conflict`]) when
//!
//! - they are about the same place: the same gazetteer entry, else the same
//!   place name;
//! - their dates lie within [`WINDOW_DAYS`] of each other;
//! - their articles are in different duplicate groups (a copy repeating its
//!   wire story is no second source);
//! - and they cannot both be true: both sides are named and the same side
//!   is said to hold and not to hold the place, or two different sides are
//!   each said to hold it; when a side is unnamed, a capture against a
//!   successful defence ("was captured" / "the attack was repelled") still
//!   conflicts.

use serde::Serialize;

/// Days apart two control claims may be and still be about one moment.
pub const WINDOW_DAYS: i64 = 3;

/// CAMEO sector codes of non-state armed actors: rebels, insurgents,
/// unaligned armed forces, opposition, separatists.
const NON_STATE: [&str; 5] = ["REB", "INS", "UAF", "OPP", "SEP"];

/// The side an actor code stands for: its country (or `---`) and `state`
/// or `non-state`; `None` when neither a country nor a non-state sector is
/// known ("---" alone, or no code).
pub fn side(code: Option<&str>, country: Option<&str>) -> Option<String> {
    let code = code.unwrap_or("");
    let sectors = code.get(3..).unwrap_or("");
    let non_state = (0..sectors.len()).step_by(3).any(|i| {
        sectors
            .get(i..i + 3)
            .is_some_and(|s| NON_STATE.contains(&s))
    });
    let country = country.filter(|c| !c.is_empty()).or_else(|| {
        code.get(..3)
            .filter(|c| *c != "---" && c.bytes().all(|b| b.is_ascii_uppercase()))
    });
    match (country, non_state) {
        (None, false) => None,
        (c, ns) => Some(format!(
            "{}/{}",
            c.unwrap_or("---"),
            if ns { "non-state" } else { "state" }
        )),
    }
}

/// What one event claims about control of its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stance<'a> {
    /// The event's control kind: taken, held or lost.
    pub kind: &'a str,
    /// Whether the source holds the place afterwards.
    pub holds: bool,
    /// The source's side ([`side`]), when known.
    pub side: Option<&'a str>,
}

impl<'a> Stance<'a> {
    /// The stance of an event with this control kind, modality and source
    /// country; `None` when the event claims nothing (intended,
    /// conditional, or an unknown kind).
    pub fn of(kind: &'a str, modality: &str, side: Option<&'a str>) -> Option<Stance<'a>> {
        let holds = match kind {
            "taken" | "held" => true,
            "lost" => false,
            _ => return None,
        };
        let holds = match modality {
            "asserted" | "reported" => holds,
            "negated" => !holds,
            _ => return None,
        };
        Some(Stance { kind, holds, side })
    }
}

/// Whether two stances about one place cannot both be true.
pub fn conflict(a: &Stance<'_>, b: &Stance<'_>) -> bool {
    match (a.side, b.side) {
        (Some(x), Some(y)) => {
            if x == y {
                a.holds != b.holds
            } else {
                a.holds && b.holds
            }
        }
        // An unnamed side: only a capture against a defence is sure to
        // disagree ("Andriivka was captured" / "the attack was repelled").
        _ => {
            a.holds && b.holds && matches!((a.kind, b.kind), ("taken", "held") | ("held", "taken"))
        }
    }
}

/// One side of a control dispute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlSide {
    /// Article row id.
    pub article: i64,
    /// Its document id.
    pub doc_id: String,
    /// Its publisher.
    pub source: String,
    /// The event's evidence text.
    pub text: String,
    /// Its span in the article's text (code points).
    pub span: (i64, i64),
    /// taken, held or lost.
    pub control: String,
    /// The event's modality (a negated capture is a failed one).
    pub modality: String,
    /// Who acts, by name.
    pub actor: Option<String>,
    /// Their country (alpha-3).
    pub actor_country: Option<String>,
    /// Their actor code (RUSMIL, SDNREB).
    pub actor_code: Option<String>,
    /// The event's date (TIMEX3 value).
    pub date: Option<String>,
    /// Who the article says claims it.
    pub attributed_to: Option<String>,
}

/// Two incompatible claims about who holds a place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlDispute {
    /// The place, by name.
    pub place: String,
    /// Its gazetteer id, when resolved.
    pub gazetteer_id: Option<String>,
    /// One source's claim.
    pub a: ControlSide,
    /// The other's.
    pub b: ControlSide,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<'a>(kind: &'a str, modality: &str, side: Option<&'a str>) -> Stance<'a> {
        Stance::of(kind, modality, side).unwrap()
    }

    #[test]
    fn a_capture_and_a_defence_by_the_other_side_conflict() {
        let captured = s("taken", "asserted", Some("RUS"));
        assert!(conflict(&captured, &s("held", "reported", Some("UKR"))));
        // The captor holding it against a counter-attack agrees.
        assert!(!conflict(&captured, &s("held", "asserted", Some("RUS"))));
        // The loser withdrawing agrees; the captor withdrawing does not.
        assert!(!conflict(&captured, &s("lost", "asserted", Some("UKR"))));
        assert!(conflict(&captured, &s("lost", "asserted", Some("RUS"))));
        // "failed to capture" against "captured".
        assert!(conflict(&captured, &s("taken", "negated", Some("RUS"))));
        // An unnamed defender: a capture against a defence still conflicts,
        // a withdrawal by someone unnamed does not say enough.
        assert!(conflict(&captured, &s("held", "asserted", None)));
        assert!(!conflict(&captured, &s("lost", "asserted", None)));
    }

    #[test]
    fn sides_are_countries_and_state_or_not() {
        assert_eq!(
            side(Some("RUSMIL"), Some("RUS")).as_deref(),
            Some("RUS/state")
        );
        assert_eq!(
            side(Some("SDNREB"), Some("SDN")).as_deref(),
            Some("SDN/non-state")
        );
        assert_eq!(side(Some("---REB"), None).as_deref(), Some("---/non-state"));
        assert_eq!(side(Some("UKR"), None).as_deref(), Some("UKR/state"));
        assert_eq!(side(None, None), None);
        assert_eq!(side(Some("---"), None), None);
        // A civil war: the army and the rebels are two sides.
        let rebels = side(Some("SDNREB"), Some("SDN")).unwrap();
        let army = side(Some("SDNMIL"), Some("SDN")).unwrap();
        assert!(conflict(
            &s("taken", "asserted", Some(&rebels)),
            &s("held", "asserted", Some(&army))
        ));
    }

    #[test]
    fn intended_and_conditional_events_claim_nothing() {
        assert!(Stance::of("taken", "intended", Some("RUS")).is_none());
        assert!(Stance::of("taken", "conditional", Some("RUS")).is_none());
        assert!(Stance::of("besieged", "asserted", Some("RUS")).is_none());
    }
}
