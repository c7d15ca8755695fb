//! Toponym recognition and resolution (geoparsing), end to end.
//!
//! Gold: `{id, title, text, toponyms:[{start, end, name, lat, lon,
//! geonameid, feature_code}], unresolved:[…]}`; the `unresolved` toponyms
//! (no coordinates in the gold) are not scored. Predictions: the document's
//! `places` layer.
//!
//! Metrics:
//!
//! * **recognition P/R/F1** — a hit is a predicted place whose span overlaps
//!   a gold toponym's span, one-to-one: exact extents are paired first, then
//!   overlaps by decreasing overlap.
//! * **acc@161** — share of gold toponyms whose matched prediction has
//!   coordinates within 161 km (100 miles, `<=`) of the gold point. An
//!   unmatched gold toponym, or one matched to a prediction without
//!   coordinates, counts as wrong. Denominator: gold toponyms with
//!   coordinates.
//! * **AUC** of the log error, as in Gritta et al. 2019 ("A pragmatic guide
//!   to geoparsing evaluation"): every gold toponym gets an error — the
//!   great-circle distance to its matched prediction, or the maximum
//!   distance on Earth, 20,039 km, when unmatched or unresolved. The errors
//!   are scaled to `ln(1 + km) / ln(20039)`, sorted ascending, and the area
//!   under that curve is taken with the trapezoidal rule over unit steps and
//!   divided by `n − 1` (so it lies in 0..≈1). **Lower is better**: 0 means
//!   every toponym found and placed exactly.
//! * **mean and median error (km)** over matched pairs where both sides have
//!   coordinates (so they describe resolution quality only; the count says
//!   how many pairs).
//!
//! * **… excl. adjectives** — the same recall and acc@161 over the gold
//!   toponyms that are not nationality adjectives or plurals ("American",
//!   "Russians", as listed in `data/lexicons/demonyms.tsv`). Some corpora
//!   (LGL) tag them as toponyms; sitrep deliberately does not put them in
//!   the places layer ("the Russian forces" names no place), so both figures
//!   are shown.
//!
//! Distances are haversine on a sphere of radius 6371.0088 km (the IUGG
//! mean Earth radius).

use serde::Deserialize;
use sitrep_core::Doc;

use crate::align::align_spans;
use crate::prf::Prf;
use crate::report::{Count, Report, Unit};
use crate::{EvalInput, GoldRecord, Scorer};

/// Mean Earth radius (IUGG), km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The error assigned to unmatched or unresolved toponyms in the AUC, and
/// its normaliser: half the Earth's circumference, km (Gritta et al.).
pub const MAX_ERROR_KM: f64 = 20039.0;

/// The accuracy threshold: 161 km (100 miles).
pub const ACC_KM: f64 = 161.0;

/// Great-circle distance in km between two WGS84 points given in degrees
/// (haversine, sphere of radius [`EARTH_RADIUS_KM`]).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// One gold toponym.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Toponym {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Gazetteer name.
    #[serde(default)]
    pub name: Option<String>,
    /// Latitude, degrees.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude, degrees.
    #[serde(default)]
    pub lon: Option<f64>,
    /// GeoNames id.
    #[serde(default)]
    pub geonameid: Option<u64>,
    /// GeoNames feature code.
    #[serde(default)]
    pub feature_code: Option<String>,
}

/// One line of a places gold file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PlacesGold {
    /// Document id.
    pub id: String,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Text the offsets point into.
    pub text: String,
    /// Gold toponyms.
    pub toponyms: Vec<Toponym>,
}

impl GoldRecord for PlacesGold {
    fn input(&self) -> EvalInput {
        EvalInput {
            id: self.id.clone(),
            text: self.text.clone(),
            published: None,
            title: self.title.clone(),
        }
    }
}

/// Accumulates places metrics; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct PlacesScorer {
    docs: u64,
    recognition: Prf,
    /// Gold toponyms with coordinates.
    gold_with_coords: u64,
    /// Of those, placed within 161 km.
    within: u64,
    /// Error per gold toponym with coordinates (MAX_ERROR_KM when unmatched
    /// or unresolved), for the AUC.
    auc_errors: Vec<f64>,
    /// Error per matched pair with coordinates on both sides.
    pair_errors: Vec<f64>,
    /// Gold toponyms with coordinates that are not adjectives.
    gold_nominal: u64,
    /// Of those, matched by a prediction.
    found_nominal: u64,
    /// Of those, placed within 161 km.
    within_nominal: u64,
}

/// The nationality adjectives the places layer leaves out by design.
const DEMONYMS_TSV: &str = include_str!("../../../data/lexicons/demonyms.tsv");

fn is_adjective(text: &str) -> bool {
    use std::sync::OnceLock;
    static SET: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        let mut s = std::collections::HashSet::new();
        for line in DEMONYMS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let w = line.split('\t').next().unwrap_or("").trim().to_lowercase();
            s.insert(format!("{w}s"));
            s.insert(w);
        }
        s
    });
    set.contains(&text.to_lowercase())
}

impl Scorer for PlacesScorer {
    type Gold = PlacesGold;

    fn add(&mut self, gold: &PlacesGold, predicted: &Doc) {
        self.docs += 1;
        let g: Vec<(usize, usize)> = gold.toponyms.iter().map(|t| (t.start, t.end)).collect();
        let p: Vec<(usize, usize)> = predicted.places.iter().map(|t| (t.start, t.end)).collect();
        let pairs = align_spans(&g, &p);
        self.recognition += Prf::new(pairs.len() as u64, g.len() as u64, p.len() as u64);
        let mut matched: Vec<Option<usize>> = vec![None; g.len()];
        for &(gi, pi) in &pairs {
            matched[gi] = Some(pi);
        }
        for (t, m) in gold.toponyms.iter().zip(matched) {
            let (Some(glat), Some(glon)) = (t.lat, t.lon) else {
                continue;
            };
            self.gold_with_coords += 1;
            let surface = if t.start <= t.end && t.end <= predicted.len_chars() {
                predicted.slice(t.start, t.end)
            } else {
                ""
            };
            let nominal = !is_adjective(surface);
            if nominal {
                self.gold_nominal += 1;
                self.found_nominal += u64::from(m.is_some());
            }
            let err = m
                .map(|pi| &predicted.places[pi])
                .and_then(|pl| Some(haversine_km(glat, glon, pl.lat?, pl.lon?)));
            match err {
                Some(km) => {
                    if km <= ACC_KM {
                        self.within += 1;
                        self.within_nominal += u64::from(nominal);
                    }
                    self.pair_errors.push(km);
                    self.auc_errors.push(km);
                }
                None => self.auc_errors.push(MAX_ERROR_KM),
            }
        }
    }

    fn report(&self) -> Report {
        let mut r = Report::new("places");
        r.push_prf("recognition", &self.recognition);
        r.push_ratio("acc@161km", self.within, self.gold_with_coords);
        r.push_ratio(
            "recognition R excl. adjectives",
            self.found_nominal,
            self.gold_nominal,
        );
        r.push_ratio(
            "acc@161km excl. adjectives",
            self.within_nominal,
            self.gold_nominal,
        );
        let n_all = self.auc_errors.len() as u64;
        r.push(
            "AUC log error (lower is better)",
            auc(&self.auc_errors),
            Unit::Score,
            Some(Count {
                hits: n_all,
                total: n_all,
            }),
        );
        let n = self.pair_errors.len() as u64;
        let count = Some(Count { hits: n, total: n });
        r.push("mean error", mean(&self.pair_errors), Unit::Km, count);
        r.push("median error", median(&self.pair_errors), Unit::Km, count);
        r.push_count("gold toponyms", self.recognition.gold);
        r.push_count("predicted places", self.recognition.pred);
        r.push_count("documents", self.docs);
        r
    }
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Gritta et al.'s AUC of sorted, log-scaled errors (km); 0 for no errors,
/// the single scaled error for one.
pub fn auc(errors_km: &[f64]) -> f64 {
    let norm = MAX_ERROR_KM.ln();
    let mut y: Vec<f64> = errors_km
        .iter()
        .map(|e| (1.0 + e.max(0.0)).ln() / norm)
        .collect();
    y.sort_by(f64::total_cmp);
    match y.len() {
        0 => 0.0,
        1 => y[0],
        n => {
            let area: f64 = y.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
            area / (n - 1) as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::{Place, PlaceKind};

    fn place(doc: &Doc, start: usize, end: usize, coords: Option<(f64, f64)>) -> Place {
        Place {
            start,
            end,
            text: doc.slice(start, end).to_string(),
            by: "test".into(),
            name: None,
            country: None,
            admin1: None,
            admin2: None,
            feature: None,
            lat: coords.map(|c| c.0),
            lon: coords.map(|c| c.1),
            kind: PlaceKind::Settlement,
            gazetteer_id: None,
            confidence: 1.0,
            metonymy: false,
            relations: Vec::new(),
        }
    }

    fn gold(line: &str) -> PlacesGold {
        crate::parse_line(line).unwrap()
    }

    #[test]
    fn haversine_known_distances() {
        // one degree of longitude on the equator
        let d = haversine_km(0.0, 0.0, 0.0, 1.0);
        assert!((d - 111.195).abs() < 0.01, "{d}");
        // antipodes: half the circumference
        let d = haversine_km(0.0, 0.0, 0.0, 180.0);
        assert!((d - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
        assert_eq!(haversine_km(50.45, 30.52, 50.45, 30.52), 0.0);
    }

    #[test]
    fn auc_arithmetic() {
        assert_eq!(auc(&[]), 0.0);
        assert_eq!(auc(&[0.0, 0.0, 0.0]), 0.0);
        // two errors: trapezoid of the two scaled values over one step
        let e = [MAX_ERROR_KM - 1.0, 0.0];
        assert!((auc(&e) - 0.5).abs() < 1e-12, "{}", auc(&e));
        // three errors 0, x, max: ((0+y)/2 + (y+1)/2) / 2 = (2y + 1) / 4
        let x: f64 = 99.0;
        let y = 100f64.ln() / MAX_ERROR_KM.ln();
        let got = auc(&[MAX_ERROR_KM - 1.0, x, 0.0]);
        assert!((got - (2.0 * y + 1.0) / 4.0).abs() < 1e-12, "{got}");
    }

    #[test]
    fn adjectives_are_counted_apart() {
        // Invented: "Russian troops left Kyiv."
        let g = gold(
            r#"{"id": "p2", "text": "Russian troops left Kyiv.",
                "toponyms": [
                  {"start": 0, "end": 7, "name": "Russian", "lat": 60.0, "lon": 100.0},
                  {"start": 20, "end": 24, "name": "Kyiv", "lat": 50.45, "lon": 30.52}],
                "unresolved": []}"#,
        );
        let mut doc = g.input().to_doc();
        doc.places = vec![place(&doc, 20, 24, Some((50.45, 30.52)))];
        let mut s = PlacesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.value("acc@161km"), Some(0.5));
        assert_eq!(r.value("acc@161km excl. adjectives"), Some(1.0));
        assert_eq!(r.value("recognition R excl. adjectives"), Some(1.0));
    }

    #[test]
    fn recognition_and_resolution() {
        // Invented: "Lviv and Odesa and Kharkiv were quiet."
        let g = gold(
            r#"{"id": "p1", "text": "Lviv and Odesa and Kharkiv were quiet.",
                "toponyms": [
                  {"start": 0, "end": 4, "name": "Lviv", "lat": 49.84, "lon": 24.03},
                  {"start": 9, "end": 14, "name": "Odesa", "lat": 46.48, "lon": 30.72},
                  {"start": 19, "end": 26, "name": "Kharkiv", "lat": 50.0, "lon": 36.23}],
                "unresolved": [], "extra": 1}"#,
        );
        let mut doc = g.input().to_doc();
        // Lviv exact and right; "Odesa and" overlapping, placed 1 degree of
        // latitude (~111 km) off; "were" spurious; Kharkiv missed.
        let lviv = place(&doc, 0, 4, Some((49.84, 24.03)));
        let odesa = place(&doc, 9, 18, Some((47.48, 30.72)));
        let were = place(&doc, 27, 31, None);
        doc.places = vec![lviv, odesa, were];
        let mut s = PlacesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.value("recognition P"), Some(2.0 / 3.0));
        assert_eq!(r.value("recognition R"), Some(2.0 / 3.0));
        assert_eq!(r.value("acc@161km"), Some(2.0 / 3.0));
        let odesa_km = haversine_km(46.48, 30.72, 47.48, 30.72);
        assert!((odesa_km - 111.2).abs() < 0.1);
        assert!((r.value("mean error").unwrap() - odesa_km / 2.0).abs() < 1e-9);
        assert!((r.value("median error").unwrap() - odesa_km / 2.0).abs() < 1e-9);
        assert_eq!(r.get("mean error").unwrap().count.unwrap().total, 2);
        let want_auc = auc(&[0.0, odesa_km, MAX_ERROR_KM]);
        assert_eq!(r.value("AUC log error (lower is better)"), Some(want_auc));
        assert_eq!(r.value("gold toponyms"), Some(3.0));
        assert_eq!(r.value("predicted places"), Some(3.0));
    }

    #[test]
    fn unresolved_prediction_counts_as_wrong_and_far() {
        let g = gold(
            r#"{"id": "p2", "text": "Near Avdiivka.",
                "toponyms": [{"start": 5, "end": 13, "lat": 48.14, "lon": 37.74}]}"#,
        );
        let mut doc = g.input().to_doc();
        doc.places = vec![place(&doc, 5, 13, None)];
        let mut s = PlacesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.value("recognition F1"), Some(1.0));
        assert_eq!(r.value("acc@161km"), Some(0.0));
        assert_eq!(r.value("mean error"), Some(0.0));
        assert_eq!(r.get("mean error").unwrap().count.unwrap().total, 0);
        let a = r.value("AUC log error (lower is better)").unwrap();
        assert!((a - (1.0 + MAX_ERROR_KM).ln() / MAX_ERROR_KM.ln()).abs() < 1e-12);
    }

    #[test]
    fn no_predictions_gives_zeros_not_nan() {
        let g = gold(
            r#"{"id": "p3", "text": "In Kherson.",
                "toponyms": [{"start": 3, "end": 10, "lat": 46.63, "lon": 32.61}]}"#,
        );
        let doc = g.input().to_doc();
        let mut s = PlacesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        for m in &r.metrics {
            assert!(!m.value.is_nan(), "{}", m.name);
        }
        assert_eq!(r.value("recognition P"), Some(0.0));
        assert_eq!(r.value("recognition F1"), Some(0.0));
        assert_eq!(r.value("acc@161km"), Some(0.0));
        assert_eq!(r.value("documents"), Some(1.0));
    }

    #[test]
    fn one_prediction_cannot_hit_two_toponyms() {
        let g = gold(
            r#"{"id": "p4", "text": "Kramatorsk Sloviansk",
                "toponyms": [{"start": 0, "end": 10, "lat": 48.72, "lon": 37.56},
                             {"start": 11, "end": 20, "lat": 48.85, "lon": 37.6}]}"#,
        );
        let mut doc = g.input().to_doc();
        doc.places = vec![place(&doc, 0, 20, Some((48.85, 37.6)))];
        let mut s = PlacesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.value("recognition R"), Some(0.5));
        assert_eq!(r.value("recognition P"), Some(1.0));
        // the larger overlap (10 vs 9 code points) is Kramatorsk, ~15 km away
        assert_eq!(r.value("acc@161km"), Some(0.5));
        let e = r.value("mean error").unwrap();
        assert!(e > 10.0 && e < 20.0, "{e}");
    }
}
