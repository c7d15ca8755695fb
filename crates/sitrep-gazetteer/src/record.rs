//! The fixed-width record every gazetteer entry is stored as, and its kinds.
//!
//! `records.bin` is an array of [`RECORD_BYTES`]-byte little-endian records,
//! indexed by [`PlaceId`]; decoding one is a few loads from the memory map.

/// Bytes per record in `records.bin`.
pub const RECORD_BYTES: usize = 40;

/// "No such entry" in the admin1/admin2 fields.
const NONE: u32 = u32::MAX;

/// Index of an entry in the gazetteer (not a GeoNames id).
pub type PlaceId = u32;

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    /// A sovereign country or dependent territory.
    Country = 0,
    /// A first-order division: state, oblast, province.
    Admin1 = 1,
    /// A second-order division: county, raion, district.
    Admin2 = 2,
    /// A city, town or village.
    Settlement = 3,
    /// An area without administrative status: Donbas, the Sahel, the Gaza Strip.
    Region = 4,
    /// A continent or macro-region: Europe, the Asia-Pacific.
    MacroRegion = 5,
    /// A sea, river, lake or gulf.
    Water = 6,
}

impl Kind {
    /// Decodes the stored byte; unknown bytes read as [`Kind::Settlement`].
    pub fn from_u8(b: u8) -> Kind {
        match b {
            0 => Kind::Country,
            1 => Kind::Admin1,
            2 => Kind::Admin2,
            4 => Kind::Region,
            5 => Kind::MacroRegion,
            6 => Kind::Water,
            _ => Kind::Settlement,
        }
    }

    /// Parses the kind names used in our data files (`country`, `admin1`,
    /// `admin2`, `settlement`, `region`, `macro-region`, `water`).
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "country" => Kind::Country,
            "admin1" => Kind::Admin1,
            "admin2" => Kind::Admin2,
            "settlement" => Kind::Settlement,
            "region" => Kind::Region,
            "macro-region" => Kind::MacroRegion,
            "water" => Kind::Water,
            _ => return None,
        })
    }

    /// The GeoNames-style feature code reported for this kind when the
    /// source gave none.
    pub fn default_feature(self) -> &'static str {
        match self {
            Kind::Country => "PCLI",
            Kind::Admin1 => "ADM1",
            Kind::Admin2 => "ADM2",
            Kind::Settlement => "PPL",
            Kind::Region => "RGN",
            Kind::MacroRegion => "CONT",
            Kind::Water => "SEA",
        }
    }
}

/// Flag: the entry comes from our own data files (the front-line
/// supplement or the regions list), not from a registry package.
pub const FLAG_OURS: u32 = 1;
/// Flag: the point is derived (mean of the settlements inside an admin
/// unit or country), not a surveyed point.
pub const FLAG_DERIVED_POINT: u32 = 2;
/// Flag: the settlement is its country's capital.
pub const FLAG_CAPITAL: u32 = 4;
/// Flag: a US town known from the postal service's ZIP codes only (PyPI
/// `zipcodes`): no GeoNames id and no population, its point the middle of
/// its ZIP codes' points.
pub const FLAG_POSTAL: u32 = 8;

/// One gazetteer entry, decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record {
    /// GeoNames id, 0 when the entry has none (our own supplement rows).
    pub geonameid: u32,
    /// Latitude, WGS84 degrees.
    pub lat: f32,
    /// Longitude, WGS84 degrees.
    pub lon: f32,
    /// Population (0 when unknown).
    pub population: u32,
    /// Offset of the preferred name in `strings.bin`.
    pub name_off: u32,
    /// Byte length of the preferred name.
    pub name_len: u16,
    /// Kind of place.
    pub kind: Kind,
    /// ISO 3166-1 alpha-2 country code, `[0, 0]` for none.
    pub country: [u8; 2],
    /// The admin1 entry containing this one.
    pub admin1: Option<PlaceId>,
    /// The admin2 entry containing this one.
    pub admin2: Option<PlaceId>,
    /// [`FLAG_OURS`], [`FLAG_DERIVED_POINT`], [`FLAG_CAPITAL`],
    /// [`FLAG_POSTAL`].
    pub flags: u32,
}

impl Record {
    /// Encodes into `out` (exactly [`RECORD_BYTES`] bytes appended).
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.geonameid.to_le_bytes());
        out.extend_from_slice(&self.lat.to_le_bytes());
        out.extend_from_slice(&self.lon.to_le_bytes());
        out.extend_from_slice(&self.population.to_le_bytes());
        out.extend_from_slice(&self.name_off.to_le_bytes());
        out.extend_from_slice(&self.name_len.to_le_bytes());
        out.push(self.kind as u8);
        out.push(0);
        out.extend_from_slice(&self.country);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.admin1.unwrap_or(NONE).to_le_bytes());
        out.extend_from_slice(&self.admin2.unwrap_or(NONE).to_le_bytes());
        out.extend_from_slice(&self.flags.to_le_bytes());
    }

    /// Decodes one record; `bytes` must hold at least [`RECORD_BYTES`].
    pub fn decode(bytes: &[u8]) -> Record {
        let u32_at =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let opt = |v: u32| (v != NONE).then_some(v);
        Record {
            geonameid: u32_at(0),
            lat: f32::from_bits(u32_at(4)),
            lon: f32::from_bits(u32_at(8)),
            population: u32_at(12),
            name_off: u32_at(16),
            name_len: u16::from_le_bytes([bytes[20], bytes[21]]),
            kind: Kind::from_u8(bytes[22]),
            country: [bytes[24], bytes[25]],
            admin1: opt(u32_at(28)),
            admin2: opt(u32_at(32)),
            flags: u32_at(36),
        }
    }

    /// This record with every field zeroed and no links: what an id outside
    /// the index reads as.
    pub fn emptied(self) -> Record {
        Record {
            geonameid: 0,
            lat: 0.0,
            lon: 0.0,
            population: 0,
            name_off: 0,
            name_len: 0,
            kind: Kind::Region,
            country: [0, 0],
            admin1: None,
            admin2: None,
            flags: 0,
        }
    }

    /// The country code as text, `None` when the entry has no country.
    pub fn country_code(&self) -> Option<&str> {
        if self.country == [0, 0] {
            None
        } else {
            std::str::from_utf8(&self.country).ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let r = Record {
            geonameid: 713174,
            lat: 48.59419,
            lon: 37.99886,
            population: 80500,
            name_off: 12,
            name_len: 7,
            kind: Kind::Settlement,
            country: *b"UA",
            admin1: Some(3),
            admin2: None,
            flags: FLAG_CAPITAL,
        };
        let mut buf = Vec::new();
        r.encode(&mut buf);
        assert_eq!(buf.len(), RECORD_BYTES);
        assert_eq!(Record::decode(&buf), r);
        assert_eq!(r.country_code(), Some("UA"));
    }
}
