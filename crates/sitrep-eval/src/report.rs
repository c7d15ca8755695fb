//! [`Report`]: the named figures one scorer produces, as a table or JSON.

use std::fmt::Write as _;

use serde::Serialize;

use crate::prf::{ratio, Prf};

/// How a metric's value is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A share in 0..=1 computed as `hits / total` (precision, recall, F1,
    /// accuracy).
    Ratio,
    /// A score in 0..=1 that is not a ratio of counts (the places AUC).
    Score,
    /// Kilometres.
    Km,
    /// A plain count.
    Count,
}

/// The counts behind a ratio: `value == hits / total` (0 when `total` is 0).
///
/// For an F1 the counts are `2·tp` over `gold + pred`, which is the F1
/// exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Numerator.
    pub hits: u64,
    /// Denominator.
    pub total: u64,
}

/// One named figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// Name, e.g. `"value F1"`.
    pub name: String,
    /// The figure. Never NaN: empty denominators give 0 (see `count`).
    pub value: f64,
    /// How to read `value`.
    pub unit: Unit,
    /// The counts behind a ratio, or the sample size behind a score, mean or
    /// median (`hits == total == n`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<Count>,
}

/// The figures one scorer produced over one gold file, headline first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Layer scored, e.g. `"times"` or `"events (CAMEO)"`.
    pub layer: String,
    /// Label of the gold file (usually its path); empty until the caller
    /// sets it with [`Report::with_gold`].
    pub gold: String,
    /// Metrics in display order; the first is the headline.
    pub metrics: Vec<Metric>,
}

impl Report {
    /// An empty report for `layer`.
    pub fn new(layer: impl Into<String>) -> Report {
        Report {
            layer: layer.into(),
            gold: String::new(),
            metrics: Vec::new(),
        }
    }

    /// Sets the gold file label.
    pub fn with_gold(mut self, gold: impl Into<String>) -> Report {
        self.gold = gold.into();
        self
    }

    /// The metric called `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }

    /// The value of the metric called `name`, if any.
    pub fn value(&self, name: &str) -> Option<f64> {
        self.get(name).map(|m| m.value)
    }

    /// The first metric, the one to quote.
    pub fn headline(&self) -> Option<&Metric> {
        self.metrics.first()
    }

    /// Appends a metric.
    pub fn push(&mut self, name: impl Into<String>, value: f64, unit: Unit, count: Option<Count>) {
        self.metrics.push(Metric {
            name: name.into(),
            value,
            unit,
            count,
        });
    }

    /// Appends the ratio `hits / total` (0 when `total` is 0).
    pub fn push_ratio(&mut self, name: impl Into<String>, hits: u64, total: u64) {
        self.push(
            name,
            ratio(hits, total),
            Unit::Ratio,
            Some(Count { hits, total }),
        );
    }

    /// Appends a plain count.
    pub fn push_count(&mut self, name: impl Into<String>, n: u64) {
        self.push(name, n as f64, Unit::Count, None);
    }

    /// Appends `"{prefix} F1"`, `"{prefix} P"` and `"{prefix} R"`, in that
    /// order (F1 first, so a group's headline leads).
    pub fn push_prf(&mut self, prefix: &str, prf: &Prf) {
        self.push_ratio(format!("{prefix} F1"), 2 * prf.tp, prf.gold + prf.pred);
        self.push_ratio(format!("{prefix} P"), prf.tp, prf.pred);
        self.push_ratio(format!("{prefix} R"), prf.tp, prf.gold);
    }

    /// The report as an aligned plain-text table: a title line, then one
    /// row per metric with its value and, for ratios, `hits/total`.
    pub fn to_table(&self) -> String {
        let rows: Vec<(String, String, String)> = self
            .metrics
            .iter()
            .map(|m| {
                let value = match m.unit {
                    Unit::Ratio | Unit::Score => format!("{:.4}", m.value),
                    Unit::Km => format!("{:.1} km", m.value),
                    Unit::Count => format!("{}", m.value),
                };
                let count = match (m.unit, m.count) {
                    (Unit::Ratio, Some(c)) => format!("{}/{}", c.hits, c.total),
                    (_, Some(c)) => format!("n={}", c.total),
                    (_, None) => String::new(),
                };
                (m.name.clone(), value, count)
            })
            .collect();
        let w0 = rows
            .iter()
            .map(|r| r.0.chars().count())
            .max()
            .unwrap_or(0)
            .max("metric".len());
        let w1 = rows
            .iter()
            .map(|r| r.1.chars().count())
            .max()
            .unwrap_or(0)
            .max("value".len());
        let mut out = String::new();
        if self.gold.is_empty() {
            let _ = writeln!(out, "{}", self.layer);
        } else {
            let _ = writeln!(out, "{} — {}", self.layer, self.gold);
        }
        let _ = writeln!(out, "{:<w0$}  {:>w1$}  count", "metric", "value");
        for (name, value, count) in rows {
            let line = format!("{name:<w0$}  {value:>w1$}  {count}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_aligned_and_json_has_no_nan() {
        let mut r = Report::new("times").with_gold("gold.jsonl");
        r.push_prf("value", &Prf::new(1, 2, 1));
        r.push_prf("empty", &Prf::new(0, 2, 0));
        r.push(
            "mean error",
            12.345,
            Unit::Km,
            Some(Count { hits: 3, total: 3 }),
        );
        r.push_count("documents", 7);
        let t = r.to_table();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 2 + 8, "{t}");
        assert_eq!(lines[0], "times — gold.jsonl");
        assert!(lines[1].starts_with("metric "));
        assert!(lines[2].starts_with("value F1  "), "{t}");
        assert!(lines[2].ends_with("0.6667  2/3"), "F1 = 2·1/(2+1): {t}");
        assert!(lines[3].ends_with("1.0000  1/1"), "{t}");
        assert!(lines[4].ends_with("0.5000  1/2"), "{t}");
        assert!(
            lines[6].ends_with("0.0000  0/0"),
            "P with no predictions: {t}"
        );
        assert!(lines[8].ends_with("12.3 km  n=3"), "{t}");
        assert!(lines[9].starts_with("documents ") && lines[9].ends_with(" 7"));
        // every value ends in the column where the header's "value" ends
        let value_end = lines[1].find("value").unwrap() + "value".len();
        for l in &lines[2..] {
            let (head, tail) = l.split_at(value_end);
            assert!(!head.ends_with(' '), "{l:?} in\n{t}");
            assert!(tail.is_empty() || tail.starts_with("  "), "{l:?} in\n{t}");
        }
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("null") && !json.contains("NaN"), "{json}");
        assert!(json.contains("\"unit\":\"ratio\""));
        assert!(
            json.contains("\"count\":{\"hits\":2,\"total\":3}"),
            "{json}"
        );
        assert_eq!(r.headline().unwrap().name, "value F1");
        assert_eq!(r.value("value R"), Some(0.5));
        assert_eq!(r.value("missing"), None);
    }
}
