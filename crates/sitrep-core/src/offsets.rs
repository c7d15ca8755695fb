//! Code-point offsets over a UTF-8 string.
//!
//! The output contract counts Unicode code points (Python's `str` indexing);
//! Rust strings index bytes. [`CharIndex`] converts between the two in O(1)
//! (char → byte) and O(log n) (byte → char), and costs nothing for ASCII text,
//! which is most news.

/// Conversion table between code-point and byte offsets of one text.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// Byte offset of every code point, plus the text length at the end.
    /// Empty when the text is ASCII (offsets are then identical).
    char_to_byte: Vec<u32>,
    len_bytes: usize,
}

impl CharIndex {
    /// Builds the table for `text`.
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex {
                char_to_byte: Vec::new(),
                len_bytes: text.len(),
            };
        }
        let mut char_to_byte: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        char_to_byte.push(text.len() as u32);
        CharIndex {
            char_to_byte,
            len_bytes: text.len(),
        }
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        if self.char_to_byte.is_empty() {
            self.len_bytes
        } else {
            self.char_to_byte.len() - 1
        }
    }

    /// Byte offset of code point `c`; offsets past the end clamp to the end.
    pub fn byte(&self, c: usize) -> usize {
        if self.char_to_byte.is_empty() {
            c.min(self.len_bytes)
        } else {
            self.char_to_byte
                .get(c)
                .map(|&b| b as usize)
                .unwrap_or(self.len_bytes)
        }
    }

    /// Code-point offset of byte `b`. A byte inside a multi-byte character maps
    /// to that character's start; offsets past the end clamp to the end.
    pub fn char(&self, b: usize) -> usize {
        if self.char_to_byte.is_empty() {
            return b.min(self.len_bytes);
        }
        match self.char_to_byte.binary_search(&(b as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1).min(self.len_chars()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_identity() {
        let ix = CharIndex::new("Bakhmut");
        assert_eq!(ix.len_chars(), 7);
        assert_eq!(ix.byte(3), 3);
        assert_eq!(ix.char(3), 3);
        assert_eq!(ix.byte(99), 7);
    }

    #[test]
    fn multibyte_round_trips() {
        let text = "«Київ» — 10 km";
        let ix = CharIndex::new(text);
        assert_eq!(ix.len_chars(), text.chars().count());
        for (c, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(ix.byte(c), b);
            assert_eq!(ix.char(b), c);
        }
        assert_eq!(ix.byte(ix.len_chars()), text.len());
        assert_eq!(ix.char(text.len()), ix.len_chars());
        // a byte inside "К" (2 bytes) maps to its start
        assert_eq!(ix.char(3), 1);
    }
}
