//! The canonical text form every reader produces.

/// Brings text into sitrep's canonical form, the form every reader
/// produces so that the same article yields byte-identical text whatever
/// its input format:
///
/// - a leading byte-order mark is removed; CRLF and lone CR become LF;
/// - each line is a paragraph; paragraphs are separated by a single `\n`,
///   with no blank lines and no leading or trailing whitespace;
/// - within a paragraph, runs of ASCII spaces, tabs, vertical tabs and form
///   feeds become one space;
/// - each paragraph is trimmed of whitespace at both ends (any Unicode
///   white space, plus zero-width space and BOM), so a paragraph of only
///   `&nbsp;` disappears; a paragraph that is empty after trimming is
///   dropped;
/// - every other character is kept as it is, including NBSP and zero-width
///   characters *inside* a paragraph (the segmenter deals with them).
///
/// The function is idempotent.
///
/// ```
/// use sitrep_ingest::normalize_text;
/// assert_eq!(
///     normalize_text("\u{feff}  Kyiv,\t\tMonday\r\n\r\n\u{a0}\nShelling  continued. \r"),
///     "Kyiv, Monday\nShelling continued."
/// );
/// ```
pub fn normalize_text(s: &str) -> String {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    let mut para = String::new();
    for line in s.split(['\n', '\r']) {
        para.clear();
        let mut space = false;
        for c in line.chars() {
            if matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}') {
                space = true;
            } else {
                if space && !para.is_empty() {
                    para.push(' ');
                }
                space = false;
                para.push(c);
            }
        }
        let p = para.trim_matches(is_edge_space);
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(p);
    }
    out
}

/// Characters trimmed from both ends of a paragraph.
fn is_edge_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')
}

/// Whether `text` (LF line ends) looks hard-wrapped: it has blank-line
/// paragraph breaks, and most lines inside multi-line paragraphs (the last
/// line of each paragraph, naturally short, is not counted) are 50–100
/// characters long. At least two lines must be counted.
pub(crate) fn looks_hard_wrapped(text: &str) -> bool {
    let paras = blank_line_paragraphs(text);
    if paras.len() < 2 {
        return false;
    }
    let (mut counted, mut wrapped) = (0usize, 0usize);
    for p in &paras {
        if p.len() < 2 {
            continue;
        }
        for line in &p[..p.len() - 1] {
            counted += 1;
            let n = line.trim().chars().count();
            if (50..=100).contains(&n) {
                wrapped += 1;
            }
        }
    }
    counted >= 2 && wrapped * 2 > counted
}

/// Splits `text` into paragraphs at blank (whitespace-only) lines; each
/// paragraph is its list of lines.
pub(crate) fn blank_line_paragraphs(text: &str) -> Vec<Vec<&str>> {
    let mut paras: Vec<Vec<&str>> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras
}

/// Joins the lines of each blank-line paragraph with a space, paragraphs
/// with a newline.
pub(crate) fn unwrap_paragraphs(text: &str) -> String {
    blank_line_paragraphs(text)
        .iter()
        .map(|p| p.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a line can be a headline: at most 25 words and no sentence
/// punctuation at its end (`. ! ? : ; …`, possibly followed by closing
/// quotes or brackets).
pub(crate) fn looks_like_title(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() || line.split_whitespace().count() > 25 {
        return false;
    }
    let core = line.trim_end_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | '’' | '”' | '»' | '›' | ')' | ']' | '}' | '」' | '』'
        ) || c.is_whitespace()
    });
    !core.ends_with(['.', '!', '?', ':', ';', '…', '。', '！', '？'])
}

/// Text comparison key for "is this paragraph the title": whitespace
/// collapsed, case folded.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form() {
        assert_eq!(normalize_text(""), "");
        assert_eq!(normalize_text(" \n\t\r\n "), "");
        assert_eq!(normalize_text("a\r\nb\rc\n\n\nd"), "a\nb\nc\nd");
        assert_eq!(normalize_text("a \t  b"), "a b");
        assert_eq!(
            normalize_text("a\u{a0}\u{a0}b"),
            "a\u{a0}\u{a0}b",
            "NBSP kept"
        );
        assert_eq!(normalize_text("a\u{200b}b"), "a\u{200b}b", "ZWSP kept");
        assert_eq!(normalize_text("\u{a0}x\u{a0}\n\u{a0}"), "x");
        assert_eq!(normalize_text("\u{feff}x"), "x");
    }

    #[test]
    fn idempotent() {
        for s in [
            "  a  b \r\n\r\n c\u{a0} \n\u{2003}d\u{200b}\n",
            "\u{feff}\u{feff}x",
            "\u{b}\u{c}y \u{85} z",
        ] {
            let once = normalize_text(s);
            assert_eq!(normalize_text(&once), once, "{s:?}");
        }
    }

    #[test]
    fn titles() {
        assert!(looks_like_title("Shelling Resumes in Kharkiv"));
        assert!(looks_like_title("Russia Says It Is 'Ready For Talks'"));
        assert!(!looks_like_title("Shelling resumed on Monday."));
        assert!(!looks_like_title("He said: \"We are ready.\""));
        assert!(!looks_like_title("Why now?"));
        assert!(!looks_like_title(&"word ".repeat(26)));
    }

    #[test]
    fn hard_wrap_detection() {
        let wrapped = "The regional governor said on Tuesday that three drones\n\
                       were shot down over the district before dawn, and that\n\
                       no one was hurt.\n\nA second paragraph follows here and it is\n\
                       also wrapped at roughly sixty characters per line.\n";
        assert!(looks_hard_wrapped(wrapped));
        assert_eq!(
            unwrap_paragraphs(wrapped),
            "The regional governor said on Tuesday that three drones were shot down over \
             the district before dawn, and that no one was hurt.\nA second paragraph follows \
             here and it is also wrapped at roughly sixty characters per line."
        );
        assert!(!looks_hard_wrapped("one line\nanother line\nthird"));
        assert!(!looks_hard_wrapped("short\nlines\n\nin\nparas\n"));
    }
}
