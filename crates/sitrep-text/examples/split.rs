//! Prints the sentences of a text file, one per line: `cargo run -p sitrep-text --example split FILE`.
use sitrep_core::{Doc, Stage};
fn main() {
    let path = std::env::args().nth(1).expect("usage: split FILE");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let mut doc = Doc::new(path, text);
    sitrep_text::Segmenter::new().run(&mut doc);
    for s in &doc.sentences {
        println!("[{}] {}", s.by.trim_start_matches("segment/"), s.text);
    }
}
