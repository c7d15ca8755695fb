//! Fingerprints for copies and rewrites: what makes two articles the same
//! story.
//!
//! - The **key** identifies one article from one address: its URL (else its
//!   id) and its exact text. Ingesting an article whose key is stored is a
//!   no-op — that is what makes `sitrep ingest` idempotent.
//! - The **content hash** is over the text's words, lower-cased, without
//!   punctuation: an *exact copy* on another site shares it.
//! - The **MinHash signature** ([`SIGNATURE_LEN`] minima over hashed word
//!   [`SHINGLE_WORDS`]-grams) estimates how much of two texts' wording they
//!   share. [`BANDS`] bands of [`ROWS`] rows index it (locality-sensitive
//!   hashing), so candidates are found by lookup, never by scanning the
//!   store. A candidate is a *near-duplicate* (a wire story reposted with its
//!   own headline, boilerplate, a cut or an added paragraph) when the
//!   estimated share of the shorter text's shingles found in the longer one
//!   (containment) is at least [`NEAR_CONTAINMENT`] and the Jaccard
//!   similarity at least [`NEAR_JACCARD`].
//!
//! The permutations are the multiply-shift family over xxh3 shingle hashes
//! with fixed odd multipliers derived from a fixed seed, so signatures are
//! identical across runs and machines and stored signatures stay valid.
//! (The MinHash crates on crates.io keep their indexes in memory; ours must
//! live in the store between runs, so the few lines are ours.)

use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 4;
/// MinHash values per signature.
pub const SIGNATURE_LEN: usize = 96;
/// LSH bands: a pair with Jaccard similarity `s` shares a band with
/// probability `1 − (1 − s^ROWS)^BANDS` (0.9994 at s = 0.6, 0.98 at s = 0.4,
/// 0.23 at s = 0.2).
pub const BANDS: usize = 32;
/// Signature rows per band.
pub const ROWS: usize = SIGNATURE_LEN / BANDS;
/// Least estimated containment of a near-duplicate.
pub const NEAR_CONTAINMENT: f64 = 0.6;
/// Least estimated Jaccard similarity of a near-duplicate: keeps a short
/// brief that a long feature quotes from being called its copy.
pub const NEAR_JACCARD: f64 = 0.3;

/// Least share of the smaller key-term set found in the larger.
pub const NEAR_TERMS: f64 = 0.6;

/// What the store keeps of an article's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The article's identity: address and exact text (32 hex digits).
    pub key: String,
    /// The words' identity (32 hex digits).
    pub content_hash: String,
    /// Distinct shingles.
    pub shingles: u32,
    /// MinHash signature.
    pub signature: [u32; SIGNATURE_LEN],
    /// Hashes of the key terms (numbers, names), sorted, distinct.
    pub terms: Vec<u32>,
}

/// The key of an article: its URL or, without one, its id, and its text.
pub fn article_key(address: &str, text: &str) -> String {
    let mut buf = Vec::with_capacity(address.len() + text.len() + 1);
    buf.extend_from_slice(address.as_bytes());
    buf.push(0);
    buf.extend_from_slice(text.as_bytes());
    format!("{:032x}", xxh3_128(&buf))
}

/// The fingerprint of an article's text, under the given key.
pub fn fingerprint(key: String, text: &str) -> Fingerprint {
    let (joined, bounds) = words(text);
    let content_hash = format!("{:032x}", xxh3_128(joined.as_bytes()));
    let mut hashes: Vec<u64> = if bounds.len() < SHINGLE_WORDS {
        vec![xxh3_64(joined.as_bytes())]
    } else {
        // A shingle is its words joined by spaces: a slice of `joined`.
        bounds
            .windows(SHINGLE_WORDS)
            .map(|w| xxh3_64(&joined.as_bytes()[w[0].0..w[SHINGLE_WORDS - 1].1]))
            .collect()
    };
    hashes.sort_unstable();
    hashes.dedup();
    let signature = minhash(&hashes);
    Fingerprint {
        key,
        content_hash,
        shingles: hashes.len().min(u32::MAX as usize) as u32,
        signature,
        terms: key_terms(text),
    }
}

/// Hashes of the numbers and names of a text: words with a digit, and
/// capitalised words that do not open a sentence or line.
pub fn key_terms(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut lower: Vec<u8> = Vec::new();
    let mut opening = true;
    for piece in text.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let word = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
        let sep = &piece[word.len()..];
        if !word.is_empty() {
            let numeric = word.chars().any(|c| c.is_ascii_digit());
            let name = !opening && word.chars().next().is_some_and(char::is_uppercase);
            if numeric || name {
                let hash = if word.is_ascii() {
                    lower.clear();
                    lower.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
                    xxh3_64(&lower)
                } else {
                    xxh3_64(word.to_lowercase().as_bytes())
                };
                out.push(hash as u32);
            }
            opening = false;
        }
        if sep.contains(['.', '!', '?', '\n', '"', '“', ':']) {
            opening = true;
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Share of the smaller sorted set found in the larger (1 when either is
/// empty: nothing to disagree on).
pub fn term_containment(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / a.len().min(b.len()) as f64
}

/// The words of a text, lower-cased, letters and digits only, joined by
/// single spaces, with each word's byte range in the joined text. (One
/// string rather than a `String` per word: fingerprinting runs on every
/// article, and this halves its cost.)
fn words(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut joined = String::with_capacity(text.len());
    let mut bounds = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        let start = joined.len();
        if w.is_ascii() {
            joined.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            // str::to_lowercase, not per char: it knows a final sigma.
            joined.push_str(&w.to_lowercase());
        }
        bounds.push((start, joined.len()));
    }
    (joined, bounds)
}

/// The MinHash signature of distinct shingle hashes.
fn minhash(hashes: &[u64]) -> [u32; SIGNATURE_LEN] {
    let (mut a, mut b) = ([0u64; SIGNATURE_LEN], [0u64; SIGNATURE_LEN]);
    for (i, (pa, pb)) in permutations().enumerate() {
        (a[i], b[i]) = (pa, pb);
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { minhash_avx2(hashes, &a, &b) };
    }
    minhash_with(hashes, &a, &b)
}

/// [`minhash_with`] compiled for AVX2, which vectorises its 64-bit
/// multiplications four lanes wide: fingerprinting runs on every article,
/// and this is most of its cost. Same values, bit for bit.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn minhash_avx2(
    hashes: &[u64],
    a: &[u64; SIGNATURE_LEN],
    b: &[u64; SIGNATURE_LEN],
) -> [u32; SIGNATURE_LEN] {
    minhash_with(hashes, a, b)
}

#[inline(always)]
fn minhash_with(
    hashes: &[u64],
    a: &[u64; SIGNATURE_LEN],
    b: &[u64; SIGNATURE_LEN],
) -> [u32; SIGNATURE_LEN] {
    let mut signature = [u32::MAX; SIGNATURE_LEN];
    for &h in hashes {
        for i in 0..SIGNATURE_LEN {
            // Multiply-shift: the top 32 bits of a·h + b (mod 2^64).
            let v = (a[i].wrapping_mul(h).wrapping_add(b[i]) >> 32) as u32;
            signature[i] = signature[i].min(v);
        }
    }
    signature
}

/// The `(a, b)` pairs of the permutations, `a` odd, from a fixed seed.
fn permutations() -> impl Iterator<Item = (u64, u64)> {
    (0..SIGNATURE_LEN as u64).map(|i| {
        let a = xxh3_64(&(2 * i).to_le_bytes()) | 1;
        let b = xxh3_64(&(2 * i + 1).to_le_bytes());
        (a, b)
    })
}

/// The band hashes of a signature, one per band, for the LSH table.
pub fn band_hashes(signature: &[u32; SIGNATURE_LEN]) -> [i64; BANDS] {
    let mut out = [0i64; BANDS];
    for (band, chunk) in signature.chunks(ROWS).enumerate() {
        let mut bytes = Vec::with_capacity(ROWS * 4 + 1);
        bytes.push(band as u8);
        for v in chunk {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        out[band] = xxh3_64(&bytes) as i64;
    }
    out
}

/// Estimated Jaccard similarity: the share of equal signature positions.
pub fn jaccard(a: &[u32; SIGNATURE_LEN], b: &[u32; SIGNATURE_LEN]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / SIGNATURE_LEN as f64
}

/// Estimated containment of the smaller shingle set in the larger, from
/// the Jaccard estimate and the set sizes: |A∩B| = J·(|A|+|B|)/(1+J).
pub fn containment(jaccard: f64, a: u32, b: u32) -> f64 {
    let (a, b) = (f64::from(a.max(1)), f64::from(b.max(1)));
    let inter = jaccard * (a + b) / (1.0 + jaccard);
    (inter / a.min(b)).min(1.0)
}

/// Whether two fingerprints are near-duplicates, with the similarity that
/// decided it (containment).
pub fn near_duplicate(a: &Fingerprint, b: &Fingerprint) -> Option<f64> {
    let j = jaccard(&a.signature, &b.signature);
    let c = containment(j, a.shingles, b.shingles);
    (j >= NEAR_JACCARD
        && c >= NEAR_CONTAINMENT
        && term_containment(&a.terms, &b.terms) >= NEAR_TERMS)
        .then_some(c)
}

/// Key terms as stored: little-endian u32s.
pub fn terms_bytes(terms: &[u32]) -> Vec<u8> {
    terms.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Key terms from their stored bytes; `None` when the length is wrong.
pub fn terms_from_bytes(bytes: &[u8]) -> Option<Vec<u32>> {
    bytes.len().is_multiple_of(4).then(|| {
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    })
}

/// Signature as stored: little-endian u32s.
pub fn signature_bytes(signature: &[u32; SIGNATURE_LEN]) -> Vec<u8> {
    signature.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Signature from its stored bytes; `None` when the length is wrong.
pub fn signature_from_bytes(bytes: &[u8]) -> Option<[u32; SIGNATURE_LEN]> {
    if bytes.len() != SIGNATURE_LEN * 4 {
        return None;
    }
    let mut out = [0u32; SIGNATURE_LEN];
    for (slot, chunk) in out.iter_mut().zip(bytes.chunks_exact(4)) {
        *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Some(out)
}

/// The wire agency an article credits in its dateline or byline — "(AP)",
/// "(Reuters) -", "KYIV, Ukraine (AFP) —", "Associated Press" — as a short
/// name, from the first 300 characters. Copies of one wire story count as
/// one source; this names whose story it is.
pub fn wire_credit(text: &str) -> Option<&'static str> {
    const AGENCIES: [(&str, &str); 14] = [
        ("(ap)", "AP"),
        ("associated press", "AP"),
        ("(reuters)", "Reuters"),
        ("reuters -", "Reuters"),
        ("(afp)", "AFP"),
        ("agence france-presse", "AFP"),
        ("(upi)", "UPI"),
        ("(dpa)", "dpa"),
        ("(efe)", "EFE"),
        ("(ani)", "ANI"),
        ("(xinhua)", "Xinhua"),
        ("(tass)", "TASS"),
        ("(ukrinform)", "Ukrinform"),
        ("(anadolu)", "Anadolu"),
    ];
    let head: String = text.chars().take(300).collect::<String>().to_lowercase();
    AGENCIES
        .iter()
        .filter_map(|(cue, name)| head.find(cue).map(|at| (at, *name)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_stored_definition() {
        // The first definition, kept here as the reference: stored
        // signatures must stay valid whichever code path computes them.
        let hashes: Vec<u64> = (0..500u64).map(|i| xxh3_64(&i.to_le_bytes())).collect();
        let mut want = [u32::MAX; SIGNATURE_LEN];
        for h in &hashes {
            for (slot, (a, b)) in want.iter_mut().zip(permutations()) {
                let v = (a.wrapping_mul(*h).wrapping_add(b) >> 32) as u32;
                if v < *slot {
                    *slot = v;
                }
            }
        }
        assert_eq!(minhash(&hashes), want);
        assert_eq!(minhash(&[]), [u32::MAX; SIGNATURE_LEN]);
    }

    #[test]
    fn the_words_are_the_stored_definition() {
        // Signatures in stores must stay valid: the joined words equal the
        // first definition, a lower-cased `String` per word joined by " ".
        for text in [
            "",
            "Drones",
            "KYIV (AP) — Drones struck Odesa's port; 38 of 40 downed.",
            "ΟΔΥΣΣΕΑΣ ΚΑΙ ΣΕΙΡΗΝΕΣ. Маріуполь, ЗСУ: 12 ударів!",
            "  İstanbul  ǅemal  ŉ  ß  ",
        ] {
            let old: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| w.to_lowercase())
                .collect();
            let (joined, bounds) = words(text);
            assert_eq!(joined, old.join(" "), "{text}");
            let back: Vec<&str> = bounds.iter().map(|&(a, b)| &joined[a..b]).collect();
            assert_eq!(back, old, "{text}");
        }
    }

    const STORY: &str = "KYIV, Ukraine (AP) — Russian forces launched 38 attack drones at the \
        port of Odesa overnight, the regional governor said on Tuesday, damaging grain silos \
        and a residential building. Air defences shot down 31 of them, the air force said. \
        Two people were wounded and taken to hospital, officials said.";

    #[test]
    fn exact_copies_share_the_content_hash_whatever_the_punctuation() {
        let a = fingerprint(article_key("a", STORY), STORY);
        let b = fingerprint(article_key("b", STORY), &STORY.replace(" — ", " - "));
        assert_ne!(a.key, b.key);
        assert_eq!(a.content_hash, b.content_hash);
        assert_eq!(a.signature, b.signature);
    }

    #[test]
    fn a_reposted_wire_story_is_a_near_duplicate_and_another_story_is_not() {
        let a = fingerprint("a".into(), STORY);
        let repost = format!(
            "Drones hit Odesa port\n{STORY}\nRead more: our coverage of the war. Subscribe to \
             our newsletter."
        );
        let b = fingerprint("b".into(), &repost);
        assert!(
            near_duplicate(&a, &b).is_some(),
            "{:?}",
            jaccard(&a.signature, &b.signature)
        );
        let other = "BAMAKO, Mali (Reuters) - Gunmen ambushed a supply convoy of the Malian \
            armed forces about 40 km north of Menaka on Sunday, killing at least 12 soldiers, \
            two security sources said. The attack was claimed by Islamic State.";
        let c = fingerprint("c".into(), other);
        assert!(near_duplicate(&a, &c).is_none());
        // Similar stories share a band rarely; copies nearly always.
        let shared = |x: &Fingerprint, y: &Fingerprint| {
            band_hashes(&x.signature)
                .iter()
                .zip(band_hashes(&y.signature))
                .any(|(p, q)| *p == q)
        };
        assert!(shared(&a, &b));
        assert!(!shared(&a, &c));
    }

    #[test]
    fn the_same_words_about_another_town_and_toll_are_another_story() {
        let a = fingerprint("a".into(), STORY);
        let other = STORY
            .replace("Odesa", "Kharkiv")
            .replace("38", "54")
            .replace("31", "40")
            .replace("Two people", "Five people")
            .replace("Tuesday", "Friday");
        let b = fingerprint("b".into(), &other);
        assert!(jaccard(&a.signature, &b.signature) > NEAR_JACCARD);
        assert!(term_containment(&a.terms, &b.terms) < NEAR_TERMS);
        assert!(near_duplicate(&a, &b).is_none());
    }

    #[test]
    fn key_terms_are_numbers_and_names_not_sentence_openers() {
        let terms = key_terms("Drones hit Odesa. Two people died, 38 drones. The Navy said");
        let expect = |w: &str| xxh3_64(w.as_bytes()) as u32;
        assert!(terms.contains(&expect("odesa")));
        assert!(terms.contains(&expect("38")));
        assert!(terms.contains(&expect("navy")));
        assert!(!terms.contains(&expect("drones")));
        assert!(!terms.contains(&expect("two")));
        assert!(!terms.contains(&expect("the")));
        assert_eq!(term_containment(&[], &[1]), 1.0);
        assert_eq!(term_containment(&[1, 2], &[2, 3, 4]), 0.5);
    }

    #[test]
    fn signatures_round_trip_through_bytes() {
        let a = fingerprint("a".into(), STORY);
        let bytes = signature_bytes(&a.signature);
        assert_eq!(signature_from_bytes(&bytes), Some(a.signature));
        assert_eq!(signature_from_bytes(&bytes[1..]), None);
        assert_eq!(
            terms_from_bytes(&terms_bytes(&a.terms)),
            Some(a.terms.clone())
        );
    }

    #[test]
    fn wire_credits_are_read_from_the_dateline() {
        assert_eq!(wire_credit(STORY), Some("AP"));
        assert_eq!(
            wire_credit("LONDON (Reuters) - Britain said"),
            Some("Reuters")
        );
        assert_eq!(wire_credit("The ministry said on Monday."), None);
    }

    #[test]
    fn empty_and_tiny_texts_have_fingerprints() {
        let e = fingerprint("e".into(), "");
        assert_eq!(e.shingles, 1);
        let t = fingerprint("t".into(), "Kyiv");
        assert_eq!(t.shingles, 1);
    }
}
