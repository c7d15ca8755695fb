//! The codebook: sitrep's own data files under `data/codebook/`, parsed once.
//!
//! - `cameo.tsv`: every CAMEO code with its QuadClass, Goldstein weight,
//!   PLOVER category and mode, and ACLED type (sources in its README);
//! - `patterns.tsv`: the word patterns that make an event and their code;
//! - `agents.tsv`: the actor words and the sector or whole actor they give;
//! - `irregular-verbs.tsv`: the verb forms the patterns' `V:` items need
//!   beyond the regular -s, -ed, -ing.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// `data/codebook/cameo.tsv`.
pub const CAMEO_TSV: &str = include_str!("../../../data/codebook/cameo.tsv");
/// `data/codebook/patterns.tsv`.
pub const PATTERNS_TSV: &str = include_str!("../../../data/codebook/patterns.tsv");
/// `data/codebook/agents.tsv`.
pub const AGENTS_TSV: &str = include_str!("../../../data/codebook/agents.tsv");
/// `data/codebook/irregular-verbs.tsv`.
pub const IRREGULAR_VERBS_TSV: &str = include_str!("../../../data/codebook/irregular-verbs.tsv");

/// What the codebook says about one CAMEO code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeInfo {
    /// CAMEO QuadClass 1–4.
    pub quad_class: u8,
    /// Goldstein weight.
    pub goldstein: f64,
    /// PLOVER category, when CAMEO's code has one.
    pub plover: Option<String>,
    /// PLOVER mode, when the crosswalk gives one.
    pub plover_mode: Option<String>,
    /// ACLED event type and sub-event type, when one fits.
    pub acled: Option<(String, String)>,
    /// Short label.
    pub label: String,
}

/// One item of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// Any of these lower-case word forms.
    Words(WordSet),
    /// A gap of up to [`GAP`] tokens.
    Gap,
}

/// The longest gap `...` allows, in tokens.
pub(crate) const GAP: usize = 6;

/// A parsed pattern line.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// CAMEO code.
    pub code: String,
    /// The items after the trigger.
    pub rest: Vec<Item>,
    /// The pattern as written, for `by`.
    pub source: String,
    /// Whether the trigger is a verb item (noun-context checks apply).
    pub verb_trigger: bool,
    /// The trigger's base form (lemma), for the verb-form checks.
    pub lemma: String,
    /// The event needs a target actor (flag `needs-target`): common verbs
    /// such as "help" or "ask" are events only when someone is acted on.
    pub needs_target: bool,
    /// What the event says about who controls its place (flag
    /// `control=taken|held|lost`): a capture, a place held against an
    /// attack, a withdrawal.
    pub control: Option<&'static str>,
}

/// The parsed codebook, shared by reference.
#[derive(Debug, Clone)]
pub struct Codebook {
    codes: HashMap<String, CodeInfo>,
    pub(crate) patterns: Vec<Pattern>,
    /// Trigger word form → patterns it starts, in file order.
    pub(crate) triggers: HashMap<String, Vec<usize>>,
    /// The shapes of the trigger forms, to rule most words out unhashed.
    trigger_shapes: WordShapes,
    /// Actor phrase (lower case, space-joined) → code.
    pub(crate) agents: HashMap<String, String>,
    /// The most words an agent phrase has.
    pub(crate) agent_max_words: usize,
    /// First word of the agent phrases of two words or more → the rest
    /// of each phrase and its code, longest first.
    agent_phrases: HashMap<String, Vec<(Vec<String>, String)>>,
    /// The shapes of one-word agents and of the first words of longer ones.
    agent_shapes: WordShapes,
    /// Past participles of the verbs (regular and irregular), for passives.
    pub(crate) participles: HashSet<String>,
}

/// A codebook file that does not parse: which file, which line, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodebookError {
    /// File name.
    pub file: &'static str,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for CodebookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for CodebookError {}

fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

fn dash(s: &str) -> Option<String> {
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

impl Codebook {
    /// The codebook compiled into the binary. Its files are checked by a
    /// unit test, so this cannot fail in a released build.
    pub fn builtin() -> Codebook {
        match Codebook::parse(CAMEO_TSV, PATTERNS_TSV, AGENTS_TSV, IRREGULAR_VERBS_TSV) {
            Ok(c) => c,
            Err(e) => unreachable!("built-in codebook does not parse: {e}"),
        }
    }

    /// Parses the four files.
    pub fn parse(
        cameo: &str,
        patterns: &str,
        agents: &str,
        irregular: &str,
    ) -> Result<Codebook, CodebookError> {
        let err = |file, line, message: String| CodebookError {
            file,
            line,
            message,
        };
        let mut codes = HashMap::default();
        for (line, f) in rows(cameo) {
            if f.first() == Some(&"code") {
                continue;
            }
            if f.len() < 8 {
                return Err(err(
                    "cameo.tsv",
                    line,
                    format!("{} fields, want 8", f.len()),
                ));
            }
            let quad_class: u8 = f[1]
                .parse()
                .map_err(|_| err("cameo.tsv", line, format!("bad quad class {:?}", f[1])))?;
            let goldstein: f64 = f[2]
                .parse()
                .map_err(|_| err("cameo.tsv", line, format!("bad Goldstein {:?}", f[2])))?;
            let acled = match (dash(f[5]), dash(f[6])) {
                (Some(t), Some(s)) => Some((t, s)),
                (Some(t), None) => Some((t, String::new())),
                _ => None,
            };
            codes.insert(
                f[0].to_string(),
                CodeInfo {
                    quad_class,
                    goldstein,
                    plover: dash(f[3]),
                    plover_mode: dash(f[4]),
                    acled,
                    label: f[7].to_string(),
                },
            );
        }
        // Verb forms.
        let mut irregular_forms: HashMap<String, Vec<String>> = HashMap::default();
        let mut participles = HashSet::default();
        for (line, f) in rows(irregular) {
            if f.len() < 3 {
                return Err(err("irregular-verbs.tsv", line, "want 3 fields".into()));
            }
            let forms = irregular_forms.entry(f[0].to_string()).or_default();
            for w in f[1].split('|').chain(f[2].split('|')) {
                forms.push(w.to_string());
            }
            for w in f[2].split('|') {
                participles.insert(w.to_string());
            }
        }
        let mut book = Codebook {
            codes,
            patterns: Vec::new(),
            triggers: HashMap::default(),
            trigger_shapes: WordShapes::default(),
            agents: HashMap::default(),
            agent_max_words: 1,
            agent_phrases: HashMap::default(),
            agent_shapes: WordShapes::default(),
            participles,
        };
        for (line, f) in rows(patterns) {
            if f.len() < 2 {
                return Err(err("patterns.tsv", line, "want code<TAB>pattern".into()));
            }
            let code = f[0].to_string();
            if !book.codes.contains_key(&code) {
                return Err(err(
                    "patterns.tsv",
                    line,
                    format!("code {code} is not in cameo.tsv"),
                ));
            }
            let mut items = f[1].split_whitespace();
            let Some(first) = items.next() else {
                return Err(err("patterns.tsv", line, "empty pattern".into()));
            };
            let mut trigger_forms = Vec::new();
            let mut verb_trigger = false;
            let mut lemma = String::new();
            for alt in first.split('|') {
                if let Some(v) = alt.strip_prefix("V:") {
                    verb_trigger = true;
                    lemma = v.to_string();
                    let forms = verb_forms(v, irregular_forms.get(v));
                    for p in participle_forms(v, irregular_forms.get(v)) {
                        book.participles.insert(p);
                    }
                    trigger_forms.extend(forms);
                } else {
                    lemma = alt.trim_start_matches("N:").to_string();
                    trigger_forms.extend(item_forms(alt, &irregular_forms));
                }
            }
            let mut rest = Vec::new();
            for it in items {
                if it == "..." {
                    rest.push(Item::Gap);
                } else {
                    let mut forms = Vec::new();
                    for alt in it.split('|') {
                        forms.extend(item_forms(alt, &irregular_forms));
                    }
                    rest.push(Item::Words(WordSet::new(forms)));
                }
            }
            if matches!(rest.last(), Some(Item::Gap)) {
                return Err(err(
                    "patterns.tsv",
                    line,
                    "a pattern cannot end in ...".into(),
                ));
            }
            let idx = book.patterns.len();
            let mut needs_target = false;
            let mut control = None;
            for flag in f.get(2).map_or("", |s| *s).split(',').map(str::trim) {
                match flag {
                    "" => {}
                    "needs-target" => needs_target = true,
                    "control=taken" => control = Some("taken"),
                    "control=held" => control = Some("held"),
                    "control=lost" => control = Some("lost"),
                    other => {
                        return Err(err("patterns.tsv", line, format!("unknown flag {other:?}")));
                    }
                }
            }
            book.patterns.push(Pattern {
                code,
                rest,
                source: f[1].to_string(),
                verb_trigger,
                lemma,
                needs_target,
                control,
            });
            trigger_forms.sort();
            trigger_forms.dedup();
            for form in trigger_forms {
                book.trigger_shapes.insert(&form);
                book.triggers.entry(form).or_default().push(idx);
            }
        }
        for (line, f) in rows(agents) {
            if f.len() < 2 || f[1].is_empty() {
                return Err(err("agents.tsv", line, "want word<TAB>code".into()));
            }
            let words: Vec<&str> = f[0].split_whitespace().collect();
            book.agent_max_words = book.agent_max_words.max(words.len());
            if words.len() > 1 {
                let rest = words[1..].iter().map(|w| w.to_string()).collect();
                let list = book.agent_phrases.entry(words[0].to_string()).or_default();
                list.push((rest, f[1].to_string()));
                list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
            }
            if let Some(w) = words.first() {
                book.agent_shapes.insert(w);
            }
            book.agents.insert(words.join(" "), f[1].to_string());
        }
        Ok(book)
    }

    /// Whether a lower-cased word may start a pattern (no false negatives).
    pub(crate) fn may_trigger(&self, lower: &str) -> bool {
        self.trigger_shapes.may_contain(lower) && self.triggers.contains_key(lower)
    }

    /// The patterns a lower-cased word may start, in file order.
    pub(crate) fn patterns_at(&self, lower: &str) -> Option<&[usize]> {
        if !self.trigger_shapes.may_contain(lower) {
            return None;
        }
        self.triggers.get(lower).map(Vec::as_slice)
    }

    /// What the codebook says about a CAMEO code.
    pub fn code(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.get(code)
    }

    /// The longest agent phrase starting `words`: its length and code.
    pub(crate) fn agent_at(&self, words: &[&str]) -> Option<(usize, &str)> {
        let first = *words.first()?;
        if !self.agent_shapes.may_contain(first) {
            return None;
        }
        if let Some(list) = self.agent_phrases.get(first) {
            for (rest, code) in list {
                if words.len() > rest.len() && rest.iter().zip(&words[1..]).all(|(a, b)| a == b) {
                    return Some((rest.len() + 1, code.as_str()));
                }
            }
        }
        self.agents.get(first).map(|c| (1, c.as_str()))
    }

    /// Number of patterns.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }
}

/// A filter over words by shape: first and last byte (folded to five bits)
/// and length. Two loads and a shift rule out most words of a sentence
/// before any hashing; it never rules out a word that was inserted.
#[derive(Debug, Clone)]
struct WordShapes(Box<[u64; 1024]>);

impl Default for WordShapes {
    fn default() -> WordShapes {
        WordShapes(Box::new([0; 1024]))
    }
}

impl WordShapes {
    fn slot(word: &str) -> Option<(usize, u32)> {
        let b = word.as_bytes();
        let (&first, &last) = (b.first()?, b.last()?);
        let slot = (first as usize & 31) << 5 | (last as usize & 31);
        Some((slot, b.len().min(63) as u32))
    }

    fn insert(&mut self, word: &str) {
        if let Some((slot, len)) = WordShapes::slot(word) {
            self.0[slot] |= 1 << len;
        }
    }

    fn may_contain(&self, word: &str) -> bool {
        WordShapes::slot(word).is_some_and(|(slot, len)| self.0[slot] >> len & 1 == 1)
    }
}

/// A small set of lower-case words (a pattern item's forms) with a
/// filter in front: the first letters and the lengths its words have, so
/// that most tokens are ruled out by two bit tests.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordSet {
    firsts: u32,
    lengths: u64,
    words: HashSet<String>,
}

impl PartialEq for WordSet {
    fn eq(&self, other: &WordSet) -> bool {
        self.words == other.words
    }
}

impl Eq for WordSet {}

impl WordSet {
    fn new(words: impl IntoIterator<Item = String>) -> WordSet {
        let mut set = WordSet::default();
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                set.firsts |= 1 << (b & 31);
                set.lengths |= 1 << w.len().min(63);
            }
            set.words.insert(w);
        }
        set
    }

    /// Whether `word` is in the set.
    pub(crate) fn contains(&self, word: &str) -> bool {
        let Some(&b) = word.as_bytes().first() else {
            return false;
        };
        self.firsts >> (b & 31) & 1 == 1
            && self.lengths >> word.len().min(63) & 1 == 1
            && self.words.contains(word)
    }
}

fn item_forms(alt: &str, irregular: &HashMap<String, Vec<String>>) -> Vec<String> {
    if let Some(v) = alt.strip_prefix("V:") {
        verb_forms(v, irregular.get(v))
    } else if let Some(n) = alt.strip_prefix("N:") {
        noun_forms(n)
    } else {
        vec![alt.to_lowercase()]
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// "attack" → attack, attacks, attacked, attacking; "shell" → shelled,
/// shelling; doubled consonants as well ("ban" → banned), since a form the
/// language never writes costs nothing.
pub(crate) fn verb_forms(lemma: &str, irregular: Option<&Vec<String>>) -> Vec<String> {
    let l = lemma.to_lowercase();
    let mut out = vec![l.clone(), third_person(&l)];
    out.extend(participle_forms(&l, irregular));
    // -ing
    if let Some(stem) = l.strip_suffix("ie") {
        out.push(format!("{stem}ying"));
    } else if l.ends_with('e') && !l.ends_with("ee") && l.len() > 2 {
        out.push(format!("{}ing", &l[..l.len() - 1]));
    } else {
        out.push(format!("{l}ing"));
        if let Some(c) = doubled(&l) {
            out.push(format!("{l}{c}ing"));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn third_person(l: &str) -> String {
    if l.ends_with('s')
        || l.ends_with('x')
        || l.ends_with('z')
        || l.ends_with("ch")
        || l.ends_with("sh")
        || l.ends_with('o')
    {
        format!("{l}es")
    } else if l.ends_with('y') && l.len() > 1 && !is_vowel(l.chars().rev().nth(1).unwrap_or('a')) {
        format!("{}ies", &l[..l.len() - 1])
    } else {
        format!("{l}s")
    }
}

/// The final consonant to double before -ed/-ing, for a short
/// consonant-vowel-consonant ending ("ban", "plan", "stop").
fn doubled(l: &str) -> Option<char> {
    let cs: Vec<char> = l.chars().collect();
    let n = cs.len();
    if n >= 3
        && !is_vowel(cs[n - 1])
        && !matches!(cs[n - 1], 'w' | 'x' | 'y')
        && is_vowel(cs[n - 2])
        && !is_vowel(cs[n - 3])
    {
        Some(cs[n - 1])
    } else {
        None
    }
}

/// Past tense and participle forms.
pub(crate) fn participle_forms(lemma: &str, irregular: Option<&Vec<String>>) -> Vec<String> {
    let l = lemma.to_lowercase();
    let mut out = Vec::new();
    if let Some(forms) = irregular {
        out.extend(forms.iter().cloned());
        return out;
    }
    if l.ends_with('e') {
        out.push(format!("{l}d"));
    } else if l.ends_with('y') && l.len() > 1 && !is_vowel(l.chars().rev().nth(1).unwrap_or('a')) {
        out.push(format!("{}ied", &l[..l.len() - 1]));
    } else {
        out.push(format!("{l}ed"));
        if let Some(c) = doubled(&l) {
            out.push(format!("{l}{c}ed"));
        }
    }
    out
}

/// Singular and plural.
pub(crate) fn noun_forms(lemma: &str) -> Vec<String> {
    let l = lemma.to_lowercase();
    let plural = if l.ends_with('s') || l.ends_with('x') || l.ends_with("ch") || l.ends_with("sh") {
        format!("{l}es")
    } else if l.ends_with('y') && l.len() > 1 && !is_vowel(l.chars().rev().nth(1).unwrap_or('a')) {
        format!("{}ies", &l[..l.len() - 1])
    } else {
        format!("{l}s")
    };
    vec![l, plural]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_codebook_parses_and_is_consistent() {
        let book = Codebook::parse(CAMEO_TSV, PATTERNS_TSV, AGENTS_TSV, IRREGULAR_VERBS_TSV)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(book.pattern_count() > 200);
        // Every root and every three-digit code has a QuadClass that
        // matches its root's.
        for root in 1..=20u8 {
            let r = format!("{root:02}");
            let info = book.code(&r).unwrap_or_else(|| panic!("root {r} missing"));
            let want = match root {
                1..=5 => 1,
                6..=8 => 2,
                9..=13 => 3,
                _ => 4,
            };
            assert_eq!(info.quad_class, want, "root {r}");
        }
        assert_eq!(book.code("190").unwrap().plover.as_deref(), Some("ASSAULT"));
        assert_eq!(book.code("173").unwrap().plover.as_deref(), Some("COERCE"));
        assert_eq!(book.code("112").unwrap().plover.as_deref(), Some("ACCUSE"));
        assert!(book.code("999").is_none());
    }

    #[test]
    fn verb_forms_cover_regular_and_irregular_inflections() {
        let f = verb_forms("attack", None);
        for w in ["attack", "attacks", "attacked", "attacking"] {
            assert!(f.contains(&w.to_string()), "{w} in {f:?}");
        }
        let f = verb_forms("ban", None);
        assert!(f.contains(&"banned".to_string()) && f.contains(&"banning".to_string()));
        let f = verb_forms("seize", None);
        assert!(f.contains(&"seized".to_string()) && f.contains(&"seizing".to_string()));
        let f = verb_forms("deny", None);
        assert!(f.contains(&"denies".to_string()) && f.contains(&"denied".to_string()));
        let irr = vec!["held".to_string(), "held".to_string()];
        assert!(verb_forms("hold", Some(&irr)).contains(&"held".to_string()));
        assert_eq!(noun_forms("strike"), vec!["strike", "strikes"]);
        assert_eq!(noun_forms("casualty")[1], "casualties");
    }

    #[test]
    fn bad_codebook_lines_are_named() {
        let e = Codebook::parse("code\tq\n01\tx\t0\t-\t-\t-\t-\tl\n", "", "", "").unwrap_err();
        assert_eq!((e.file, e.line), ("cameo.tsv", 2));
        let cameo = "01\t1\t0\t-\t-\t-\t-\tstatement\n";
        let e = Codebook::parse(cameo, "999\tV:attack\n", "", "").unwrap_err();
        assert!(e.message.contains("999"), "{e}");
    }
}
