//! Bounded reading: nothing is read into memory past the per-document limit.

use std::io::{self, BufRead, Read};

use crate::Error;

/// Reads all of `reader` if it is at most `limit` bytes; otherwise drains
/// the rest without keeping it, to report the size, and fails with
/// [`Error::TooLarge`].
pub(crate) fn read_bounded(reader: &mut dyn Read, limit: usize) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    let cap = (limit as u64).saturating_add(1);
    reader.take(cap).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit as u64 {
        let rest = io::copy(reader, &mut io::sink())?;
        return Err(Error::TooLarge {
            bytes: buf.len() as u64 + rest,
            limit: limit as u64,
        });
    }
    Ok(buf)
}

/// Reads up to `n` bytes (fewer only at end of input).
pub(crate) fn read_head(reader: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    reader.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// One line read by [`read_line_bounded`].
pub(crate) enum Line {
    /// End of input, nothing read.
    Eof,
    /// A line (without its `\n`) no longer than the limit.
    Ok,
    /// A line longer than the limit: it was skipped up to its newline; the
    /// value is its full length without the newline.
    TooLong(u64),
}

/// Reads one `\n`-terminated line into `buf` (cleared first), keeping at
/// most `limit` bytes in memory. A longer line is consumed to its end and
/// reported as [`Line::TooLong`].
pub(crate) fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut any = false;
    let mut over = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, used, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        total += part.len() as u64;
        if !over {
            if buf.len() + part.len() > limit {
                over = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        reader.consume(used);
        if done {
            break;
        }
    }
    Ok(if !any {
        Line::Eof
    } else if over {
        Line::TooLong(total)
    } else {
        Line::Ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let data = b"short\nxxxxxxxxxxxxxxxxxxxx\nlast";
        let mut r = io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut r, &mut buf, 10).unwrap(),
            Line::Ok
        ));
        assert_eq!(buf, b"short");
        assert!(matches!(
            read_line_bounded(&mut r, &mut buf, 10).unwrap(),
            Line::TooLong(20)
        ));
        assert!(buf.len() <= 10);
        assert!(matches!(
            read_line_bounded(&mut r, &mut buf, 10).unwrap(),
            Line::Ok
        ));
        assert_eq!(buf, b"last");
        assert!(matches!(
            read_line_bounded(&mut r, &mut buf, 10).unwrap(),
            Line::Eof
        ));
    }

    #[test]
    fn bounded_read() {
        let data = [b'a'; 100];
        assert_eq!(read_bounded(&mut &data[..], 100).unwrap().len(), 100);
        match read_bounded(&mut &data[..], 99) {
            Err(Error::TooLarge {
                bytes: 100,
                limit: 99,
            }) => {}
            other => panic!("{other:?}"),
        }
    }
}
