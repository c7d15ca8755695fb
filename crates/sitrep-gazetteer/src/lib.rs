//! sitrep's gazetteer: the places the geoparser can resolve to, built once
//! from pinned registry packages and our own data files into a compact
//! index that is memory-mapped at start-up and shared by reference across
//! threads.
//!
//! The index maps every [`fold`]ed name (preferred names, alternate and
//! historical names in many scripts, our aliases) through an [`fst`] map to
//! a list of entries ordered by prior, and each entry to a fixed-width
//! [`Record`]: GeoNames id, point, population, [`Kind`], country, and the
//! admin1/admin2 entries containing it. [`build`] writes it (the first
//! README command runs it through `sitrep gazetteer build`); [`Gazetteer`]
//! reads it. Where the data comes from and under which licence: the
//! [`build`] module docs and `data/gazetteer/README.md`.
//!
//! ```
//! use sitrep_gazetteer::{build, fold, Gazetteer, Kind};
//! # let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
//! # let out = std::env::temp_dir().join(format!("sitrep-gaz-doctest-{}", std::process::id()));
//! // Build the small fixture gazetteer kept in the repository…
//! let sources = build::Sources::fixture(&root);
//! build::build(&sources, &out)?;
//! // …open it, and look a name up as people write it.
//! let gaz = Gazetteer::open(&out)?;
//! let (id, _how) = gaz.lookup(&fold("Artemovsk")).next().expect("an old name of Bakhmut");
//! assert_eq!(gaz.name(id), "Bakhmut");
//! assert_eq!(gaz.record(id).kind, Kind::Settlement);
//! # std::fs::remove_dir_all(&out).ok();
//! # Ok::<(), sitrep_gazetteer::Error>(())
//! ```
#![deny(missing_docs)]

pub mod build;
mod fold;
mod index;
mod record;

use std::fmt;
use std::path::{Path, PathBuf};

pub use fold::{fold, fold_into};
pub use index::{Gazetteer, Lookup, Meta, NameKind, SourceInfo, FORMAT_VERSION};
pub use record::{
    Kind, PlaceId, Record, FLAG_CAPITAL, FLAG_DERIVED_POINT, FLAG_OURS, FLAG_POSTAL, RECORD_BYTES,
};

/// A gazetteer error, naming the file it concerns.
#[derive(Debug)]
pub struct Error {
    /// The file or directory concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// The kinds of [`Error`].
#[derive(Debug)]
pub enum ErrorKind {
    /// Reading or writing failed.
    Io(std::io::Error),
    /// The file is there but not what it should be.
    Corrupt(String),
}

impl Error {
    pub(crate) fn io(path: &Path, e: std::io::Error) -> Error {
        Error {
            path: path.to_path_buf(),
            kind: ErrorKind::Io(e),
        }
    }

    pub(crate) fn corrupt(path: &Path, why: String) -> Error {
        Error {
            path: path.to_path_buf(),
            kind: ErrorKind::Corrupt(why),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Io(e) => write!(f, "{}: {e}", self.path.display()),
            ErrorKind::Corrupt(why) => write!(f, "{}: {why}", self.path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            ErrorKind::Corrupt(_) => None,
        }
    }
}

/// Great-circle distance in km between two WGS84 points (haversine, mean
/// Earth radius 6371.0088 km).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// Initial bearing in degrees (0 = north, 90 = east) from point 1 to point 2.
pub fn bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}
