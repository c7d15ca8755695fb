//! Quality floors: the lowest score each landed layer may fall to.
//!
//! The floors file (`eval/floors.tsv`) has one line per guarded metric:
//! `GOLD-FILE-STEM <TAB> METRIC <TAB> FLOOR`, `#` comments allowed. CI runs
//! `sitrep eval auto ../shared/eval/*.jsonl --floors eval/floors.tsv` and
//! fails when a metric is below its floor. Floors are raised as layers
//! improve and never lowered silently: lowering one is a reviewed commit.

/// One floor.
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    /// Gold file name without directory and `.jsonl` ("time_tbaq").
    pub gold: String,
    /// Metric name as the report prints it ("value F1").
    pub metric: String,
    /// Lowest acceptable value.
    pub floor: f64,
}

/// Parses a floors file; errors name the line.
pub fn parse(text: &str) -> Result<Vec<Floor>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').map(str::trim).collect();
        let [gold, metric, floor] = parts[..] else {
            return Err(format!(
                "line {}: expected GOLD<TAB>METRIC<TAB>FLOOR",
                i + 1
            ));
        };
        let floor: f64 = floor
            .parse()
            .map_err(|_| format!("line {}: floor {floor:?} is not a number", i + 1))?;
        out.push(Floor {
            gold: gold.to_string(),
            metric: metric.to_string(),
            floor,
        });
    }
    Ok(out)
}

/// Checks measured `(gold, metric, value)` figures against the floors.
/// Returns one message per violation; a floor whose gold file was not
/// evaluated is a violation too (a gate that silently skips is no gate).
pub fn check(floors: &[Floor], measured: &[(String, String, f64)]) -> Vec<String> {
    let mut problems = Vec::new();
    for f in floors {
        match measured
            .iter()
            .find(|(g, m, _)| *g == f.gold && *m == f.metric)
        {
            None => problems.push(format!(
                "{} {}: floor {} recorded but the metric was not measured",
                f.gold, f.metric, f.floor
            )),
            Some((_, _, v)) if *v + 1e-9 < f.floor => problems.push(format!(
                "{} {}: {:.4} is below the floor {:.4}",
                f.gold, f.metric, v, f.floor
            )),
            Some(_) => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_check() {
        let floors = parse("# c\ntime_tbaq\tvalue F1\t0.5\n\ngeo_lgl\tacc161\t0.25\n").unwrap();
        assert_eq!(floors.len(), 2);
        let ok = vec![
            ("time_tbaq".to_string(), "value F1".to_string(), 0.61),
            ("geo_lgl".to_string(), "acc161".to_string(), 0.25),
        ];
        assert!(check(&floors, &ok).is_empty());
        let low = vec![("time_tbaq".to_string(), "value F1".to_string(), 0.49)];
        let problems = check(&floors, &low);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("below the floor"));
        assert!(problems[1].contains("not measured"));
        assert!(parse("a\tb\n").unwrap_err().contains("line 1"));
        assert!(parse("a\tb\tx\n").unwrap_err().contains("not a number"));
    }
}
