//! Every reader, on any bytes, yields documents or errors — never a panic —
//! and every document it yields can be segmented.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sitrep_core::Stage;
use sitrep_ingest::{read_reader, IngestOptions, InputFormat};

const FORMATS: [InputFormat; 6] = [
    InputFormat::Auto,
    InputFormat::Text,
    InputFormat::Html,
    InputFormat::Jsonl,
    InputFormat::Rss,
    InputFormat::Warc,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let opts = IngestOptions {
        format: FORMATS[selector as usize % FORMATS.len()],
        max_bytes: 1 << 20,
        ..IngestOptions::default()
    };
    let segmenter = sitrep_text::Segmenter::new();
    for item in read_reader("fuzz", std::io::Cursor::new(bytes.to_vec()), &opts).take(64) {
        if let Ok(raw) = item {
            let mut doc = raw.into_doc();
            segmenter.run(&mut doc);
        }
    }
});
