//! Compact actor-code pieces: a country or sector is three ASCII letters,
//! kept inline so that actor mentions are `Copy` and cost no allocation.

use std::fmt;

/// Three upper-case letters of a CAMEO-style code: a country (`RUS`), a
/// bloc (`IGO`, `WST`, `NGO`) or a sector (`GOV`, `MIL`, `UNO`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub(crate) struct Code3([u8; 3]);

impl Code3 {
    /// The code for a three-byte ASCII string, else `None`.
    pub fn new(s: &str) -> Option<Code3> {
        let b = s.as_bytes();
        (b.len() == 3 && b.is_ascii()).then(|| Code3([b[0], b[1], b[2]]))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (see `new`).
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Debug for Code3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Code3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Code3 {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for Code3 {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

/// Up to four sector codes, in order, without repeats (a fifth is dropped:
/// no actor in the codebook has more than three).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Sectors {
    codes: [Code3; 4],
    len: u8,
}

impl fmt::Debug for Sectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Sectors {
    /// One sector.
    pub fn one(s: Code3) -> Sectors {
        let mut out = Sectors::default();
        out.push(s);
        out
    }

    /// The sectors in order.
    pub fn as_slice(&self) -> &[Code3] {
        &self.codes[..self.len as usize]
    }

    /// Adds `s` unless it is there already.
    pub fn push(&mut self, s: Code3) {
        if !self.as_slice().contains(&s) && (self.len as usize) < self.codes.len() {
            self.codes[self.len as usize] = s;
            self.len += 1;
        }
    }

    /// Adds the sector spelled `s`, if it is a code.
    pub fn push_str(&mut self, s: &str) {
        if let Some(c) = Code3::new(s) {
            self.push(c);
        }
    }

    /// Removes and returns the last sector.
    pub fn pop(&mut self) -> Option<Code3> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        Some(self.codes[self.len as usize])
    }

    /// Keeps the sectors for which `keep` holds.
    pub fn retain(&mut self, keep: impl Fn(&Code3) -> bool) {
        let mut out = Sectors::default();
        for s in self.as_slice().iter().filter(|s| keep(s)) {
            out.push(*s);
        }
        *self = out;
    }

    /// No sector.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of sectors.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the sector spelled `s` is among them.
    pub fn contains(&self, s: &str) -> bool {
        self.as_slice().iter().any(|c| c == s)
    }

    /// Exactly the one sector spelled `s`.
    pub fn is_only(&self, s: &str) -> bool {
        self.len == 1 && self.codes[0] == s
    }

    /// The sectors in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Code3> {
        self.as_slice().iter()
    }

    /// The first sector.
    pub fn first(&self) -> Option<&Code3> {
        self.as_slice().first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectors_keep_order_without_repeats() {
        let mut s = Sectors::default();
        for c in ["GOV", "MIL", "GOV", "UNO", "REB", "SPY"] {
            s.push_str(c);
        }
        let got: Vec<&str> = s.iter().map(Code3::as_str).collect();
        assert_eq!(got, ["GOV", "MIL", "UNO", "REB"]);
        assert_eq!(s.pop().map(|c| c.to_string()).as_deref(), Some("REB"));
        s.retain(|c| c != "MIL");
        assert_eq!(s.len(), 2);
        assert!(s.contains("UNO") && !s.contains("MIL"));
        assert!(Code3::new("RUSGOV").is_none() && Code3::new("é").is_none());
    }
}
