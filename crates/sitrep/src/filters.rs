//! Event filters as command-line options, shared by `sitrep export` and
//! `sitrep query events`, and their two readings: over a document's events
//! (export from extract output) and as a store query
//! ([`sitrep_store::query::EventFilter`]).

use clap::Args;
use sitrep_core::{Actor, Date, Doc, Event};
use sitrep_gazetteer::Gazetteer;

/// The event filters both commands take.
#[derive(Debug, Clone, Default, Args)]
pub struct EventFilterArgs {
    /// Only events on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::extract::parse_date)]
    pub from: Option<Date>,
    /// Only events on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::extract::parse_date)]
    pub to: Option<Date>,
    /// Only events whose place or one of whose actors is of this country
    /// (ISO 3166 alpha-2 or alpha-3: UA or UKR).
    #[arg(long)]
    pub country: Option<String>,
    /// Only events whose CAMEO code starts with this ("19", "173").
    #[arg(long, value_parser = parse_code)]
    pub code: Option<String>,
    /// Only documents from this publisher (URL host, as the store's
    /// `source`).
    #[arg(long)]
    pub source: Option<String>,
    /// Only events placed inside min_lon,min_lat,max_lon,max_lat.
    #[arg(long, value_parser = parse_bbox)]
    pub bbox: Option<[f64; 4]>,
}

/// A CAMEO code prefix: one to four digits.
pub fn parse_code(s: &str) -> Result<String, String> {
    if (1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "CAMEO code {s:?}: expected 1 to 4 digits (\"19\", \"173\")"
        ))
    }
}

/// A bounding box `min_lon,min_lat,max_lon,max_lat`.
pub fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("bbox {s:?}: {e}"))?;
    match v[..] {
        [a, b, c, d]
            if a <= c
                && b <= d
                && (-180.0..=180.0).contains(&a)
                && (-90.0..=90.0).contains(&b)
                && (-180.0..=180.0).contains(&c)
                && (-90.0..=90.0).contains(&d) =>
        {
            Ok([a, b, c, d])
        }
        _ => Err(format!(
            "bbox {s:?}: expected min_lon,min_lat,max_lon,max_lat within -180..180, -90..90"
        )),
    }
}

/// The codes a country is written with in events: the given code, upper
/// case, and with a gazetteer its other form (alpha-2 ↔ alpha-3), since
/// places carry alpha-2 and actors alpha-3.
pub fn country_codes(country: &str, gazetteer: Option<&Gazetteer>) -> Vec<String> {
    let code = country.trim().to_ascii_uppercase();
    let mut out = vec![code.clone()];
    if let Some(g) = gazetteer {
        let alpha3 = &g.meta().alpha3;
        match code.len() {
            2 => out.extend(alpha3.get(&code).cloned()),
            3 => out.extend(
                alpha3
                    .iter()
                    .filter(|(_, a3)| **a3 == code)
                    .map(|(a2, _)| a2.clone()),
            ),
            _ => {}
        }
    }
    out
}

impl EventFilterArgs {
    /// Whether any filter is set.
    pub fn any(&self) -> bool {
        self.from.is_some()
            || self.to.is_some()
            || self.code.is_some()
            || self.country.is_some()
            || self.source.is_some()
            || self.bbox.is_some()
    }

    /// Whether an event of `doc` passes; `countries` as
    /// [`country_codes`] gives them for `self.country`.
    pub fn keeps(&self, countries: &[String], doc: &Doc, e: &Event) -> bool {
        let date = e.date.as_ref().map(|d| d.value.as_str()).unwrap_or("");
        let day_precise = e.date.as_ref().is_some_and(|d| d.precision == "day");
        if let Some(from) = self.from {
            if !day_precise || date.get(..10).is_none_or(|d| d < from.to_string().as_str()) {
                return false;
            }
        }
        if let Some(to) = self.to {
            if !day_precise || date.get(..10).is_none_or(|d| d > to.to_string().as_str()) {
                return false;
            }
        }
        if let Some(code) = &self.code {
            if !e.cameo.starts_with(code.as_str()) {
                return false;
            }
        }
        if self.country.is_some() {
            let place = e.place.as_ref().and_then(|p| p.country.as_deref());
            fn actor(a: Option<&Actor>) -> Option<&str> {
                a.and_then(|a| a.country.as_deref())
            }
            let matches = |x: Option<&str>| x.is_some_and(|x| countries.iter().any(|c| c == x));
            if !(matches(place)
                || matches(actor(e.source.as_ref()))
                || matches(actor(e.target.as_ref())))
            {
                return false;
            }
        }
        if let Some(src) = &self.source {
            if sitrep_store::source_of(doc.url.as_deref()) != src.to_ascii_lowercase() {
                return false;
            }
        }
        if let Some([x0, y0, x1, y1]) = self.bbox {
            match e.place.as_ref().and_then(|p| p.lat.zip(p.lon)) {
                Some((lat, lon)) if lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1 => {}
                _ => return false,
            }
        }
        true
    }

    /// Whether a document passes the filters that apply to it as a whole:
    /// the publisher, and the publication day against `--from`/`--to`.
    pub fn keeps_document(&self, doc: &Doc) -> bool {
        if let Some(src) = &self.source {
            if sitrep_store::source_of(doc.url.as_deref()) != src.to_ascii_lowercase() {
                return false;
            }
        }
        match doc.published {
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
            None => self.from.is_none() && self.to.is_none(),
        }
    }

    /// Whether a place passes `--country` (its alpha-2 country among
    /// `countries`) and `--bbox`.
    pub fn keeps_point(
        &self,
        countries: &[String],
        country: Option<&str>,
        lat: f64,
        lon: f64,
    ) -> bool {
        if self.country.is_some() && !country.is_some_and(|c| countries.iter().any(|x| x == c)) {
            return false;
        }
        match self.bbox {
            Some([x0, y0, x1, y1]) => lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1,
            None => true,
        }
    }

    /// The same filters as a store query.
    pub fn to_store(&self, gazetteer: Option<&Gazetteer>) -> sitrep_store::query::EventFilter {
        sitrep_store::query::EventFilter {
            from: self.from.map(|d| d.to_string()),
            to: self.to.map(|d| d.to_string()),
            bbox: self.bbox,
            countries: self
                .country
                .as_deref()
                .map(|c| country_codes(c, gazetteer))
                .unwrap_or_default(),
            cameo: self.code.clone(),
            source: self.source.clone(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_boxes_are_checked() {
        assert!(parse_code("19").is_ok() && parse_code("0874").is_ok());
        assert!(parse_code("19'; DROP").is_err() && parse_code("").is_err());
        assert!(parse_bbox("22,44,41,53").is_ok());
        assert!(parse_bbox("41,44,22,53").is_err());
        assert!(parse_bbox("22,44,41").is_err());
        assert!(parse_bbox("22,44,410,53").is_err());
    }

    #[test]
    fn without_a_gazetteer_a_country_is_its_own_code() {
        assert_eq!(country_codes("ua", None), vec!["UA".to_string()]);
    }
}
