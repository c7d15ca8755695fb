//! Query parameters: each endpoint names the ones it takes; anything else,
//! a repeated parameter or a value of the wrong shape is a 400 naming the
//! parameter. Values only ever reach the store as bound SQL parameters.

use std::collections::BTreeMap;

use sitrep_core::Date;
use sitrep_store::query::{EventFilter, EventSort, Near};

use super::error::ApiError;

/// Longest text value accepted (a search query, a name).
const MAX_TEXT: usize = 500;
/// Furthest page start accepted.
const MAX_OFFSET: usize = 10_000_000;

/// The event filter parameters, shared by every event endpoint and the
/// exports.
pub const EVENT_FILTERS: &[&str] = &[
    "from",
    "to",
    "bbox",
    "near",
    "km",
    "country",
    "actor",
    "cameo",
    "plover",
    "acled",
    "source",
    "q",
    "modality",
    "cluster",
    "article",
    "originals",
];

/// Parsed query parameters.
#[derive(Debug, Default)]
pub struct Params {
    values: BTreeMap<String, String>,
}

impl Params {
    /// Checks `pairs` against the names an endpoint `allowed`.
    pub fn new(pairs: Vec<(String, String)>, allowed: &[&[&str]]) -> Result<Params, ApiError> {
        let mut values = BTreeMap::new();
        for (k, v) in pairs {
            if !allowed.iter().any(|set| set.contains(&k.as_str())) {
                let mut names: Vec<&str> = allowed.iter().flat_map(|s| s.iter().copied()).collect();
                names.sort_unstable();
                return Err(ApiError::param(
                    &k.chars().take(40).collect::<String>(),
                    format!(
                        "unknown parameter; this endpoint takes {}",
                        names.join(", ")
                    ),
                ));
            }
            if v.chars().count() > MAX_TEXT {
                return Err(ApiError::param(
                    &k,
                    format!("longer than {MAX_TEXT} characters"),
                ));
            }
            if values.insert(k.clone(), v).is_some() {
                return Err(ApiError::param(&k, "given more than once"));
            }
        }
        Ok(Params { values })
    }

    /// A parameter's raw value (empty values count as absent).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    /// A text value.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// A day, `YYYY-MM-DD`.
    pub fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        self.get(name)
            .map(|v| {
                v.parse::<Date>()
                    .map(|d| d.to_string())
                    .map_err(|e| ApiError::param(name, format!("{v:?}: {e} (want YYYY-MM-DD)")))
            })
            .transpose()
    }

    /// A boolean: true/false/1/0.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(v) => Err(ApiError::param(name, format!("{v:?}: want true or false"))),
        }
    }

    /// An integer within `lo..=hi`.
    pub fn int(&self, name: &str, lo: i64, hi: i64) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|v| match v.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(n),
                _ => Err(ApiError::param(
                    name,
                    format!("{v:?}: want a whole number from {lo} to {hi}"),
                )),
            })
            .transpose()
    }

    /// A finite number within `lo..=hi`.
    pub fn number(&self, name: &str, lo: f64, hi: f64) -> Result<Option<f64>, ApiError> {
        self.get(name)
            .map(|v| match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= lo && x <= hi => Ok(x),
                _ => Err(ApiError::param(
                    name,
                    format!("{v:?}: want a number from {lo} to {hi}"),
                )),
            })
            .transpose()
    }

    /// `limit` (default `default`, at most `max`) and `offset`.
    pub fn page(&self, default: usize, max: usize) -> Result<(usize, usize), ApiError> {
        let limit = self
            .int("limit", 1, max as i64)?
            .map_or(default, |n| n as usize);
        let offset = self.int("offset", 0, MAX_OFFSET as i64)?.unwrap_or(0) as usize;
        Ok((limit, offset))
    }

    /// A value made of letters, digits and `extra` characters only.
    pub fn word(
        &self,
        name: &str,
        max_len: usize,
        extra: &str,
    ) -> Result<Option<String>, ApiError> {
        self.get(name)
            .map(|v| {
                if v.len() <= max_len
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
                {
                    Ok(v.to_string())
                } else {
                    Err(ApiError::param(
                        name,
                        format!("{v:?}: want at most {max_len} letters or digits"),
                    ))
                }
            })
            .transpose()
    }

    /// The event filter of `EVENT_FILTERS`; `countries` turns a country
    /// code into the codes events carry (alpha-2 and alpha-3).
    pub fn event_filter(
        &self,
        countries: impl Fn(&str) -> Vec<String>,
    ) -> Result<EventFilter, ApiError> {
        let bbox = self
            .get("bbox")
            .map(|v| crate::filters::parse_bbox(v).map_err(|e| ApiError::param("bbox", e)))
            .transpose()?;
        let near = match self.get("near") {
            None => {
                if self.get("km").is_some() {
                    return Err(ApiError::param("km", "needs near=LAT,LON"));
                }
                None
            }
            Some(v) => {
                let point = v.split_once(',').and_then(|(a, b)| {
                    let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
                    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
                        .then_some((lat, lon))
                });
                let Some((lat, lon)) = point else {
                    return Err(ApiError::param("near", format!("{v:?}: want LAT,LON")));
                };
                let km = self.number("km", 0.001, 20_000.0)?.unwrap_or(50.0);
                Some(Near { lat, lon, km })
            }
        };
        let cameo = self
            .get("cameo")
            .map(|v| crate::filters::parse_code(v).map_err(|e| ApiError::param("cameo", e)))
            .transpose()?;
        let country = self.word("country", 3, "")?;
        let modality = match self.get("modality") {
            None => None,
            Some(m @ ("asserted" | "reported" | "negated" | "conditional" | "intended")) => {
                Some(m.to_string())
            }
            Some(v) => {
                return Err(ApiError::param(
                    "modality",
                    format!("{v:?}: want asserted, reported, negated, conditional or intended"),
                ))
            }
        };
        Ok(EventFilter {
            from: self.date("from")?,
            to: self.date("to")?,
            bbox,
            near,
            countries: country.map(|c| countries(&c)).unwrap_or_default(),
            actor: self.text("actor"),
            cameo,
            plover: self.word("plover", 24, "_-")?,
            acled: self.text("acled"),
            source: self.word("source", 253, ".-_:")?,
            text: self.text("q"),
            modality,
            cluster: self.int("cluster", 0, i64::MAX)?,
            article: self.int("article", 0, i64::MAX)?,
            originals: self.flag("originals")?,
        })
    }

    /// `sort` for events.
    pub fn event_sort(&self) -> Result<EventSort, ApiError> {
        Ok(match self.get("sort") {
            None | Some("date") => EventSort::DateDesc,
            Some("date-asc") => EventSort::DateAsc,
            Some("sources") => EventSort::Sources,
            Some("confidence") => EventSort::Confidence,
            Some(v) => {
                return Err(ApiError::param(
                    "sort",
                    format!("{v:?}: want date, date-asc, sources or confidence"),
                ))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)], allowed: &[&str]) -> Result<Params, ApiError> {
        Params::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            &[allowed],
        )
    }

    #[test]
    fn unknown_repeated_and_malformed_parameters_are_named() {
        let e = p(&[("nope", "1")], &["limit"]).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("nope"));
        let e = p(&[("limit", "1"), ("limit", "2")], &["limit"]).unwrap_err();
        assert!(e.message.contains("more than once"));
        let q = p(&[("limit", "5000")], &["limit", "offset"]).unwrap();
        assert!(q.page(100, 1000).is_err());
        let q = p(&[("from", "2023-02-30")], EVENT_FILTERS).unwrap();
        assert_eq!(
            q.event_filter(|c| vec![c.into()])
                .unwrap_err()
                .parameter
                .as_deref(),
            Some("from")
        );
        let q = p(&[("cameo", "19' OR 1=1")], EVENT_FILTERS).unwrap();
        assert!(q.event_filter(|c| vec![c.into()]).is_err());
        let q = p(&[("near", "48.6,38.0"), ("km", "30")], EVENT_FILTERS).unwrap();
        let f = q.event_filter(|c| vec![c.into()]).unwrap();
        assert_eq!(f.near.map(|n| n.km), Some(30.0));
        let q = p(&[("km", "30")], EVENT_FILTERS).unwrap();
        assert!(q.event_filter(|c| vec![c.into()]).is_err());
    }
}
