//! The built index on disk and its memory-mapped reader.
//!
//! An index directory holds five files:
//! - `names.fst`: folded name → `(offset << 20) | count` into `postings.bin`;
//! - `postings.bin`: little-endian `u32` entries, each a [`PlaceId`] with
//!   bit 31 set when the name is an alternate name of the entry and bit 30
//!   when it is one of our aliases (see [`NameKind`]); each list is ordered
//!   by descending prior (kind, then population);
//! - `records.bin`: fixed-width [`Record`]s;
//! - `strings.bin`: preferred names, UTF-8, addressed by the records;
//! - `words.fst`: English dictionary words (a set), see [`Gazetteer::is_word`];
//! - `given-names.fst`: English given names, see [`Gazetteer::is_given_name`];
//! - `meta.json`: the [`Meta`] (format version, sources with their sha256).

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};

use crate::record::{Kind, PlaceId, Record, RECORD_BYTES};
use crate::Error;

/// Bumped whenever the files' layout changes; a stale index is refused.
pub const FORMAT_VERSION: u32 = 3;

/// Posting bit: the key is an alternate name of the entry.
pub(crate) const ALT_BIT: u32 = 1 << 31;
/// Posting bit: the key is one of our aliases of the entry
/// (`data/gazetteer/aliases.tsv`).
pub(crate) const ALIAS_BIT: u32 = 1 << 30;
/// Both bits: the key is one of our aliases written as an abbreviation in
/// small letters ("La.", "Calif.").
pub(crate) const ABBREVIATION_BITS: u32 = ALT_BIT | ALIAS_BIT;
/// The id part of a posting.
pub(crate) const ID_MASK: u32 = !(ALT_BIT | ALIAS_BIT);

/// How a looked-up name names an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// The entry's preferred name.
    Preferred,
    /// One of the source's alternate or historical names.
    Alternate,
    /// One of our aliases ("U.S.", "N.Y.", front-line spellings).
    Alias,
    /// One of our aliases that abbreviates in small letters ("La.",
    /// "Calif."): the same key written in capitals ("L.A.", "LA") is not it.
    Abbreviation,
}

/// What `meta.json` says about an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// [`FORMAT_VERSION`] at build time.
    pub format_version: u32,
    /// The inputs the index was built from.
    pub sources: Vec<SourceInfo>,
    /// Number of entries.
    pub entries: u64,
    /// Number of distinct folded names.
    pub names: u64,
    /// ISO 3166-1 alpha-3 code of each country's alpha-2 code (`UA` →
    /// `UKR`), as the country records give them; event actor codes use it.
    #[serde(default)]
    pub alpha3: std::collections::BTreeMap<String, String>,
    /// FIPS 10-4 code of each country's alpha-2 code (`UA` → `UP`): GDELT's
    /// geography columns use FIPS.
    #[serde(default)]
    pub fips: std::collections::BTreeMap<String, String>,
}

/// One input of a build: a registry package or one of our data files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Package or file name.
    pub name: String,
    /// Package version, or `repo` for our own data files.
    pub version: String,
    /// Licence of the data.
    pub licence: String,
    /// Entries or names it contributed.
    pub rows: u64,
}

/// A memory-mapped gazetteer index, opened once and shared by reference
/// across threads (it is `Send + Sync`; lookups never allocate).
pub struct Gazetteer {
    dir: PathBuf,
    names: fst::Map<Mmap>,
    words: fst::Set<Mmap>,
    given_names: fst::Set<Mmap>,
    postings: Mmap,
    records: Mmap,
    strings: Mmap,
    meta: Meta,
    countries: HashMap<[u8; 2], PlaceId>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("dir", &self.dir)
            .field("entries", &self.len())
            .field("names", &self.names.len())
            .finish()
    }
}

fn map(dir: &Path, file: &str) -> Result<Mmap, Error> {
    let path = dir.join(file);
    let f = File::open(&path).map_err(|e| Error::io(&path, e))?;
    // SAFETY: the index files are written once by `build` and never
    // modified in place (a rebuild writes new files and renames them), so
    // the mapped bytes do not change under us.
    unsafe { Mmap::map(&f) }.map_err(|e| Error::io(&path, e))
}

impl Gazetteer {
    /// Opens the index in `dir`, checking its format version and sizes.
    pub fn open(dir: impl AsRef<Path>) -> Result<Gazetteer, Error> {
        let dir = dir.as_ref();
        let meta_path = dir.join("meta.json");
        let meta_text =
            std::fs::read_to_string(&meta_path).map_err(|e| Error::io(&meta_path, e))?;
        let meta: Meta = serde_json::from_str(&meta_text)
            .map_err(|e| Error::corrupt(&meta_path, format!("unreadable meta.json: {e}")))?;
        if meta.format_version != FORMAT_VERSION {
            return Err(Error::corrupt(
                &meta_path,
                format!(
                    "index format {} but this sitrep reads format {FORMAT_VERSION}; rebuild it with ./setup",
                    meta.format_version
                ),
            ));
        }
        let names_path = dir.join("names.fst");
        let names = fst::Map::new(map(dir, "names.fst")?)
            .map_err(|e| Error::corrupt(&names_path, format!("bad fst: {e}")))?;
        let words_path = dir.join("words.fst");
        let words = fst::Set::new(map(dir, "words.fst")?)
            .map_err(|e| Error::corrupt(&words_path, format!("bad fst: {e}")))?;
        let given_path = dir.join("given-names.fst");
        let given_names = fst::Set::new(map(dir, "given-names.fst")?)
            .map_err(|e| Error::corrupt(&given_path, format!("bad fst: {e}")))?;
        let postings = map(dir, "postings.bin")?;
        let records = map(dir, "records.bin")?;
        let strings = map(dir, "strings.bin")?;
        if records.len() % RECORD_BYTES != 0
            || (records.len() / RECORD_BYTES) as u64 != meta.entries
        {
            return Err(Error::corrupt(
                &dir.join("records.bin"),
                "size does not match meta.json".into(),
            ));
        }
        if postings.len() % 4 != 0 {
            return Err(Error::corrupt(
                &dir.join("postings.bin"),
                "size is not a multiple of 4".into(),
            ));
        }
        let mut g = Gazetteer {
            dir: dir.to_path_buf(),
            names,
            words,
            given_names,
            postings,
            records,
            strings,
            meta,
            countries: HashMap::new(),
        };
        // Opening stays O(1) in the index size: the accessors below check
        // their bounds instead, so a damaged index yields empty answers,
        // never a panic. Countries come first in id order.
        let n = g.len() as u32;
        for id in 0..n {
            let r = g.record(id);
            if r.kind != Kind::Country {
                break;
            }
            g.countries.entry(r.country).or_insert(id);
        }
        Ok(g)
    }

    /// The directory the index was opened from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What `meta.json` records.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.records.len() / RECORD_BYTES
    }

    /// True when the index has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The decoded record of `id`; an id outside the index (only a damaged
    /// index has one) reads as an empty record with no name and no links.
    pub fn record(&self, id: PlaceId) -> Record {
        let at = id as usize * RECORD_BYTES;
        match self.records.get(at..at + RECORD_BYTES) {
            Some(bytes) => Record::decode(bytes),
            None => Record::decode(&[0; RECORD_BYTES]).emptied(),
        }
    }

    /// The preferred name of `id`.
    pub fn name(&self, id: PlaceId) -> &str {
        let r = self.record(id);
        let from = r.name_off as usize;
        self.strings
            .get(from..from + r.name_len as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// The country entry for an ISO 3166-1 alpha-2 code.
    pub fn country(&self, code: [u8; 2]) -> Option<PlaceId> {
        self.countries.get(&code).copied()
    }

    /// The preferred name of the country with an ISO 3166-1 alpha-2 code
    /// (`"UA"` → `"Ukraine"`).
    pub fn country_name(&self, alpha2: &str) -> Option<&str> {
        let &[a, b] = alpha2.as_bytes() else {
            return None;
        };
        self.country([a, b]).map(|id| self.name(id))
    }

    /// The FIPS 10-4 code of an alpha-2 code (`"UA"` → `"UP"`).
    pub fn fips(&self, alpha2: &str) -> Option<&str> {
        self.meta.fips.get(alpha2).map(String::as_str)
    }

    /// The ISO 3166-1 alpha-3 code of an alpha-2 code (`"UA"` → `"UKR"`).
    pub fn alpha3(&self, alpha2: &str) -> Option<&str> {
        self.meta.alpha3.get(alpha2).map(String::as_str)
    }

    /// Entries named `key` (already [`fold`](crate::fold)ed), best prior
    /// first; each with how the name names it.
    pub fn lookup(&self, key: &str) -> Lookup<'_> {
        let (start, count) = match self.names.get(key) {
            Some(v) => ((v >> 20) as usize, (v & 0xF_FFFF) as usize),
            None => (0, 0),
        };
        let end = (start + count).min(self.postings.len() / 4);
        Lookup {
            bytes: &self.postings[start.min(end) * 4..end * 4],
        }
    }

    /// True when `lower` (lower case) is an English dictionary word
    /// ("give", "park", "reading"): a capital at the start of a sentence
    /// then says nothing about it being a name.
    pub fn is_word(&self, lower: &str) -> bool {
        self.words.contains(lower)
    }

    /// True when `lower` (lower case) is an English given name ("patrick",
    /// "kristina"): alone, or before a surname, it names a person.
    pub fn is_given_name(&self, lower: &str) -> bool {
        self.given_names.contains(lower)
    }
}

/// The entries one name leads to; see [`Gazetteer::lookup`].
#[derive(Debug, Clone)]
pub struct Lookup<'a> {
    bytes: &'a [u8],
}

impl Lookup<'_> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.bytes.len() / 4
    }

    /// True when the name is unknown.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl Iterator for Lookup<'_> {
    type Item = (PlaceId, NameKind);

    fn next(&mut self) -> Option<(PlaceId, NameKind)> {
        let (head, rest) = self.bytes.split_first_chunk::<4>()?;
        self.bytes = rest;
        let v = u32::from_le_bytes(*head);
        let kind = if v & ABBREVIATION_BITS == ABBREVIATION_BITS {
            NameKind::Abbreviation
        } else if v & ALIAS_BIT != 0 {
            NameKind::Alias
        } else if v & ALT_BIT != 0 {
            NameKind::Alternate
        } else {
            NameKind::Preferred
        };
        Some((v & ID_MASK, kind))
    }
}
