//! The web page in a real browser: `web/test.sh` drives Debian's headless
//! Chromium with Playwright (playwright-core, no browser download) against
//! `sitrep serve` on a fixture store, checks the map, the timeline, the
//! filters, the event panel and the article highlights, and saves
//! screenshots to out/screenshots/. The cases are in web/tests/.
//!
//! It needs what `./setup` installs: node with web/node_modules, Chromium
//! (`apt-get install chromium`) and the gazetteer index. Missing any of
//! them fails the test with the reason; `SITREP_SKIP_BROWSER_TESTS=1`
//! skips it on purpose (and says so).

mod common;

use std::process::Command;

use common::repo_root;

#[test]
fn the_web_page_works_in_headless_chromium() {
    if std::env::var_os("SITREP_SKIP_BROWSER_TESTS").is_some() {
        eprintln!("browser tests skipped: SITREP_SKIP_BROWSER_TESTS is set");
        return;
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "no browser at {chromium}: run ./setup (it installs Debian's chromium), set CHROMIUM, \
         or SITREP_SKIP_BROWSER_TESTS=1 to skip the browser tests"
    );
    assert!(
        Command::new("node").arg("--version").output().is_ok(),
        "node not found: install Node.js 20 or newer (./setup needs it too)"
    );
    let out = Command::new("bash")
        .arg(repo_root().join("web/test.sh"))
        .current_dir(repo_root())
        .env("SITREP_BIN", env!("CARGO_BIN_EXE_sitrep"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("bash runs web/test.sh");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser tests failed:\n{report}");
    assert!(report.contains("fail 0"), "{report}");
    for shot in ["map.png", "event-panel.png", "article.png"] {
        let path = repo_root().join("out/screenshots").join(shot);
        assert!(
            std::fs::metadata(&path).is_ok_and(|m| m.len() > 10_000),
            "no screenshot {}",
            path.display()
        );
    }
}
