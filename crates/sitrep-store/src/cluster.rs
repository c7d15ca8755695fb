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

use crate::query::ClusterRow;
use std::collections::{HashMap, HashSet};

/// Days either side of a cluster's dates that a mention may fall on.
pub const WINDOW_DAYS: i64 = 2;
/// Kilometres from a cluster's point that a mention's place may lie.
pub const RADIUS_KM: f64 = 50.0;

/// What the clustering compares: one event mention or one cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// The cluster a mention joins among `candidates` — clusters of its
/// family and modality whose dates overlap its window, most mentions
/// first, then oldest — or `None` (it starts its own). `own(cluster)` says
/// whether the cluster already holds a mention of the mention's duplicate
/// group, asked only when a side has no point. The store and the backfill's
/// [`Clusterer`] both decide through here.
pub fn choose<C: Copy, E>(
    candidates: &[(C, EventKey)],
    mention: &EventKey,
    mut own: impl FnMut(C) -> Result<bool, E>,
) -> Result<Option<C>, E> {
    for (id, candidate) in candidates {
        if !fits(candidate, mention) {
            continue;
        }
        // Without a point on one side, only the country speaks for the
        // place: too weak to join another story's event, enough to join
        // one its own copies (or the article itself) reported.
        let placeless = candidate.point.is_none() || mention.point.is_none();
        if placeless && !own(*id)? {
            continue;
        }
        return Ok(Some(*id));
    }
    Ok(None)
}

/// One event mention as the backfill's clustering reads it, in the order
/// the store would have ingested it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    /// Article id.
    pub article: i64,
    /// Index of the event in its document.
    pub idx: i64,
    /// The article's duplicate group.
    pub group: i64,
    /// The article's publication date.
    pub published: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// Name of its place.
    pub place_name: Option<String>,
    /// Its clustering key (`days` a single day).
    pub key: EventKey,
}

struct Slot {
    record: ClusterRow,
    key: EventKey,
    groups: HashSet<i64>,
    articles: HashSet<i64>,
}

/// The store's clustering in memory, for one block of mentions that can
/// only meet each other: the same [`family`] and modality class (the
/// store's candidate query never crosses them, so blocks are independent
/// and the result equals the store's). Mentions must come in ingest order
/// — article id, then index. Cluster ids are local (`0..`) until the
/// caller numbers them: the store numbers clusters in the order their
/// first mentions arrive.
#[derive(Default)]
pub struct Clusterer {
    slots: Vec<Slot>,
    /// Slots by each day of their date range.
    by_day: HashMap<i64, Vec<usize>>,
}

impl Clusterer {
    /// An empty clusterer.
    pub fn new() -> Clusterer {
        Clusterer::default()
    }

    /// Files `m`: (local cluster index, whether it started it).
    pub fn assign(&mut self, m: &Mention) -> (usize, bool) {
        let key = &m.key;
        if let Some((day, _)) = key.days {
            let mut near: Vec<usize> = (day - WINDOW_DAYS..=day + WINDOW_DAYS)
                .filter_map(|d| self.by_day.get(&d))
                .flatten()
                .copied()
                .collect();
            near.sort_unstable();
            near.dedup();
            let mut candidates: Vec<(usize, EventKey)> = near
                .into_iter()
                .filter(|&i| {
                    let k = &self.slots[i].key;
                    family(&k.root).contains(&key.root.as_str()) && k.modality == key.modality
                })
                .map(|i| {
                    let mut k = self.slots[i].key.clone();
                    k.root = key.root.clone();
                    (i, k)
                })
                .collect();
            // As the store's query orders them: most mentions, then oldest.
            candidates.sort_by_key(|(i, _)| (-self.slots[*i].record.num_mentions, *i));
            let chosen = choose(&candidates, key, |i| {
                Ok::<bool, ()>(self.slots[i].groups.contains(&m.group))
            })
            .ok()
            .flatten();
            if let Some(i) = chosen {
                let slot = &mut self.slots[i];
                let k = &mut slot.key;
                k.source_country = k.source_country.take().or(key.source_country.clone());
                k.target_country = k.target_country.take().or(key.target_country.clone());
                k.country = k.country.take().or(key.country.clone());
                if k.point.is_none() && key.point.is_some() {
                    k.point = key.point;
                    slot.record.place_name = m.place_name.clone();
                }
                let (first, last) = k.days.unwrap_or((day, day));
                k.days = Some((first.min(day), last.max(day)));
                if !(first..=last).contains(&day) {
                    self.by_day.entry(day).or_default().push(i);
                }
                self.note(i, m);
                return (i, false);
            }
        }
        let i = self.slots.len();
        let date = key.days.map(|(d, _)| crate::date_text(d));
        self.slots.push(Slot {
            record: ClusterRow {
                id: i as i64,
                root: key.root.clone(),
                cameo: m.cameo.clone(),
                modality: key.modality.clone(),
                source_country: None,
                target_country: None,
                country: None,
                place_name: m.place_name.clone(),
                lat: None,
                lon: None,
                date_first: date.clone(),
                date_last: date,
                num_mentions: 0,
                num_articles: 0,
                num_sources: 0,
                first_seen: None,
                last_seen: None,
            },
            key: key.clone(),
            groups: HashSet::new(),
            articles: HashSet::new(),
        });
        if let Some((day, _)) = key.days {
            self.by_day.entry(day).or_default().push(i);
        }
        self.note(i, m);
        (i, true)
    }

    fn note(&mut self, i: usize, m: &Mention) {
        let slot = &mut self.slots[i];
        slot.record.num_mentions += 1;
        slot.groups.insert(m.group);
        slot.articles.insert(m.article);
        if let Some(p) = &m.published {
            let r = &mut slot.record;
            if r.first_seen.as_ref().is_none_or(|f| p < f) {
                r.first_seen = Some(p.clone());
            }
            if r.last_seen.as_ref().is_none_or(|l| p > l) {
                r.last_seen = Some(p.clone());
            }
        }
    }

    /// The clusters, by local index, with their final counts.
    pub fn into_records(self) -> Vec<ClusterRow> {
        self.slots
            .into_iter()
            .map(|s| {
                let mut r = s.record;
                r.source_country = s.key.source_country;
                r.target_country = s.key.target_country;
                r.country = s.key.country;
                r.lat = s.key.point.map(|p| p.0);
                r.lon = s.key.point.map(|p| p.1);
                if let Some((a, b)) = s.key.days {
                    r.date_first = Some(crate::date_text(a));
                    r.date_last = Some(crate::date_text(b));
                }
                r.num_articles = s.articles.len() as i64;
                r.num_sources = s.groups.len() as i64;
                r
            })
            .collect()
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
