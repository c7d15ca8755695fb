//! Known actors: the public figures and organisations that international
//! and conflict news names, as sitrep's stages look them up.
//!
//! Two data files, written by sitrep's authors with their sources named in
//! their headers, are compiled into the binary and parsed once:
//!
//! * `data/lexicons/people.tsv` — one row per office term: a person, their
//!   aliases, the country (ISO 3166-1 alpha-2), the CAMEO sector of the
//!   office (GOV, MIL, REB, IGO…), the role and the years. The entities
//!   stage uses the names to recognise people; the events stage uses the
//!   term that covers the article's date to code them ("Putin" in 2015 →
//!   RUS GOV; a former office holder is an elite, ELI).
//! * `data/lexicons/organisations.tsv` — an organisation, its aliases, its
//!   kind, country and CAMEO sector ("FSB" → Federal Security Service, RU,
//!   SPY).
//!
//! Names are matched exactly as written (case matters: "Hamas", "IDF").
//!
//! ```
//! let known = sitrep_lexicon::KnownActors::bundled();
//! let putin = known.people_named("Putin").next().unwrap();
//! assert_eq!(putin.canonical, "Vladimir Putin");
//! let term = putin.term_at(Some(2015)).unwrap();
//! assert_eq!((term.country.as_deref(), term.sector.as_str()), (Some("RU"), "GOV"));
//! let fsb = known.organisation("FSB").unwrap();
//! assert_eq!(fsb.canonical, "Federal Security Service");
//! assert_eq!(fsb.sector, "SPY");
//! ```
#![deny(missing_docs)]

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

/// `data/lexicons/people.tsv`.
pub const PEOPLE_TSV: &str = include_str!("../../../data/lexicons/people.tsv");
/// `data/lexicons/organisations.tsv`.
pub const ORGANISATIONS_TSV: &str = include_str!("../../../data/lexicons/organisations.tsv");

/// One office a person held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// ISO 3166-1 alpha-2 country, none for international offices.
    pub country: Option<String>,
    /// CAMEO sector of the office ("GOV", "MIL", "REB", "IGO"…).
    pub sector: String,
    /// The office ("President", "Defence Minister").
    pub role: String,
    /// First year in office.
    pub from: i32,
    /// Last year in office; none while in office.
    pub to: Option<i32>,
}

impl Term {
    /// Whether the term covers `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.from <= year && self.to.is_none_or(|to| year <= to)
    }

    /// Years from `year` to the nearest year of the term (0 inside it).
    pub fn distance(&self, year: i32) -> i32 {
        if year < self.from {
            self.from - year
        } else {
            self.to.map_or(0, |to| (year - to).max(0))
        }
    }
}

/// A public figure and the offices they held, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The usual full name ("Vladimir Putin").
    pub canonical: String,
    /// Offices, in the order the file gives them.
    pub terms: Vec<Term>,
}

impl Person {
    /// The office held in `year`: the term that covers it (the latest to
    /// start, when several do), else the nearest one; with no year, the
    /// latest term.
    pub fn term_at(&self, year: Option<i32>) -> Option<&Term> {
        let Some(year) = year else {
            return self.terms.iter().max_by_key(|t| t.from);
        };
        self.terms
            .iter()
            .filter(|t| t.covers(year))
            .max_by_key(|t| t.from)
            .or_else(|| self.terms.iter().min_by_key(|t| t.distance(year)))
    }

    /// The one country all the person's offices are of, if there is one.
    pub fn only_country(&self) -> Option<&str> {
        let first = self.terms.first()?.country.as_deref()?;
        self.terms
            .iter()
            .all(|t| t.country.as_deref() == Some(first))
            .then_some(first)
    }
}

/// A known organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// The canonical name ("Federal Security Service").
    pub canonical: String,
    /// The file's kind ("media", "armed-group", "security", "igo"…).
    pub kind: String,
    /// ISO 3166-1 alpha-2 country, none for international bodies.
    pub country: Option<String>,
    /// CAMEO sector ("SPY", "REB", "IMG", "IGO", "MED"…).
    pub sector: String,
}

/// The known people and organisations, indexed by every name and alias.
#[derive(Debug)]
pub struct KnownActors {
    people: Vec<Person>,
    people_by_name: HashMap<String, Vec<usize>>,
    organisations: Vec<Organisation>,
    organisation_by_name: HashMap<String, usize>,
}

/// A row of a lexicon file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// The file.
    pub file: &'static str,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for LexiconError {}

fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

fn names<'a>(canonical: &'a str, aliases: &'a str) -> impl Iterator<Item = &'a str> {
    std::iter::once(canonical).chain(aliases.split('|').map(str::trim).filter(|a| !a.is_empty()))
}

impl KnownActors {
    /// The lexicons compiled into the binary, parsed on first use. Their
    /// rows are checked by this crate's tests, so a bad row cannot ship.
    pub fn bundled() -> &'static KnownActors {
        static KNOWN: OnceLock<KnownActors> = OnceLock::new();
        KNOWN.get_or_init(|| {
            KnownActors::parse(PEOPLE_TSV, ORGANISATIONS_TSV)
                .unwrap_or_else(|e| panic!("bundled lexicon: {e}"))
        })
    }

    /// Parses the two files' text.
    pub fn parse(people: &str, organisations: &str) -> Result<KnownActors, LexiconError> {
        let mut known = KnownActors {
            people: Vec::new(),
            people_by_name: HashMap::default(),
            organisations: Vec::new(),
            organisation_by_name: HashMap::default(),
        };
        let mut person_index: HashMap<String, usize> = HashMap::default();
        for (line, f) in rows(people) {
            let err = |message: String| LexiconError {
                file: "people.tsv",
                line,
                message,
            };
            if f.len() < 7 || f[0].is_empty() || f[3].is_empty() {
                return Err(err(
                    "want name, aliases, country, sector, role, from, to, source".into(),
                ));
            }
            let year = |s: &str| -> Result<Option<i32>, LexiconError> {
                if s.is_empty() {
                    return Ok(None);
                }
                s.parse()
                    .map(Some)
                    .map_err(|_| err(format!("bad year {s:?}")))
            };
            let from = year(f[5])?.ok_or_else(|| err("no first year".into()))?;
            let to = year(f[6])?;
            if to.is_some_and(|to| to < from) {
                return Err(err(format!("term ends before it starts: {from}-{}", f[6])));
            }
            let term = Term {
                country: (!f[2].is_empty()).then(|| f[2].to_string()),
                sector: f[3].to_string(),
                role: f[4].to_string(),
                from,
                to,
            };
            let idx = *person_index.entry(f[0].to_string()).or_insert_with(|| {
                known.people.push(Person {
                    canonical: f[0].to_string(),
                    terms: Vec::new(),
                });
                known.people.len() - 1
            });
            known.people[idx].terms.push(term);
            for n in names(f[0], f[1]) {
                let list = known.people_by_name.entry(n.to_string()).or_default();
                if !list.contains(&idx) {
                    list.push(idx);
                }
            }
        }
        for (line, f) in rows(organisations) {
            if f.len() < 3 || f[0].is_empty() {
                return Err(LexiconError {
                    file: "organisations.tsv",
                    line,
                    message: "want name, aliases, kind, country, sector".into(),
                });
            }
            let country = f.get(3).copied().unwrap_or("");
            known.organisations.push(Organisation {
                canonical: f[0].to_string(),
                kind: f[2].to_string(),
                country: (!country.is_empty()).then(|| country.to_string()),
                sector: f.get(4).copied().unwrap_or("").to_string(),
            });
            let idx = known.organisations.len() - 1;
            for n in names(f[0], f[1]) {
                known
                    .organisation_by_name
                    .entry(n.to_string())
                    .or_insert(idx);
            }
        }
        Ok(known)
    }

    /// The people a name or alias (as written) may mean, in file order.
    pub fn people_named<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Person> + 'a {
        self.people_by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.people[i])
    }

    /// Whether `name` names a known person.
    pub fn is_person(&self, name: &str) -> bool {
        self.people_by_name.contains_key(name)
    }

    /// Of the people `name` may mean, the one in office in `year` (else the
    /// one whose office was nearest), with that office.
    pub fn person_at(&self, name: &str, year: Option<i32>) -> Option<(&Person, &Term)> {
        self.people_named(name)
            .filter_map(|p| p.term_at(year).map(|t| (p, t)))
            .min_by_key(|(_, t)| year.map_or(0, |y| t.distance(y)))
    }

    /// The organisation a name or alias (as written) names.
    pub fn organisation(&self, name: &str) -> Option<&Organisation> {
        self.organisation_by_name
            .get(name)
            .map(|&i| &self.organisations[i])
    }

    /// Every organisation, in file order.
    pub fn organisations(&self) -> &[Organisation] {
        &self.organisations
    }

    /// Every person, in file order.
    pub fn people(&self) -> &[Person] {
        &self.people
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTORS: &[&str] = &[
        "GOV", "MIL", "COP", "SPY", "JUD", "LEG", "PTY", "OPP", "REB", "IMG", "MED", "NGO", "IGO",
        "UNO", "BUS", "EDU", "HRI", "CRM", "ELI", "CVL", "LAB", "REF", "HLH", "UAF",
    ];

    #[test]
    fn bundled_files_parse_and_use_known_codes() {
        let known = KnownActors::parse(PEOPLE_TSV, ORGANISATIONS_TSV).unwrap();
        assert!(known.people().len() > 1000);
        assert!(known.organisations().len() > 500);
        for p in known.people() {
            for t in &p.terms {
                assert!(
                    SECTORS.contains(&t.sector.as_str()),
                    "{}: {}",
                    p.canonical,
                    t.sector
                );
                if let Some(c) = &t.country {
                    assert!(
                        c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
                        "{c}"
                    );
                }
            }
        }
        for o in known.organisations() {
            assert!(
                SECTORS.contains(&o.sector.as_str()),
                "{}: {:?}",
                o.canonical,
                o.sector
            );
        }
    }

    #[test]
    fn the_term_follows_the_year() {
        let people = "# test\n\
            A One\tOne\tRU\tGOV\tPresident\t2000\t2008\ts\n\
            A One\tOne\tRU\tGOV\tPrime Minister\t2008\t2012\ts\n\
            B Two\tTwo|One\tUS\tMIL\tGeneral\t1990\t1995\ts\n";
        let known = KnownActors::parse(people, "").unwrap();
        let (p, t) = known.person_at("One", Some(2010)).unwrap();
        assert_eq!(
            (p.canonical.as_str(), t.role.as_str()),
            ("A One", "Prime Minister")
        );
        let (p, _) = known.person_at("One", Some(1993)).unwrap();
        assert_eq!(p.canonical, "B Two");
        // Outside every term: the nearest.
        let (p, t) = known.person_at("One", Some(2020)).unwrap();
        assert_eq!((p.canonical.as_str(), t.to), ("A One", Some(2012)));
        assert_eq!(known.people_named("Two").count(), 1);
    }

    #[test]
    fn bad_rows_are_named() {
        let e = KnownActors::parse("X\t\tRU\tGOV\tP\t2010\t2001\ts\n", "").unwrap_err();
        assert_eq!((e.file, e.line), ("people.tsv", 1));
        let e = KnownActors::parse("X\t\tRU\tGOV\tP\tsoon\t\ts\n", "").unwrap_err();
        assert!(e.message.contains("soon"), "{e}");
    }
}
