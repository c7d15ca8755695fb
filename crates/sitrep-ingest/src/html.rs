//! HTML pages: charset, metadata, main content, block-aware text.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use encoding_rs::{Encoding, UTF_8};
use sitrep_core::{Date, PublishedSource};

use crate::dates::parse_date_lenient;
use crate::normalize::{normalize_text, same_text};
use crate::text::collapse;
use crate::{Error, Origin, RawDoc};

/// Decodes an HTML page's bytes. The encoding is taken from, in order: a
/// byte-order mark; a `<meta charset>` or `<meta http-equiv>` in the first
/// 4 KB; the HTTP `Content-Type` (WARC records); UTF-8 if the bytes are
/// valid UTF-8; else chardetng's guess. Malformed sequences become U+FFFD.
pub(crate) fn decode_html(bytes: &[u8], http_content_type: Option<&str>) -> String {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let declared = meta_charset(&bytes[..bytes.len().min(4096)])
        .or_else(|| http_content_type.and_then(|ct| charset_param(ct.as_bytes())))
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        // A page cannot really be UTF-16 if its meta tag was readable as
        // ASCII; the HTML standard says to use UTF-8 then.
        .map(|e| {
            if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                UTF_8
            } else {
                e
            }
        });
    let enc = match declared {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            det.guess(None, chardetng::Utf8Detection::Allow)
        }
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The `charset` of the first `<meta>` tag that declares one.
fn meta_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |j| start + j);
        if let Some(cs) = charset_param(&lower[start..end]) {
            return Some(cs);
        }
        from = start;
    }
    None
}

/// The value after `charset=` in a tag or a `Content-Type` value.
fn charset_param(s: &[u8]) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let i = find(&lower, b"charset")?;
    let mut rest = &lower[i + 7..];
    while let [b' ' | b'\t', r @ ..] = rest {
        rest = r;
    }
    rest = rest.strip_prefix(b"=")?;
    while let [b' ' | b'\t' | b'"' | b'\'', r @ ..] = rest {
        rest = r;
    }
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'>' | b'/' | b'\t'))
        .unwrap_or(rest.len());
    let v = std::str::from_utf8(&rest[..end]).ok()?;
    (!v.is_empty()).then(|| v.to_string())
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What an HTML page gave.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<Date>,
    pub text: String,
}

impl Page {
    /// The page as a raw document with `id` and `origin`; a date found in
    /// the page's metadata has source [`PublishedSource::HtmlMeta`].
    pub(crate) fn into_raw_doc(self, id: String, origin: Origin) -> RawDoc {
        RawDoc {
            id,
            title: self.title,
            url: self.url,
            published: self.published,
            published_source: crate::date_source(self.published, PublishedSource::HtmlMeta),
            text: self.text,
            origin,
        }
    }
}

/// Metadata keys (`meta` name/property/itemprop, lower-cased) that carry a
/// publication date, in order of preference.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
];

/// Reads an HTML page: metadata from the whole page, text from the main
/// content found by Readability (`readability = true`) or from the whole
/// body. `given_url` (a WARC target URI) is used when the page names no
/// canonical URL.
pub(crate) fn read_page(
    html: &str,
    readability: bool,
    given_url: Option<&str>,
) -> Result<Page, Error> {
    let depth = nesting_estimate(html.as_bytes());
    if depth > MAX_DEPTH {
        return Err(Error::Html(format!(
            "markup nested more than {MAX_DEPTH} levels deep"
        )));
    }
    let readability = readability && depth <= MAX_READABILITY_DEPTH;
    let doc = Document::from(html);
    let meta = page_metadata(&doc);
    let mut page = Page {
        title: meta.title.clone(),
        url: meta
            .url
            .and_then(|u| resolve_url(&u, given_url))
            .or_else(|| given_url.map(str::to_string)),
        published: meta.published,
        text: String::new(),
    };
    let mut rd_title = None;
    if readability {
        let cfg = Config::default();
        let article = catch_unwind(AssertUnwindSafe(move || {
            Readability::with_document(doc, None, Some(cfg)).and_then(|mut r| r.parse())
        }));
        if let Ok(Ok(article)) = article {
            let content = Document::fragment(article.content);
            page.text = block_text(&content.root(), false);
            let t = collapse(&article.title);
            if !t.is_empty() {
                rd_title = Some(t);
            }
            if page.published.is_none() {
                page.published = article
                    .published_time
                    .as_deref()
                    .and_then(parse_date_lenient);
            }
        }
        if page.text.is_empty() {
            // Readability failed or found nothing: fall back to the body's
            // text, without navigation, asides, forms and footers.
            let doc = Document::from(html);
            if let Some(body) = doc.body() {
                page.text = block_text(&body, true);
            }
        }
    } else {
        page.text = block_text(&doc.root(), false);
    }
    match (&page.title, &rd_title) {
        (None, _) => page.title = rd_title.clone(),
        // Readability's title is the `<title>` without the site name
        // ("Headline | The Courier" → "Headline"): prefer it then.
        (Some(t), Some(rd))
            if meta.title_from_tag && rd.len() < t.len() && t.contains(rd.as_str()) =>
        {
            page.title = rd_title.clone();
        }
        _ => {}
    }
    page.text = drop_title_paragraph(&page.text, [page.title.as_deref(), rd_title.as_deref()]);
    if !has_words(&page.text) {
        return Err(Error::NoContent);
    }
    Ok(page)
}

/// Pages nested deeper than this (estimated) are refused: HTML parsing
/// time grows with the square of the nesting depth.
const MAX_DEPTH: usize = 8192;

/// Pages nested deeper than this (estimated) skip Readability, whose time
/// also grows with the square of the depth, and are read from the body.
const MAX_READABILITY_DEPTH: usize = 512;

/// Elements that are void or whose end tag may be omitted: they do not
/// count towards the nesting estimate.
const NO_NEST: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"source",
    b"track",
    b"wbr",
    b"param",
    b"keygen",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"option",
    b"optgroup",
    b"tr",
    b"td",
    b"th",
    b"tbody",
    b"thead",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"rb",
    b"rt",
    b"rp",
    b"html",
    b"head",
    b"body",
];

/// A linear-time estimate of the element nesting depth: open tags minus
/// close tags, not counting void elements, elements with optional end tags
/// and self-closing tags.
fn nesting_estimate(html: &[u8]) -> usize {
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < html.len() {
        if html[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i + 1..];
        if rest.starts_with(b"!--") {
            i += 4 + find(&rest[3..], b"-->").map_or(rest.len(), |j| j + 3);
            continue;
        }
        let close = rest.first() == Some(&b'/');
        let name_start = usize::from(close);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest[name_start].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let self_closing = end > 0 && rest[end - 1] == b'/';
        if !NO_NEST.contains(&name.as_slice()) && !self_closing {
            if close {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max = max.max(depth);
            }
        }
        i += 1 + end;
    }
    max
}

/// A page's own URL made absolute against `base` (the WARC target URI):
/// `//host/path` and `/path` are resolved, an absolute URL is kept, any
/// other relative URL is dropped (`None`).
fn resolve_url(u: &str, base: Option<&str>) -> Option<String> {
    if u.contains("://") {
        return Some(u.to_string());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    if let Some(r) = u.strip_prefix("//") {
        return Some(format!("{scheme}://{r}"));
    }
    if u.starts_with('/') {
        let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        return Some(format!("{scheme}://{host}{u}"));
    }
    None
}

/// Whether text has something to read: a letter or a digit (a page whose
/// "text" is a stray `<` or punctuation has no readable content).
pub(crate) fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Drops a leading paragraph equal to the title (Readability often keeps
/// the page's `<h1>`).
pub(crate) fn drop_title_paragraph<'a>(
    text: &str,
    titles: impl IntoIterator<Item = Option<&'a str>>,
) -> String {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    if titles.into_iter().flatten().any(|t| same_text(t, first)) {
        rest.to_string()
    } else {
        text.to_string()
    }
}

struct Meta {
    title: Option<String>,
    /// Whether `title` came from `<title>` (which often names the site).
    title_from_tag: bool,
    url: Option<String>,
    published: Option<Date>,
}

fn nonempty(s: &str) -> Option<String> {
    let s = collapse(s);
    (!s.is_empty()).then_some(s)
}

fn page_metadata(doc: &Document) -> Meta {
    // name/property/itemprop → content, first occurrence kept
    let mut metas: Vec<(String, String)> = Vec::new();
    for m in doc.select("meta").nodes() {
        let Some(content) = m.attr("content") else {
            continue;
        };
        for key in ["property", "name", "itemprop"] {
            if let Some(k) = m.attr(key) {
                metas.push((k.trim().to_ascii_lowercase(), content.to_string()));
            }
        }
    }
    let meta = |key: &str| {
        metas
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    };

    let mut ld_headline = None;
    let mut ld_published = None;
    for s in doc.select("script").nodes() {
        let is_ld = s
            .attr("type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
        if !is_ld {
            continue;
        }
        let text = s.text();
        let body = text
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>");
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
            if ld_headline.is_none() {
                ld_headline = find_json_str(&v, "headline", 0);
            }
            if ld_published.is_none() {
                ld_published = find_json_str(&v, "datePublished", 0);
            }
        }
    }

    let mut title = meta("og:title")
        .and_then(nonempty)
        .or_else(|| ld_headline.as_deref().and_then(nonempty));
    let title_from_tag = title.is_none();
    if title.is_none() {
        title = nonempty(&doc.select_single("title").text());
        // "Headline | The Courier": the page's `<h1>` is the headline alone.
        if let (Some(t), Some(h1)) = (&title, nonempty(&doc.select_single("h1").text())) {
            if h1.len() < t.len() && t.contains(h1.as_str()) {
                title = Some(h1);
            }
        }
    }

    let canonical = doc.select("link[rel][href]").nodes().iter().find_map(|l| {
        let rel = l.attr("rel")?.to_ascii_lowercase();
        rel.split_ascii_whitespace()
            .any(|r| r == "canonical")
            .then(|| l.attr("href"))
            .flatten()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
    });
    let url = canonical
        .or_else(|| meta("og:url").map(|u| u.trim().to_string()))
        .filter(|u| !u.is_empty());

    let mut published = None;
    for key in DATE_KEYS {
        let candidate = if *key == "datepublished" {
            meta(key).or(ld_published.as_deref())
        } else {
            meta(key)
        };
        if let Some(d) = candidate.and_then(parse_date_lenient) {
            published = Some(d);
            break;
        }
    }
    if published.is_none() {
        published = ["article time[datetime]", "time[pubdate][datetime]"]
            .iter()
            .find_map(|sel| {
                doc.select(sel)
                    .nodes()
                    .first()
                    .and_then(|t| t.attr("datetime"))
                    .and_then(|d| parse_date_lenient(&d))
            });
    }
    Meta {
        title,
        title_from_tag,
        url,
        published,
    }
}

/// The first string value of `key` in a JSON-LD tree (depth-first).
fn find_json_str(v: &serde_json::Value, key: &str, depth: usize) -> Option<String> {
    use serde_json::Value;
    if depth > 32 {
        return None;
    }
    match v {
        Value::Object(map) => {
            if let Some(Value::String(s)) = map.get(key) {
                return Some(s.clone());
            }
            map.values().find_map(|x| find_json_str(x, key, depth + 1))
        }
        Value::Array(items) => items.iter().find_map(|x| find_json_str(x, key, depth + 1)),
        _ => None,
    }
}

/// Elements whose content is never text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "select", "textarea", "head", "title", "button", "video", "audio", "picture", "map",
];

/// Boilerplate skipped when reading a whole body (Readability fallback).
const BOILERPLATE: &[&str] = &["nav", "aside", "footer", "form", "menu", "dialog"];

/// Elements after and before which a paragraph ends.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "option",
    "listing",
    "plaintext",
    "xmp",
];

/// The text of an HTML tree in canonical form: block elements (`p`, `div`,
/// `h1`–`h6`, `li`, `blockquote`, `pre`, `tr`, `section`, `article`, …) and
/// `br`/`hr` end paragraphs; inline text is concatenated and its white
/// space collapsed (inside `pre`, line breaks are kept as paragraph
/// breaks); table cells in a row are separated by a space. Scripts, styles,
/// forms' controls, media and hidden elements are skipped, and with
/// `skip_boilerplate` also `nav`, `aside`, `footer`, `form`.
pub(crate) fn block_text(root: &NodeRef, skip_boilerplate: bool) -> String {
    enum Step<'a> {
        Enter(NodeRef<'a>),
        LeaveBlock { pre: bool },
        Space,
    }
    let mut out = String::new();
    let mut pre_depth = 0usize;
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::LeaveBlock { pre } => {
                if pre {
                    pre_depth -= 1;
                }
                out.push('\n');
            }
            Step::Space => out.push(' '),
            Step::Enter(n) => {
                if n.is_text() {
                    let t = n.text();
                    if pre_depth > 0 {
                        out.push_str(&t);
                    } else {
                        out.extend(t.chars().map(|c| match c {
                            '\n' | '\r' | '\t' | '\u{c}' => ' ',
                            c => c,
                        }));
                    }
                    continue;
                }
                if n.is_element() {
                    let Some(name) = n.node_name() else { continue };
                    let name = name.to_ascii_lowercase();
                    let name = name.as_str();
                    if SKIP.contains(&name)
                        || (skip_boilerplate && BOILERPLATE.contains(&name))
                        || n.has_attr("hidden")
                        || n.attr("aria-hidden").is_some_and(|v| v.as_ref() == "true")
                    {
                        continue;
                    }
                    if matches!(name, "br" | "hr") {
                        out.push('\n');
                        continue;
                    }
                    if matches!(name, "td" | "th") {
                        out.push(' ');
                        stack.push(Step::Space);
                    } else if BLOCK.contains(&name) {
                        let pre = matches!(name, "pre" | "listing" | "plaintext" | "xmp");
                        if pre {
                            pre_depth += 1;
                        }
                        out.push('\n');
                        stack.push(Step::LeaveBlock { pre });
                    }
                } else if !(n.is_document() || n.is_fragment()) {
                    continue; // comments, doctypes, processing instructions
                }
                let children = n.children();
                stack.extend(children.into_iter().rev().map(Step::Enter));
            }
        }
    }
    normalize_text(&out)
}

/// The text of an HTML fragment (a feed item's content).
pub(crate) fn fragment_text(html: &str) -> String {
    let doc = Document::fragment(html);
    block_text(&doc.root(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inline() {
        let t = fragment_text(
            "<div><h2>Head</h2><p>One <b>bold</b>\n  word<span>s</span>.</p>\
             <ul><li>a</li><li>b<br>c</li></ul><script>x()</script>\
             <pre>l1\nl2</pre><table><tr><td>x</td><td>y</td></tr></table>\
             <p>&nbsp;</p><p>e&nbsp;f</p></div>",
        );
        assert_eq!(t, "Head\nOne bold words.\na\nb\nc\nl1\nl2\nx y\ne\u{a0}f");
    }

    #[test]
    fn charsets() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("<meta charset=\"windows-1251\"><p>Київ</p>");
        assert!(decode_html(&bytes, None).contains("Київ"));
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("<p>Київ</p>");
        assert!(decode_html(&bytes, Some("text/html; charset=windows-1251")).contains("Київ"));
        assert_eq!(
            meta_charset(
                b"<META http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\">"
            ),
            Some("koi8-r".into())
        );
        assert_eq!(decode_html("<p>é</p>".as_bytes(), None), "<p>é</p>");
    }

    #[test]
    fn page_metadata_fallbacks() {
        let html = "<html><head><title>Dam breach feared | The Courier</title>\
            <link rel=\"canonical\" href=\"/2023/dam\">\
            <script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"NewsArticle\",\
            \"datePublished\":\"2023-11-14T08:00:00Z\"}]}</script></head>\
            <body><article><h1>Dam breach feared</h1><p>Engineers warned on Tuesday that the \
            dam could fail within days if the shelling continued.</p></article></body></html>";
        let page = read_page(html, true, Some("https://courier.example/x?y=1")).unwrap();
        assert_eq!(page.title.as_deref(), Some("Dam breach feared"));
        assert_eq!(
            page.url.as_deref(),
            Some("https://courier.example/2023/dam")
        );
        assert_eq!(page.published, Date::new(2023, 11, 14).ok());
        assert!(page.text.starts_with("Engineers warned"), "{}", page.text);
        assert_eq!(resolve_url("rel/x", Some("https://a.b/c")), None);
        assert_eq!(
            resolve_url("//c.d/e", Some("http://a.b/c")).as_deref(),
            Some("http://c.d/e")
        );
    }

    #[test]
    fn deep_nesting() {
        let html = "<div>".repeat(2_000) + "deep" + &"</div>".repeat(2_000);
        assert_eq!(fragment_text(&html), "deep", "no stack overflow");
        assert_eq!(nesting_estimate(html.as_bytes()), 2_000);
        let page = read_page(&html, true, None).unwrap();
        assert_eq!(page.text, "deep", "read without Readability");
        let t = std::time::Instant::now();
        let html = "<span>".repeat(1_000_000);
        assert!(matches!(read_page(&html, true, None), Err(Error::Html(_))));
        assert!(t.elapsed().as_secs() < 5, "refused quickly");
        assert_eq!(
            nesting_estimate(b"<p>a<p>b<br><img src=x/><div/><!-- <div> --><b>c</b>"),
            1
        );
    }
}
