//! The word lists the places stage consults, from `data/lexicons/` and
//! small closed classes kept here.

use std::collections::{HashMap, HashSet};

/// Nationality adjectives and plurals ("Russian", "Ukrainians"): never
/// toponyms here (see `data/lexicons/demonyms.tsv`).
pub const DEMONYMS_TSV: &str = include_str!("../../../data/lexicons/demonyms.tsv");

/// Capitalised words that are gazetteer names but, in news, almost never
/// the place (`data/lexicons/not-places.tsv`).
pub const NOT_PLACES_TSV: &str = include_str!("../../../data/lexicons/not-places.tsv");

/// Words of one country's institutions ("sheriff", "Gardaí"): votes for
/// that country in the document's focus (`data/lexicons/country-words.tsv`).
pub const COUNTRY_WORDS_TSV: &str = include_str!("../../../data/lexicons/country-words.tsv");

fn first_columns(tsv: &str) -> impl Iterator<Item = (&str, &str)> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut cols = l.split('\t');
            (
                cols.next().unwrap_or("").trim(),
                cols.next().unwrap_or("").trim(),
            )
        })
}

/// The loaded word lists.
#[derive(Debug)]
pub struct Lexicon {
    /// Lower-cased demonym (and its plural) → country code or region.
    pub demonyms: HashMap<String, String>,
    /// Lower-cased words never taken as a toponym when they stand alone.
    pub not_places: HashSet<String>,
    /// Country words by their first lower-cased token: the tokens after
    /// it and the country code.
    pub country_words: HashMap<String, Vec<CountryWord>>,
}

/// One entry of `country-words.tsv`.
#[derive(Debug)]
pub struct CountryWord {
    /// Its lower-cased tokens after the first.
    pub rest: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country: [u8; 2],
}

fn country_words() -> HashMap<String, Vec<CountryWord>> {
    let mut out: HashMap<String, Vec<CountryWord>> = HashMap::new();
    for (phrase, code) in first_columns(COUNTRY_WORDS_TSV) {
        let mut tokens = phrase.split(' ').map(str::to_lowercase);
        let (Some(first), &[a, b]) = (tokens.next(), code.as_bytes()) else {
            continue;
        };
        out.entry(first).or_default().push(CountryWord {
            rest: tokens.collect(),
            country: [a, b],
        });
    }
    out
}

/// The bundled nationality adjectives: lower-cased word and its plural →
/// country code or group. Shared with the entities stage, which reads them
/// as NORPs.
pub fn demonyms() -> HashMap<String, String> {
    let mut demonyms = HashMap::new();
    for (word, code) in first_columns(DEMONYMS_TSV) {
        let w = word.to_lowercase();
        demonyms.insert(format!("{w}s"), code.to_string());
        demonyms.insert(w, code.to_string());
    }
    demonyms
}

impl Lexicon {
    /// Parses the bundled lists.
    pub fn bundled() -> Lexicon {
        let demonyms = demonyms();
        let not_places = first_columns(NOT_PLACES_TSV)
            .map(|(w, _)| w.to_lowercase())
            .collect();
        Lexicon {
            demonyms,
            not_places,
            country_words: country_words(),
        }
    }
}

/// Words after a name that make it part of an organisation or office whose
/// name still locates it ("Alexandria Police", "Ohio State", "Kharkiv City
/// Council"): the toponym is kept, the run may go on.
pub const ORG_HEADS: &[&str] = &[
    "police",
    "sheriff",
    "sheriff's",
    "fire",
    "city",
    "department",
    "state",
    "mayor",
    "high",
    "public",
    "community",
    "district",
    "highway",
    "council",
    "town",
    "national",
    "board",
    "superior",
    "regional",
    "senior",
    "volunteer",
    "circuit",
    "army",
    "school",
    "jail",
    "court",
    "coroner",
    "chamber",
    "medical",
    "detention",
    "area",
    "electric",
    "international",
    "arts",
    "house",
    "health",
    "courthouse",
    "municipal",
    "middle",
    "environmental",
    "fair",
    "central",
    "water",
    "hospital",
    "governor",
    "commissioners",
    "parks",
    "county",
    "parish",
    "township",
    "village",
    "oblast",
    "region",
    "province",
    "governorate",
    "raion",
    "airport",
    "station",
    "port",
    "harbor",
    "harbour",
    "bay",
    "regiment",
    "brigade",
    "battalion",
    "division",
    "military",
    "administration",
    "government",
    "general",
    "emergency",
    "metropolitan",
    "zoo",
    "library",
    "museum",
    "police.",
    "senate",
    "congress",
    "embassy",
    "navy",
    "air",
    "coast",
    "marine",
    "marines",
    "forces",
    "supreme",
    "legislature",
    "assembly",
    "parliament",
    "guard",
    "ministry",
    "armed",
    "defence",
    "defense",
    "border",
    // A place's own civic bodies and works ("the Dublin Historical
    // Society", "the Ohio Turnpike") locate them; a newspaper or a team
    // ("the Washington Post") does not, and is not listed; nor are streets
    // and campuses ("Lincoln Road", "Texas University" mislead more than
    // they place, measured on LGL).
    "association",
    "society",
    "historical",
    "coalition",
    "convention",
    "bureau",
    "branch",
    "project",
    "art",
    "veterans",
    "commission",
    "agency",
    "agencies",
    "authority",
    "turnpike",
    "symphony",
    "orchestra",
    "choir",
    "singers",
    "league",
    "church",
    "cathedral",
    "mosque",
    "synagogue",
    "centre",
    "clinic",
    "hall",
    "park",
    "reservoir",
    "lake",
    "river",
    "dam",
    "square",
    "citizens",
    "residents",
    "chapter",
    "office",
    "offices",
    "office's",
    "hotel",
    "farm",
    "forestry",
    "interior",
    "civic",
    "republican",
    "republicans",
    "democratic",
    "democrats",
    "teachers",
    "unified",
    "independent",
    // Local institutions named after their town ("Amherst College", "the
    // Zionsville Education Foundation", "the Nashville Film Festival").
    "college",
    "foundation",
    "festival",
    "club",
    "education",
    "schools",
    "recreation",
];

/// Head words of government bodies named after a place ("the U.S.
/// Attorney's Office"), beyond [`ORG_HEADS`].
pub const BODY_HEADS: &[&str] = &[
    "attorney",
    "service",
    "services",
    "office",
    "cabinet",
    "observatory",
    "department",
    "agency",
    "commission",
    "court",
    "legislature",
    "senate",
    "house",
    "assembly",
    "secretary",
    "treasury",
    "embassy",
    "consulate",
    "mission",
    "committee",
    "fame",
    "institute",
    "academy",
    "command",
];

/// Words before a name that belong to the toponym's description rather than
/// to a longer name ("Northeast Ohio", "Metro Atlanta", "The Hague").
pub const PLACE_PREFIXES: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "metro",
    "downtown",
    "greater",
    "upper",
    "lower",
    "occupied",
    "liberated",
    "rural",
    "suburban",
    "coastal",
    "the",
    "a",
    "an",
    "in",
    "at",
    "from",
    "to",
    "near",
    "of",
    "outside",
    "across",
    "around",
    "through",
    "into",
    "over",
    "via",
    "and",
    "or",
    "but",
    "while",
    "for",
    "on",
    "by",
    "with",
    "both",
    "all",
    "historic",
    "metropolitan",
    "former",
    "new",
];

/// Prepositions that put a place after them ("in Hope", "near Mobile").
pub const LOCATIVES: &[&str] = &[
    "in",
    "at",
    "near",
    "from",
    "to",
    "outside",
    "across",
    "around",
    "into",
    "toward",
    "towards",
    "through",
    "between",
    "via",
    "of",
    "inside",
    "within",
    "beyond",
    "past",
    "throughout",
    "downtown",
];

/// Titles and offices before a name that make it a person's.
pub const PERSON_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "lord",
    "lady",
    "gen",
    "general",
    "col",
    "colonel",
    "maj",
    "major",
    "capt",
    "captain",
    "lt",
    "sgt",
    "sergeant",
    "cpl",
    "pvt",
    "adm",
    "admiral",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "president",
    "minister",
    "premier",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "rev",
    "father",
    "sister",
    "brother",
    "judge",
    "justice",
    "officer",
    "deputy",
    "detective",
    "det",
    "trooper",
    "chief",
    "commander",
    "mayor",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "coach",
    "dean",
    "professor",
    "prof",
    "st",
    "saint",
    "mother",
    "uncle",
    "aunt",
    "son",
    "daughter",
    "wife",
    "husband",
    "mrs.",
    "mr.",
    "sheriff",
    "clerk",
    "commissioner",
    "attorney",
    "coroner",
    "superintendent",
    "principal",
    "pastor",
    "bishop",
    "councilman",
    "councilwoman",
    "alderman",
    "trustee",
    "supervisor",
    "sen.",
    "rep.",
    "gov.",
];

/// Speech verbs that make a country or capital stand for its government
/// ("Kyiv said", "Moscow denied").
pub const METONYMY_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "announced",
    "claimed",
    "claims",
    "denied",
    "denies",
    "insisted",
    "warned",
    "warns",
    "accused",
    "accuses",
    "urged",
    "urges",
    "demanded",
    "demands",
    "rejected",
    "rejects",
    "stated",
    "confirmed",
    "reported",
    "responded",
    "vowed",
    "threatened",
    "agreed",
    "refused",
    "condemned",
    "condemns",
    "welcomed",
    "wants",
];

/// Speech verbs after a lone name that make it a person speaking ("Moore
/// said"), unless the name is a country, division or capital.
pub const SPEECH_VERBS: &[&str] = &["said", "says", "say", "announced", "claimed", "claims"];

/// Words after a name that say what kind of place it is.
pub fn type_word(word: &str) -> Option<TypeHint> {
    Some(match word {
        // "the New York border": towns have no borders of their own.
        "region" | "oblast" | "province" | "state" | "governorate" | "krai" | "republic"
        | "border" => TypeHint::Admin1,
        // "Loudon Co. man": local news abbreviates "County".
        "raion" | "district" | "county" | "co." | "parish" | "municipality" => TypeHint::Admin2,
        "city" | "town" | "village" | "settlement" | "township" => TypeHint::Settlement,
        "direction" | "directions" | "sector" | "axis" | "front" | "area" | "outskirts" => {
            TypeHint::Front
        }
        _ => return None,
    })
}

/// Words that make the name before them a street's ("Washington Drive",
/// "Dublin Road").
pub fn is_street_word(word: &str) -> bool {
    matches!(
        word,
        "road"
            | "rd."
            | "street"
            | "avenue"
            | "ave."
            | "ave"
            | "drive"
            | "boulevard"
            | "blvd."
            | "blvd"
            | "lane"
    )
}

/// Plural type words after a list of names ("the Donetsk and Luhansk
/// regions", "Barrow and Jackson counties"): the kind of every name in it.
pub fn plural_type_word(word: &str) -> Option<TypeHint> {
    Some(match word {
        "regions" | "oblasts" | "provinces" | "states" | "governorates" | "republics" => {
            TypeHint::Admin1
        }
        "raions" | "districts" | "counties" | "parishes" | "municipalities" => TypeHint::Admin2,
        "cities" | "towns" | "villages" | "settlements" | "townships" => TypeHint::Settlement,
        _ => return None,
    })
}

/// Words before "of X" that say what kind of place X is ("the city of X").
pub fn type_word_before_of(word: &str) -> Option<TypeHint> {
    Some(match word {
        "city" | "town" | "village" | "settlement" | "hamlet" | "port" | "capital" => {
            TypeHint::Settlement
        }
        "region" | "province" | "state" | "oblast" => TypeHint::Admin1,
        "county" | "district" => TypeHint::Admin2,
        _ => return None,
    })
}

/// What the words around a toponym say about its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeHint {
    /// "the Donetsk region", "Kharkiv oblast".
    Admin1,
    /// "Bakhmut raion", "Rapides Parish".
    Admin2,
    /// "the city of Bakhmut", "Andriivka village".
    Settlement,
    /// "the Bakhmut direction", "the Zaporizhzhia front": a settlement or
    /// division giving its name to a front sector.
    Front,
}

fn member(
    set: &'static std::sync::OnceLock<HashSet<&'static str>>,
    words: &'static [&'static str],
    w: &str,
) -> bool {
    set.get_or_init(|| words.iter().copied().collect())
        .contains(w)
}

macro_rules! word_test {
    ($(#[$doc:meta] $name:ident => $list:ident),* $(,)?) => {$(
        #[$doc]
        pub fn $name(word: &str) -> bool {
            static SET: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
            member(&SET, $list, word)
        }
    )*};
}

// Hashed membership for the lists above: they are consulted for most
// tokens, where a linear scan of a hundred words showed in profiles.
word_test! {
    /// `word` is in [`LOCATIVES`].
    is_locative => LOCATIVES,
    /// `word` is in [`ORG_HEADS`].
    is_org_head => ORG_HEADS,
    /// `word` is in [`PERSON_TITLES`].
    is_person_title => PERSON_TITLES,
    /// `word` is in [`PLACE_PREFIXES`].
    is_place_prefix => PLACE_PREFIXES,
    /// `word` is in [`BODY_HEADS`].
    is_body_head => BODY_HEADS,
}
