//! The whole default pipeline — places against the real gazetteer when
//! `./setup` has built it, else the fixture — never panics and keeps the
//! layer invariants.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitrep_core::{Doc, Pipeline};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let real = root.join("var/gazetteer");
        let dir = if real.join("meta.json").is_file() {
            real
        } else {
            let dir = std::env::temp_dir().join("sitrep-fuzz-gazetteer");
            sitrep_gazetteer::build::build(&sitrep_gazetteer::build::Sources::fixture(&root), &dir)
                .expect("fixture gazetteer builds");
            dir
        };
        let res = sitrep::Resources::load(Some(&dir)).expect("gazetteer opens");
        sitrep::default_pipeline(&res)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut doc = Doc::new("fuzz", text.into_owned());
    doc.published = Some("2023-10-30".parse().unwrap());
    pipeline().run(&mut doc);
    if let Err(e) = doc.check() {
        panic!("invariant broken: {e}");
    }
});
