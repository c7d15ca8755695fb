//! Event clustering: which mentions, in which articles, are one real-world
//! event.
//!
//! An event mention joins an existing cluster when all of these hold
//! (otherwise it starts its own):
//!
//! - the same CAMEO root code (`19` fights, `17` coerces…) or, for violence,
//!   the same family ([`family`]: 18, 19 and 20 together), and the same
//!   modality class (`factual` for asserted and reported events; a negated,
//!   conditional or intended event only meets its own kind);
//! - the source and target countries agree where both sides name one (a
//!   side left unnamed agrees with any);
//! - the date, at day precision, lies within [`WINDOW_DAYS`] of *every*
//!   date in the cluster (so a cluster never spans more than the window and
//!   cannot grow by chaining day after day); an event without a
//!   day-precision date is not clustered with others: nothing says it is
//!   the same day;
//! - the place lies within [`RADIUS_KM`] of the cluster's point when both
//!   have coordinates; otherwise their countries agree where both are known
//!   *and* the cluster already holds a mention from the same duplicate group
//!   (the article itself or a copy of its story): a country alone is too
//!   weak to make another story's event this one (the store applies this
//!   part, [`fits`] the rest).
//!
//! Of several clusters that fit, the one with the most mentions wins, then
//! the oldest. The counts follow GDELT's: NumMentions (event mentions),
//! NumArticles (distinct articles) and NumSources — distinct *independent*
//! sources, i.e. duplicate groups, so three reposts of one wire story count
//! once.

/// Days either side of a cluster's dates that a mention may fall on.
pub const WINDOW_DAYS: i64 = 2;
/// Kilometres from a cluster's point that a mention's place may lie.
pub const RADIUS_KM: f64 = 50.0;

/// What the clustering compares: one event mention or one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct EventKey {
    /// CAMEO root (two digits).
    pub root: String,
    /// `factual`, `negated`, `conditional` or `intended`.
    pub modality: String,
    /// Source actor's country (alpha-3).
    pub source_country: Option<String>,
    /// Target actor's country (alpha-3).
    pub target_country: Option<String>,
    /// Country of the place (alpha-2).
    pub country: Option<String>,
    /// Coordinates of the place.
    pub point: Option<(f64, f64)>,
    /// First and last day, as days since 1970-01-01.
    pub days: Option<(i64, i64)>,
}

/// The CAMEO roots a mention of `root` may share a cluster with: the
/// violent roots (18 assault, 19 fight, 20 mass violence) are one family,
/// since sources name one attack "an ambush", "an attack" or "a
/// bombardment"; every other root only meets itself.
pub fn family(root: &str) -> &'static [&'static str] {
    const VIOLENT: [&str; 3] = ["18", "19", "20"];
    const ROOTS: [&str; 20] = [
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
        "16", "17", "18", "19", "20",
    ];
    if VIOLENT.contains(&root) {
        return &VIOLENT;
    }
    match ROOTS.iter().position(|r| *r == root) {
        Some(i) => &ROOTS[i..i + 1],
        None => &[],
    }
}

/// The modality class clusters are kept apart by.
pub fn modality_class(modality: &str) -> &str {
    match modality {
        "asserted" | "reported" => "factual",
        other => other,
    }
}

fn agree(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Whether a mention may join a cluster.
pub fn fits(cluster: &EventKey, mention: &EventKey) -> bool {
    if !family(&cluster.root).contains(&mention.root.as_str())
        || cluster.modality != mention.modality
    {
        return false;
    }
    if !agree(&cluster.source_country, &mention.source_country)
        || !agree(&cluster.target_country, &mention.target_country)
    {
        return false;
    }
    match (cluster.days, mention.days) {
        (Some((first, last)), Some((d, _))) => {
            if d < last - WINDOW_DAYS || d > first + WINDOW_DAYS {
                return false;
            }
        }
        _ => return false,
    }
    match (cluster.point, mention.point) {
        (Some(p), Some(q)) => haversine_km(p, q) <= RADIUS_KM,
        _ => agree(&cluster.country, &mention.country),
    }
}

/// Great-circle distance in km between two (lat, lon) points.
pub fn haversine_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Days since 1970-01-01 of a TIMEX3 value at day precision
/// (`2023-10-30`), else `None`.
pub fn day_number(value: &str) -> Option<i64> {
    if value.len() != 10 {
        return None;
    }
    value
        .parse::<sitrep_core::Date>()
        .ok()
        .map(|d| d.days_since_epoch())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(
        root: &str,
        src: Option<&str>,
        point: Option<(f64, f64)>,
        day: Option<&str>,
    ) -> EventKey {
        let d = day.and_then(day_number);
        EventKey {
            root: root.into(),
            modality: "factual".into(),
            source_country: src.map(Into::into),
            target_country: None,
            country: Some("UA".into()),
            point,
            days: d.map(|d| (d, d)),
        }
    }

    const BAKHMUT: (f64, f64) = (48.595, 38.0);
    const ANDRIIVKA: (f64, f64) = (48.50, 37.97);
    const ODESA: (f64, f64) = (46.48, 30.73);

    #[test]
    fn same_fight_nearby_on_the_next_day_is_the_same_event() {
        let c = key("19", Some("RUS"), Some(BAKHMUT), Some("2023-10-30"));
        assert!(fits(
            &c,
            &key("19", Some("RUS"), Some(ANDRIIVKA), Some("2023-10-31"))
        ));
        assert!(fits(
            &c,
            &key("19", None, Some(BAKHMUT), Some("2023-10-29"))
        ));
    }

    #[test]
    fn another_place_day_actor_or_code_is_another_event() {
        let c = key("19", Some("RUS"), Some(BAKHMUT), Some("2023-10-30"));
        assert!(!fits(
            &c,
            &key("19", Some("RUS"), Some(ODESA), Some("2023-10-30"))
        ));
        assert!(!fits(
            &c,
            &key("19", Some("RUS"), Some(BAKHMUT), Some("2023-11-05"))
        ));
        assert!(!fits(
            &c,
            &key("19", Some("UKR"), Some(BAKHMUT), Some("2023-10-30"))
        ));
        assert!(!fits(
            &c,
            &key("17", Some("RUS"), Some(BAKHMUT), Some("2023-10-30"))
        ));
        assert!(!fits(&c, &key("19", Some("RUS"), Some(BAKHMUT), None)));
        let mut intended = key("19", Some("RUS"), Some(BAKHMUT), Some("2023-10-30"));
        intended.modality = "intended".into();
        assert!(!fits(&c, &intended));
    }

    #[test]
    fn distances_and_days() {
        let d = haversine_km(BAKHMUT, ANDRIIVKA);
        assert!((9.0..12.0).contains(&d), "{d}");
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2023-10"), None);
        assert_eq!(modality_class("reported"), "factual");
    }
}
