//! Segmentation never panics and always keeps the layer invariants.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sitrep_core::{Doc, Stage};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut doc = Doc::new("fuzz", text.into_owned());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_text::LanguageId.run(&mut doc);
    if let Err(e) = doc.check() {
        panic!("invariant broken: {e}");
    }
});
