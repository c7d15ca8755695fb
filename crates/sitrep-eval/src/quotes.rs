//! Quotations and their speakers.
//!
//! Gold: `{id, dct, title, text, quotes:[{content_start, content_end,
//! content_text, content_fragments, speaker_text, speaker_start,
//! speaker_end, cue, cue_start, cue_end, kind}]}`; `kind` is `direct`,
//! `indirect` or `mixed`; the `speaker_*` fields are null when the gold has
//! no speaker. `content_fragments` (`[[start, end], …]`), when present, lists
//! the pieces of a content interrupted by its cue ("…," he said, "…"); the
//! overlap test then uses the pieces, so a prediction covering only the
//! interrupting "he said" does not match. Predictions: the document's
//! `quotes` layer.
//!
//! Metrics:
//!
//! * **end-to-end F1** (the headline) — content pairs are aligned one-to-one
//!   on overlap (exact extents first, then by decreasing overlap); a hit is an
//!   aligned pair whose speaker is right (below).
//! * **end-to-end direct+mixed F1** — the same alignment run between the gold
//!   quotes of kind `direct` or `mixed` and the predicted quotes with
//!   `direct == true`: recall over direct+mixed gold, precision over
//!   predicted direct quotes. A predicted direct quote matching an indirect
//!   gold one is a false positive here.
//! * **content P/R/F1** — aligned pairs, speaker ignored.
//! * **speaker accuracy** — share of aligned pairs with the right speaker.
//!
//! A predicted speaker is right when the gold has none and the prediction
//! has none, or, when the gold has one, the predicted speaker
//!
//! 1. has a span overlapping the gold speaker span, or
//! 2. has text or canonical name equal (case-insensitively, trimmed) to the
//!    gold `speaker_text`, or
//! 3. has a canonical name equal to the canonical name of a predicted entity
//!    (`Doc::entities`) whose span overlaps the gold speaker span — the
//!    prediction resolves to the same entity as the gold mention (the gold
//!    says "the minister", sitrep attributes to "Oleksii Reznikov" and
//!    tagged "the minister" as that person).

use serde::Deserialize;
use sitrep_core::{Doc, Quote};

use crate::align::{align, overlap, Fit};
use crate::prf::Prf;
use crate::report::Report;
use crate::{EvalInput, GoldRecord, Scorer};

/// One gold attribution.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuoteGold {
    /// First code point of the content.
    pub content_start: usize,
    /// One past its last code point.
    pub content_end: usize,
    /// The content as written.
    #[serde(default)]
    pub content_text: Option<String>,
    /// Pieces of a discontinuous content, `[start, end]` each.
    #[serde(default)]
    pub content_fragments: Option<Vec<Vec<usize>>>,
    /// The speaker mention, null when absent.
    #[serde(default)]
    pub speaker_text: Option<String>,
    /// First code point of the speaker mention.
    #[serde(default)]
    pub speaker_start: Option<usize>,
    /// One past its last code point.
    #[serde(default)]
    pub speaker_end: Option<usize>,
    /// The cue ("said").
    #[serde(default)]
    pub cue: Option<String>,
    /// First code point of the cue.
    #[serde(default)]
    pub cue_start: Option<usize>,
    /// One past its last code point.
    #[serde(default)]
    pub cue_end: Option<usize>,
    /// `direct`, `indirect` or `mixed`.
    #[serde(default)]
    pub kind: Option<String>,
}

impl QuoteGold {
    /// Whether the gold kind is `direct` or `mixed`.
    pub fn is_direct_or_mixed(&self) -> bool {
        self.kind.as_deref().is_some_and(|k| {
            k.trim().eq_ignore_ascii_case("direct") || k.trim().eq_ignore_ascii_case("mixed")
        })
    }

    /// Whether the gold names a speaker.
    pub fn has_speaker(&self) -> bool {
        self.speaker_text.is_some() || self.speaker_start.is_some()
    }

    /// The content pieces: `content_fragments` when given and well formed,
    /// else the single content span.
    pub fn fragments(&self) -> Vec<(usize, usize)> {
        let frags: Vec<(usize, usize)> = self
            .content_fragments
            .iter()
            .flatten()
            .filter_map(|f| match f.as_slice() {
                [s, e] if s <= e => Some((*s, *e)),
                _ => None,
            })
            .collect();
        if frags.is_empty() {
            vec![(self.content_start, self.content_end)]
        } else {
            frags
        }
    }

    fn fit(&self, frags: &[(usize, usize)], p: &Quote) -> Fit {
        Fit {
            exact: (self.content_start, self.content_end) == (p.start, p.end),
            overlap: frags
                .iter()
                .map(|&(s, e)| overlap(s, e, p.start, p.end))
                .sum(),
        }
    }
}

/// One line of a quotes gold file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuotesGold {
    /// Document id.
    pub id: String,
    /// Document creation time.
    #[serde(default)]
    pub dct: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Text the offsets point into.
    pub text: String,
    /// Gold attributions.
    pub quotes: Vec<QuoteGold>,
}

impl GoldRecord for QuotesGold {
    fn input(&self) -> EvalInput {
        EvalInput {
            id: self.id.clone(),
            text: self.text.clone(),
            published: self.dct.clone(),
            title: self.title.clone(),
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.to_lowercase() == b.to_lowercase()
}

/// Whether `predicted`'s speaker is right for `gold`, per the rules in the
/// [module docs](self); `doc` supplies the entities for rule 3.
pub fn speaker_right(gold: &QuoteGold, predicted: &Quote, doc: &Doc) -> bool {
    if !gold.has_speaker() {
        return predicted.speaker.is_none();
    }
    let Some(sp) = &predicted.speaker else {
        return false;
    };
    let gold_span = match (gold.speaker_start, gold.speaker_end) {
        (Some(s), Some(e)) => Some((s, e)),
        _ => None,
    };
    if let Some((gs, ge)) = gold_span {
        if overlap(gs, ge, sp.start, sp.end) > 0 {
            return true;
        }
    }
    if let Some(gt) = gold.speaker_text.as_deref() {
        if same_name(&sp.text, gt) || sp.canonical.as_deref().is_some_and(|c| same_name(c, gt)) {
            return true;
        }
    }
    if let (Some((gs, ge)), Some(canon)) = (gold_span, sp.canonical.as_deref()) {
        return doc
            .entities
            .iter()
            .any(|e| overlap(gs, ge, e.start, e.end) > 0 && same_name(&e.canonical, canon));
    }
    false
}

/// Accumulates quotes metrics; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct QuotesScorer {
    docs: u64,
    content: Prf,
    speaker_right: u64,
    end_to_end: Prf,
    direct: Prf,
}

impl QuotesScorer {
    /// Aligns `gold` with `pred` (indices into the document's quotes) and
    /// returns (aligned pairs, of which with the right speaker).
    fn score(gold: &[&QuoteGold], pred: &[&Quote], doc: &Doc) -> (u64, u64) {
        let frags: Vec<Vec<(usize, usize)>> = gold.iter().map(|g| g.fragments()).collect();
        let pairs = align(gold.len(), pred.len(), |g, p| {
            Some(gold[g].fit(&frags[g], pred[p]))
        });
        let right = pairs
            .iter()
            .filter(|&&(g, p)| speaker_right(gold[g], pred[p], doc))
            .count();
        (pairs.len() as u64, right as u64)
    }
}

impl Scorer for QuotesScorer {
    type Gold = QuotesGold;

    fn add(&mut self, gold: &QuotesGold, predicted: &Doc) {
        self.docs += 1;
        let g: Vec<&QuoteGold> = gold.quotes.iter().collect();
        let p: Vec<&Quote> = predicted.quotes.iter().collect();
        let (ng, np) = (g.len() as u64, p.len() as u64);
        let (matched, right) = Self::score(&g, &p, predicted);
        self.content += Prf::new(matched, ng, np);
        self.speaker_right += right;
        self.end_to_end += Prf::new(right, ng, np);

        let gd: Vec<&QuoteGold> = g.into_iter().filter(|q| q.is_direct_or_mixed()).collect();
        let pd: Vec<&Quote> = p.into_iter().filter(|q| q.direct).collect();
        let (_, right_d) = Self::score(&gd, &pd, predicted);
        self.direct += Prf::new(right_d, gd.len() as u64, pd.len() as u64);
    }

    fn report(&self) -> Report {
        let mut r = Report::new("quotes");
        r.push_prf("end-to-end", &self.end_to_end);
        r.push_prf("end-to-end direct+mixed", &self.direct);
        r.push_prf("content", &self.content);
        r.push_ratio("speaker accuracy", self.speaker_right, self.content.tp);
        r.push_count("gold quotes", self.content.gold);
        r.push_count("gold direct+mixed", self.direct.gold);
        r.push_count("predicted quotes", self.content.pred);
        r.push_count("predicted direct", self.direct.pred);
        r.push_count("documents", self.docs);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::{Entity, EntityRef, EntityType};

    // Invented text; offsets:
    //  0         1         2         3         4         5         6         7
    //  0123456789012345678901234567890123456789012345678901234567890123456789012345
    // "Ivanenko said the bridge was hit. "We will rebuild," the mayor added."
    const TEXT: &str = "Ivanenko said the bridge was hit. \"We will rebuild,\" the mayor added.";

    fn gold() -> QuotesGold {
        let line = format!(
            r#"{{"id": "q1", "dct": "2023-10-30", "title": "T", "text": {text:?},
            "quotes": [
              {{"content_start": 14, "content_end": 32, "content_text": "the bridge was hit",
               "speaker_text": "Ivanenko", "speaker_start": 0, "speaker_end": 8,
               "cue": "said", "cue_start": 9, "cue_end": 13, "kind": "indirect"}},
              {{"content_start": 35, "content_end": 50, "content_text": "We will rebuild",
               "speaker_text": "the mayor", "speaker_start": 53, "speaker_end": 62,
               "cue": "added", "cue_start": 63, "cue_end": 68, "kind": "direct"}}]}}"#,
            text = TEXT
        );
        crate::parse_line(&line).unwrap()
    }

    fn quote(
        doc: &Doc,
        span: (usize, usize),
        direct: bool,
        speaker: Option<((usize, usize), Option<&str>)>,
    ) -> Quote {
        Quote {
            start: span.0,
            end: span.1,
            text: doc.slice(span.0, span.1).to_string(),
            by: "test".into(),
            direct,
            speaker: speaker.map(|((s, e), canonical)| EntityRef {
                text: doc.slice(s, e).to_string(),
                start: s,
                end: e,
                canonical: canonical.map(str::to_string),
            }),
            cue: None,
            channel: None,
            via: None,
        }
    }

    #[test]
    fn offsets_of_the_invented_text() {
        let doc = Doc::new("q", TEXT);
        assert_eq!(doc.slice(14, 32), "the bridge was hit");
        assert_eq!(doc.slice(35, 50), "We will rebuild");
        assert_eq!(doc.slice(53, 62), "the mayor");
    }

    #[test]
    fn content_speaker_and_end_to_end() {
        let g = gold();
        let mut doc = g.input().to_doc();
        doc.quotes = vec![
            // indirect, right speaker by span overlap
            quote(&doc, (14, 33), false, Some(((0, 8), None))),
            // direct, content matches, speaker wrong ("Ivanenko" is not the mayor)
            quote(&doc, (34, 52), true, Some(((0, 8), Some("Ivanenko")))),
        ];
        let mut s = QuotesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.headline().unwrap().name, "end-to-end F1");
        assert_eq!(r.value("content F1"), Some(1.0));
        assert_eq!(r.value("speaker accuracy"), Some(0.5));
        assert_eq!(r.value("end-to-end P"), Some(0.5));
        assert_eq!(r.value("end-to-end R"), Some(0.5));
        assert_eq!(r.value("end-to-end direct+mixed R"), Some(0.0));
        assert_eq!(r.value("end-to-end direct+mixed P"), Some(0.0));
        assert_eq!(r.value("gold direct+mixed"), Some(1.0));
        assert_eq!(r.value("predicted direct"), Some(1.0));
    }

    #[test]
    fn speaker_by_name_or_by_resolved_entity() {
        let g = gold();
        let mut doc = g.input().to_doc();
        // speaker elsewhere but same text, case-insensitively
        let by_name = quote(&doc, (35, 50), true, Some(((0, 8), Some("THE MAYOR"))));
        assert!(speaker_right(&g.quotes[1], &by_name, &doc));
        // speaker elsewhere, canonical "Olena Koval"; not right until an
        // entity over the gold span "the mayor" resolves to her
        let by_entity = quote(&doc, (35, 50), true, Some(((0, 8), Some("Olena Koval"))));
        assert!(!speaker_right(&g.quotes[1], &by_entity, &doc));
        doc.entities.push(Entity {
            start: 57,
            end: 62,
            text: doc.slice(57, 62).to_string(),
            by: "test".into(),
            kind: EntityType::Person,
            canonical: "olena koval".into(),
            role: Some("mayor".into()),
            affiliation: None,
        });
        assert!(speaker_right(&g.quotes[1], &by_entity, &doc));
        // no predicted speaker for a gold speaker: wrong
        let none = quote(&doc, (35, 50), true, None);
        assert!(!speaker_right(&g.quotes[1], &none, &doc));
    }

    #[test]
    fn null_gold_speaker_needs_null_prediction() {
        let mut g = gold();
        g.quotes[1].speaker_text = None;
        g.quotes[1].speaker_start = None;
        g.quotes[1].speaker_end = None;
        let doc = g.input().to_doc();
        let none = quote(&doc, (35, 50), true, None);
        let some = quote(&doc, (35, 50), true, Some(((53, 62), None)));
        assert!(speaker_right(&g.quotes[1], &none, &doc));
        assert!(!speaker_right(&g.quotes[1], &some, &doc));
    }

    #[test]
    fn direct_subset_and_one_to_one() {
        let g = gold();
        let mut doc = g.input().to_doc();
        doc.quotes = vec![
            // two predictions over the direct quote: only one can match
            quote(&doc, (35, 50), true, Some(((53, 62), None))),
            quote(&doc, (35, 42), true, Some(((53, 62), None))),
            // a direct prediction over the indirect gold quote
            quote(&doc, (14, 32), true, Some(((0, 8), None))),
        ];
        let mut s = QuotesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.value("content P"), Some(2.0 / 3.0));
        assert_eq!(r.value("content R"), Some(1.0));
        assert_eq!(r.value("end-to-end R"), Some(1.0));
        // direct subset: 1 gold (direct), 3 predicted direct, 1 hit; the
        // prediction over the indirect quote is a false positive here
        assert_eq!(r.value("end-to-end direct+mixed R"), Some(1.0));
        assert_eq!(r.value("end-to-end direct+mixed P"), Some(1.0 / 3.0));
    }

    #[test]
    fn fragments_restrict_overlap() {
        // Invented: "\"Hold,\" he said, \"the line.\"" with content in two pieces
        let text = "\"Hold,\" he said, \"the line.\"";
        let line = format!(
            r#"{{"id": "q2", "text": {text:?}, "quotes": [{{"content_start": 1, "content_end": 26,
               "content_fragments": [[1, 5], [18, 26]], "speaker_text": "he",
               "speaker_start": 8, "speaker_end": 10, "kind": "direct"}}]}}"#
        );
        let g: QuotesGold = crate::parse_line(&line).unwrap();
        let mut doc = g.input().to_doc();
        assert_eq!(doc.slice(18, 26), "the line");
        // a "quote" over just "he said" does not match the content
        doc.quotes = vec![quote(&doc, (8, 15), false, Some(((8, 10), None)))];
        let mut s = QuotesScorer::default();
        s.add(&g, &doc);
        assert_eq!(s.report().value("content R"), Some(0.0));
        doc.quotes = vec![quote(&doc, (18, 26), true, Some(((8, 10), None)))];
        let mut s = QuotesScorer::default();
        s.add(&g, &doc);
        assert_eq!(s.report().value("end-to-end direct+mixed F1"), Some(1.0));
    }

    #[test]
    fn nothing_predicted() {
        let g = gold();
        let doc = g.input().to_doc();
        let mut s = QuotesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert!(r.metrics.iter().all(|m| !m.value.is_nan()));
        assert_eq!(r.value("end-to-end P"), Some(0.0));
        assert_eq!(r.value("speaker accuracy"), Some(0.0));
        assert_eq!(r.value("gold quotes"), Some(2.0));
    }
}
