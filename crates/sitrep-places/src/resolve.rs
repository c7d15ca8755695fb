//! Resolution: each mention's candidate entries scored by prior (kind,
//! population, capital, our supplement), the words around it (type cues,
//! containment, stated distance and direction) and the document (country and
//! admin1 focus, the currencies it counts in, nearness to the other places'
//! choices and to their other plausible entries), over a few rounds so that
//! settled mentions pull the ambiguous ones.

use std::collections::HashMap;

use sitrep_gazetteer::{
    bearing_deg, distance_km, Gazetteer, Kind, NameKind, PlaceId, Record, FLAG_CAPITAL, FLAG_OURS,
};

use crate::cues::{bearing_of, Cue};
use crate::lexicon::TypeHint;
use crate::recognise::Mention;

/// Candidates kept per mention (the postings are in prior order; the tail
/// is villages no context will lift — but our supplement sits at the very
/// end, so it is always added).
const MAX_CANDIDATES: usize = 80;
/// Rounds of context re-scoring.
const ROUNDS: usize = 3;
/// Weight of the share of the document's other places in a candidate's
/// country: local news names small towns among its own country's places.
const COUNTRY_FOCUS: f64 = 4.0;
/// Weight of the share in a candidate's admin1.
const ADMIN1_FOCUS: f64 = 3.0;

/// What a currency the document counts in weighs in its country focus,
/// against 1 for a place resolved with certainty.
const MONEY_WEIGHT: f64 = 1.0;
/// What a nationality word ("Georgian") weighs in the country focus.
const NATIONALITY_WEIGHT: f64 = 1.0;
/// What one institution word ("sheriff", "Gardaí") weighs in the country
/// focus, and the most a country gets from them.
const INSTITUTION_WEIGHT: f64 = 0.5;
const INSTITUTION_MOST: f64 = 1.5;

/// The document's votes for countries beyond its places: `money` the
/// countries whose currency it counts in ([`crate::cues::money_countries`]),
/// `nationalities` those its nationality words name
/// ([`crate::cues::demonym_countries`]), `institutions` those whose
/// institution words it uses, with their number
/// ([`crate::cues::institution_countries`]).
pub fn focus_votes(
    money: &[[u8; 2]],
    nationalities: &[[u8; 2]],
    institutions: &[([u8; 2], usize)],
) -> Vec<([u8; 2], f64)> {
    money
        .iter()
        .map(|cc| (*cc, MONEY_WEIGHT))
        .chain(nationalities.iter().map(|cc| (*cc, NATIONALITY_WEIGHT)))
        .chain(
            institutions
                .iter()
                .map(|(cc, n)| (*cc, (INSTITUTION_WEIGHT * *n as f64).min(INSTITUTION_MOST))),
        )
        .collect()
}

/// One candidate entry of a mention with its score parts.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The entry.
    pub id: PlaceId,
    /// Its record.
    pub rec: Record,
    /// How the mention's name names it.
    pub how: NameKind,
    /// Prior: kind, population, alternate-name penalty.
    pub prior: f64,
    /// Type cue, containment, distance/direction cues.
    pub local: f64,
    /// Document focus and nearness to the other places.
    pub context: f64,
    /// Stated distance and direction cues.
    pub cue: f64,
    /// Which local cue contributed most (for `by`).
    pub local_rule: Option<&'static str>,
    /// Which stated cue matched (for `by`).
    pub cue_rule: Option<&'static str>,
}

impl Candidate {
    /// Total score.
    pub fn score(&self) -> f64 {
        self.prior + self.local + self.context + self.cue
    }
}

/// A mention's resolution.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// Index of the chosen candidate in `candidates`.
    pub best: usize,
    /// Softmax probability of the chosen candidate.
    pub confidence: f64,
    /// The rule that decided: `prior`, `context`, `containment`,
    /// `type-cue`, `distance-cue`, `direction-cue`.
    pub rule: &'static str,
    /// All candidates scored.
    pub candidates: Vec<Candidate>,
}

fn prior(rec: &Record, how: NameKind) -> f64 {
    let pop = (rec.population as f64 + 1.0).log10();
    let mut s = match rec.kind {
        Kind::Country => prior_of_country_name(),
        Kind::Admin1 => 6.5 + 0.1 * pop,
        Kind::Admin2 => 3.0 + 0.3 * pop,
        Kind::Settlement => {
            pop.max(1.0)
                + if rec.flags & FLAG_CAPITAL != 0 {
                    2.0
                } else {
                    0.0
                }
        }
        Kind::Region => 7.5,
        Kind::MacroRegion => 8.0,
        Kind::Water => 7.5,
    };
    // Our front-line rows have no population; news names them because
    // fighting is there, which is worth a small town's prior.
    if rec.flags & FLAG_OURS != 0 && rec.kind == Kind::Settlement {
        s += 2.5;
    }
    if how == NameKind::Alternate {
        s -= 1.0;
    }
    s
}

/// The prior of a country matched by its primary name.
fn prior_of_country_name() -> f64 {
    9.0
}

/// The least population of a city after which a division that holds it is
/// named, for the name alone to mean the city.
const NAMED_CENTRE_MIN: u32 = 20_000;
/// What such a division loses to its city.
const NAMED_CENTRE_PENALTY: f64 = 2.5;

/// What an entry known by the name only as an alternate loses to a bigger
/// entry whose own name it is.
const ALTERNATE_GIVES_WAY: f64 = 3.0;

/// What a settlement sharing a country's name loses to it.
const COUNTRY_NAME_PENALTY: f64 = 3.0;

fn hint_bonus(hint: Option<TypeHint>, kind: Kind) -> f64 {
    match (hint, kind) {
        (Some(TypeHint::Admin1), Kind::Admin1) => 4.0,
        (Some(TypeHint::Admin1), Kind::Region) => 3.0,
        (Some(TypeHint::Admin2), Kind::Admin2) => 4.0,
        (Some(TypeHint::Settlement), Kind::Settlement) => 3.0,
        (Some(TypeHint::Settlement), Kind::Admin1 | Kind::Admin2 | Kind::Country) => -2.0,
        (Some(TypeHint::Front), Kind::Settlement | Kind::Admin1) => 1.0,
        _ => 0.0,
    }
}

/// True when `outer` contains `inner` by the admin hierarchy.
fn contains(outer_id: PlaceId, outer: &Record, inner: &Record) -> bool {
    match outer.kind {
        Kind::Country => inner.country == outer.country && inner.kind != Kind::Country,
        Kind::Admin1 => inner.admin1 == Some(outer_id),
        Kind::Admin2 => inner.admin2 == Some(outer_id),
        Kind::Region => {
            inner.country == outer.country
                && distance_km(
                    outer.lat as f64,
                    outer.lon as f64,
                    inner.lat as f64,
                    inner.lon as f64,
                ) < 150.0
        }
        _ => false,
    }
}

/// Resolves every mention; `out[i]` belongs to `mentions[i]`.
///
/// `votes` are the document's other evidence for countries
/// ([`focus_votes`]), each weighing in the country focus against 1 for a
/// place resolved with certainty.
pub fn resolve(
    gaz: &Gazetteer,
    mentions: &[Mention],
    cues: &[Cue],
    votes: &[([u8; 2], f64)],
) -> Vec<Resolution> {
    let mut res: Vec<Resolution> = mentions
        .iter()
        .map(|m| {
            let mut candidates: Vec<Candidate> = Vec::new();
            let lookup = gaz.lookup(&m.key);
            let total = lookup.len();
            for (k, (id, how)) in lookup.enumerate() {
                let rec = gaz.record(id);
                // Keep the head of the list and every row of ours.
                if k >= MAX_CANDIDATES && rec.flags & FLAG_OURS == 0 {
                    continue;
                }
                if m.acronym && !crate::recognise::acronym_names(gaz, id, how, &m.surface) {
                    continue;
                }
                let local = hint_bonus(m.hint, rec.kind);
                candidates.push(Candidate {
                    id,
                    rec,
                    how,
                    prior: prior(&rec, how),
                    local,
                    context: 0.0,
                    cue: 0.0,
                    local_rule: (local > 0.0).then_some("type-cue"),
                    cue_rule: None,
                });
            }
            debug_assert!(total > 0);
            // An entry known by the name only as an alternate gives way to
            // a bigger one whose own name it is: "Kaliningrad" is the city
            // on the Baltic, not Korolev, so called in Soviet times;
            // "Pittsburgh" is not Pittsburg, California.
            let own = candidates
                .iter()
                .filter(|c| c.how == NameKind::Preferred)
                .map(|c| c.rec.population)
                .max();
            if let Some(own) = own {
                for c in candidates
                    .iter_mut()
                    .filter(|c| c.how == NameKind::Alternate && c.rec.population < own)
                {
                    c.prior -= ALTERNATE_GIVES_WAY;
                }
            }
            // A country's own name means the country: "Benin" is not Benin
            // City, whatever Nigerian places stand near it.
            if let Some(country) = candidates
                .iter()
                .find(|c| c.rec.kind == Kind::Country && c.prior >= prior_of_country_name())
                .map(|c| c.id)
            {
                for c in candidates.iter_mut().filter(|c| c.id != country) {
                    if c.rec.kind == Kind::Settlement && c.rec.flags & FLAG_OURS == 0 {
                        c.prior -= COUNTRY_NAME_PENALTY;
                    }
                }
            }
            Resolution {
                best: 0,
                confidence: 0.0,
                rule: "prior",
                candidates,
            }
        })
        .collect();
    // A division named after its city ("Kharkiv", "Kherson", "Kupiansk
    // Raion"): alone, the name means the city; "the Kharkiv region" says
    // otherwise through the type cue.
    for (m, r) in mentions.iter().zip(res.iter_mut()) {
        if m.hint.is_some() {
            continue;
        }
        let centres: Vec<PlaceId> = r
            .candidates
            .iter()
            .filter(|c| c.rec.kind == Kind::Settlement && c.rec.population >= NAMED_CENTRE_MIN)
            .flat_map(|c| [c.rec.admin1, c.rec.admin2])
            .flatten()
            .collect();
        for c in r.candidates.iter_mut() {
            if matches!(c.rec.kind, Kind::Admin1 | Kind::Admin2) && centres.contains(&c.id) {
                c.prior -= NAMED_CENTRE_PENALTY;
            }
        }
    }
    for r in res.iter_mut() {
        pick(r);
    }
    let prior_best: Vec<PlaceId> = res.iter().map(|r| r.candidates[r.best].id).collect();

    // Containment: "X, Y" where Y holds X.
    for cue in cues {
        if let Cue::Containment { subject, anchor } = cue {
            let anchors: Vec<(PlaceId, Record)> = res[*anchor]
                .candidates
                .iter()
                .filter(|c| {
                    matches!(
                        c.rec.kind,
                        Kind::Country | Kind::Admin1 | Kind::Admin2 | Kind::Region
                    )
                })
                .take(8)
                .map(|c| (c.id, c.rec))
                .collect();
            let mut held: Vec<PlaceId> = Vec::new();
            for c in res[*subject].candidates.iter_mut() {
                if let Some((aid, _)) = anchors.iter().find(|(aid, a)| contains(*aid, a, &c.rec)) {
                    c.local += 6.0;
                    c.local_rule = Some("containment");
                    held.push(*aid);
                }
            }
            for c in res[*anchor].candidates.iter_mut() {
                if held.contains(&c.id) {
                    c.local += 4.0;
                    c.local_rule = Some("containment");
                }
            }
        }
    }

    let key_of = same_names(mentions);
    support_by_hierarchy(&key_of, &mut res);
    support_by_nearness(&key_of, &mut res);

    // Mentions of one name vote once: repeating "Paris" must not make
    // France the focus that resolves "Paris".
    // The same names as small numbers, for the inner loops.
    let key_id: Vec<usize> = key_of
        .iter()
        .map(|k| key_of.iter().position(|o| o == k).unwrap_or(0))
        .collect();
    for _ in 0..ROUNDS {
        for r in res.iter_mut() {
            pick(r);
        }
        // Focus: the countries and admin1s the document's places lie in,
        // weighted by confidence.
        let chosen: Vec<(usize, Record, f64)> = res
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.candidates[r.best].rec, r.confidence))
            .collect();
        let mut countries: HashMap<[u8; 2], f64> = HashMap::new();
        let mut admin1s: HashMap<PlaceId, f64> = HashMap::new();
        let mut total = 0.0;
        // The same sums per name, to take a name's own votes out.
        let mut own_countries: HashMap<(&str, [u8; 2]), f64> = HashMap::new();
        let mut own_admin1s: HashMap<(&str, PlaceId), f64> = HashMap::new();
        let mut own_total: HashMap<&str, f64> = HashMap::new();
        for (i, rec, conf) in &chosen {
            let key = key_of[*i];
            *countries.entry(rec.country).or_default() += conf;
            *own_countries.entry((key, rec.country)).or_default() += conf;
            let a1 = if rec.kind == Kind::Admin1 {
                None
            } else {
                rec.admin1
            };
            if let Some(a) = a1 {
                *admin1s.entry(a).or_default() += conf;
                *own_admin1s.entry((key, a)).or_default() += conf;
            }
            total += conf;
            *own_total.entry(key).or_default() += conf;
        }
        for (cc, weight) in votes {
            *countries.entry(*cc).or_default() += weight;
            total += weight;
        }
        // One point per name for the nearness measure (countries are near
        // nothing in particular).
        let mut points: Vec<(usize, f64, f64)> = Vec::new();
        for (i, rec, _) in &chosen {
            if rec.kind != Kind::Country && !points.iter().any(|p| p.0 == key_id[*i]) {
                points.push((key_id[*i], rec.lat as f64, rec.lon as f64));
            }
        }
        for (i, r) in res.iter_mut().enumerate() {
            let key = key_of[i];
            let others = total - own_total.get(key).copied().unwrap_or(0.0);
            if others <= 1e-9 {
                for c in r.candidates.iter_mut() {
                    c.context = 0.0;
                }
                continue;
            }
            for c in r.candidates.iter_mut() {
                let cw = countries.get(&c.rec.country).copied().unwrap_or(0.0)
                    - own_countries
                        .get(&(key, c.rec.country))
                        .copied()
                        .unwrap_or(0.0);
                let mut ctx = COUNTRY_FOCUS * (cw / others).max(0.0);
                if let Some(a) = c.rec.admin1 {
                    let aw = admin1s.get(&a).copied().unwrap_or(0.0)
                        - own_admin1s.get(&(key, a)).copied().unwrap_or(0.0);
                    ctx += ADMIN1_FOCUS * (aw / others).max(0.0);
                }
                if matches!(c.rec.kind, Kind::Settlement | Kind::Admin2) {
                    let (clat, clon) = (c.rec.lat as f64, c.rec.lon as f64);
                    let near = points
                        .iter()
                        // 3° of latitude is over 300 km: no need for trigonometry.
                        .filter(|(k, lat, _)| *k != key_id[i] && (lat - clat).abs() < 3.0)
                        .map(|&(_, lat, lon)| distance_km(clat, clon, lat, lon))
                        .fold(f64::INFINITY, f64::min);
                    ctx += if near < 30.0 {
                        2.5
                    } else if near < 100.0 {
                        1.5
                    } else if near < 300.0 {
                        0.7
                    } else {
                        0.0
                    };
                }
                c.context = ctx;
            }
        }
        // Stated distance and direction from an anchor, measured from the
        // anchor's current choice.
        for cue in cues {
            let Cue::Relation {
                subject,
                anchor,
                relation,
            } = cue
            else {
                continue;
            };
            let a = res[*anchor].candidates[res[*anchor].best].rec;
            for c in res[*subject].candidates.iter_mut() {
                let d = distance_km(
                    a.lat as f64,
                    a.lon as f64,
                    c.rec.lat as f64,
                    c.rec.lon as f64,
                );
                let mut bonus = 0.0;
                let mut rule = None;
                if let Some(km) = relation.km {
                    if (d - km).abs() <= (0.4 * km).max(3.0) {
                        bonus += 8.0;
                        rule = Some("distance-cue");
                    } else if d < 3.0 * km + 20.0 {
                        bonus += 2.0;
                    }
                }
                if let Some(b) = relation.direction.as_deref().and_then(bearing_of) {
                    let got = bearing_deg(
                        a.lat as f64,
                        a.lon as f64,
                        c.rec.lat as f64,
                        c.rec.lon as f64,
                    );
                    let off = ((got - b + 540.0) % 360.0 - 180.0).abs();
                    if off <= 67.5 && d < 200.0 {
                        bonus += 3.0;
                        rule = rule.or(Some("direction-cue"));
                    }
                }
                // Replaced, not added: the cue is re-measured every round.
                c.cue = bonus;
                if rule.is_some() {
                    c.cue_rule = rule;
                }
            }
        }
    }
    for (r, prior_id) in res.iter_mut().zip(prior_best) {
        pick(r);
        let best = &r.candidates[r.best];
        r.rule = if let (true, Some(rule)) = (best.cue > 0.0, best.cue_rule) {
            rule
        } else if best.id == prior_id && best.local <= 0.0 {
            "prior"
        } else if let Some(rule) = best.local_rule.filter(|_| best.local > 0.0) {
            rule
        } else {
            "context"
        };
    }
    res
}

/// The name each mention stands for, as far as support between names goes:
/// its key, but "Dublin City" or "the City of Norfolk" where the document
/// also says "Dublin" or "Norfolk" is that name (its council, not another
/// place to lend it support).
fn same_names(mentions: &[Mention]) -> Vec<&str> {
    mentions
        .iter()
        .map(|m| {
            let key = m.key.as_str();
            match key
                .strip_suffix(" city")
                .or_else(|| key.strip_prefix("city of "))
            {
                Some(base) if mentions.iter().any(|o| o.key == base) => base,
                _ => key,
            }
        })
        .collect()
}

/// Support between names of the document that the admin hierarchy ties
/// together, whatever their current choice: "Dublin" and "Laurens County"
/// and "Georgia" lift the Dublin in Laurens County, Georgia, and that
/// Georgia, over Ireland's capital and the country.
fn support_by_hierarchy(names: &[&str], res: &mut [Resolution]) {
    const TOP: usize = 60;
    const BONUS: f64 = 2.5;
    // Division ids among each name's candidates, and the divisions its
    // candidates lie in.
    let mut divisions: HashMap<PlaceId, Vec<&str>> = HashMap::new();
    let mut containers: HashMap<PlaceId, Vec<&str>> = HashMap::new();
    for (name, r) in names.iter().zip(res.iter()) {
        for c in r.candidates.iter().take(TOP) {
            if matches!(c.rec.kind, Kind::Admin1 | Kind::Admin2) {
                divisions.entry(c.id).or_default().push(name);
            }
            for a in [c.rec.admin1, c.rec.admin2].into_iter().flatten() {
                containers.entry(a).or_default().push(name);
            }
        }
    }
    let other =
        |keys: Option<&Vec<&str>>, own: &str| keys.is_some_and(|ks| ks.iter().any(|k| *k != own));
    for (name, r) in names.iter().zip(res.iter_mut()) {
        for c in r.candidates.iter_mut().take(TOP) {
            let held = [c.rec.admin1, c.rec.admin2]
                .into_iter()
                .flatten()
                .any(|a| other(divisions.get(&a), name));
            let holds = matches!(c.rec.kind, Kind::Admin1 | Kind::Admin2)
                && other(containers.get(&c.id), name);
            if held || holds {
                c.local += BONUS;
                c.local_rule = c.local_rule.or(Some("containment"));
            }
        }
    }
}

/// An entry's point and its prior odds against its name's best entry.
type PlausiblePoint = (f64, f64, f64);

/// Support between names of the document whose candidates lie near each
/// other, whatever their current choice: "Hall County" and "Forsyth
/// County" are neighbours in Georgia, not in Nebraska and North Carolina
/// where each name's biggest entry lies. Each other name lends a candidate
/// the nearness of its nearest plausible entry, discounted by how much
/// less likely than that name's best entry it is by prior; settlements and
/// second-order divisions only (a country or state is near everything in
/// it, and [`support_by_hierarchy`] speaks for those).
fn support_by_nearness(names: &[&str], res: &mut [Resolution]) {
    // Candidates looked at per name, the weight of one name's support and
    // the most support counted (measured on LGL: flat around these).
    const TOP: usize = 20;
    const WEIGHT: f64 = 1.0;
    const MOST: f64 = 2.0;
    let local = |k: Kind| matches!(k, Kind::Settlement | Kind::Admin2);
    // Per distinct name: its plausible local entries with their prior
    // odds against the name's best entry.
    let mut points_of: Vec<(&str, Vec<PlausiblePoint>)> = Vec::new();
    for (&name, r) in names.iter().zip(res.iter()) {
        if points_of.iter().any(|(k, _)| *k == name) {
            continue;
        }
        let best = r
            .candidates
            .iter()
            .map(|c| c.prior + c.local)
            .fold(f64::NEG_INFINITY, f64::max);
        let points = r
            .candidates
            .iter()
            .take(TOP)
            .filter(|c| local(c.rec.kind))
            .map(|c| {
                (
                    c.rec.lat as f64,
                    c.rec.lon as f64,
                    (c.prior + c.local - best).exp(),
                )
            })
            .filter(|p| p.2 > 0.01)
            .collect();
        points_of.push((name, points));
    }
    if points_of.len() < 2 {
        return;
    }
    let near = |d: f64| {
        if d < 40.0 {
            1.0
        } else if d < 120.0 {
            0.6
        } else if d < 250.0 {
            0.25
        } else {
            0.0
        }
    };
    for (&name, r) in names.iter().zip(res.iter_mut()) {
        for c in r.candidates.iter_mut().take(TOP) {
            if !local(c.rec.kind) {
                continue;
            }
            let (clat, clon) = (c.rec.lat as f64, c.rec.lon as f64);
            let mut support = 0.0;
            for (key, points) in &points_of {
                if *key == name {
                    continue;
                }
                let lent = points
                    .iter()
                    .filter(|p| (p.0 - clat).abs() < 2.5)
                    .map(|&(lat, lon, odds)| near(distance_km(clat, clon, lat, lon)) * odds)
                    .fold(0.0, f64::max);
                support += lent;
            }
            let bonus = WEIGHT * support.min(MOST);
            if bonus > 0.0 {
                c.local += bonus;
                c.local_rule = c.local_rule.or(Some("context"));
            }
        }
    }
}

/// Sets `best` and `confidence` from the current scores.
fn pick(r: &mut Resolution) {
    if r.candidates.is_empty() {
        return;
    }
    let mut best = 0;
    for (k, c) in r.candidates.iter().enumerate() {
        if c.score() > r.candidates[best].score() {
            best = k;
        }
    }
    let top = r.candidates[best].score();
    let z: f64 = r.candidates.iter().map(|c| (c.score() - top).exp()).sum();
    r.best = best;
    r.confidence = 1.0 / z;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: PlaceId, lat: f32, lon: f32, population: u32) -> Candidate {
        let rec = Record {
            geonameid: 0,
            lat,
            lon,
            population,
            name_off: 0,
            name_len: 0,
            kind: Kind::Admin2,
            country: *b"US",
            admin1: None,
            admin2: None,
            flags: 0,
        };
        Candidate {
            id,
            rec,
            how: NameKind::Preferred,
            prior: prior(&rec, NameKind::Preferred),
            local: 0.0,
            context: 0.0,
            cue: 0.0,
            local_rule: None,
            cue_rule: None,
        }
    }

    fn resolution(candidates: Vec<Candidate>) -> Resolution {
        Resolution {
            best: 0,
            confidence: 0.0,
            rule: "prior",
            candidates,
        }
    }

    fn mention(key: &str) -> Mention {
        Mention {
            start: 0,
            end: 0,
            first_token: 0,
            end_token: 0,
            key: key.into(),
            hint: None,
            metonymy: false,
            sentence: 0,
            acronym: false,
            surface: key.into(),
        }
    }

    #[test]
    fn a_city_and_its_council_are_one_name() {
        let mentions = ["dublin city", "dublin", "city of norfolk", "kansas city"].map(mention);
        // "Kansas City" stays itself: the document says no "Kansas".
        assert_eq!(
            same_names(&mentions),
            ["dublin", "dublin", "city of norfolk", "kansas city"]
        );
    }

    #[test]
    fn neighbouring_entries_of_two_names_support_each_other() {
        // Hall County: Nebraska's and Georgia's; Forsyth County: North
        // Carolina's (bigger) and Georgia's, next to Georgia's Hall County.
        let names = ["hall county", "forsyth county"];
        let mut res = [
            resolution(vec![
                candidate(1, 40.87, -98.47, 52_807),
                candidate(2, 34.29, -83.80, 52_452),
            ]),
            resolution(vec![
                candidate(3, 36.13, -80.25, 309_119),
                candidate(4, 34.21, -84.14, 100_000),
            ]),
        ];
        support_by_nearness(&names, &mut res);
        let local = |r: &Resolution, k: usize| r.candidates[k].local;
        assert_eq!((local(&res[0], 0), local(&res[1], 0)), (0.0, 0.0));
        assert!(local(&res[0], 1) > 0.5, "{:?}", res[0].candidates[1]);
        assert!(local(&res[1], 1) > 0.3, "{:?}", res[1].candidates[1]);
        for r in res.iter_mut() {
            pick(r);
        }
        assert_eq!((res[0].best, res[1].best), (1, 1));
        // One name alone lends itself nothing.
        let mut alone = [resolution(vec![candidate(2, 34.29, -83.80, 52_452)])];
        support_by_nearness(&names[..1], &mut alone);
        assert_eq!(alone[0].candidates[0].local, 0.0);
    }
}
