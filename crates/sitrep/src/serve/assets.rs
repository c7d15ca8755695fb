//! The web page's files, read into memory once at start-up from the built
//! page directory (`web/dist`, made by `web/build.sh`). A request path is
//! only ever a key into that map, so no request can reach another file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files served, by URL path (`/index.html`, `/vendor/leaflet.js`).
#[derive(Debug, Default)]
pub struct Assets {
    files: HashMap<String, (&'static str, Vec<u8>)>,
    /// Where they were read from, when anywhere.
    pub dir: Option<PathBuf>,
}

/// Most files and bytes read: a wrong `--web` is an error, not a copy of a
/// disk into memory.
const MAX_FILES: usize = 500;
const MAX_BYTES: u64 = 64 * 1024 * 1024;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "geojson" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

impl Assets {
    /// No page: the API alone.
    pub fn none() -> Assets {
        Assets::default()
    }

    /// Reads every file under `dir`.
    pub fn load(dir: &Path) -> Result<Assets, String> {
        let mut files = HashMap::new();
        let mut bytes = 0u64;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
            for entry in entries {
                let entry = entry.map_err(|e| format!("{}: {e}", d.display()))?;
                let path = entry.path();
                let kind = entry
                    .file_type()
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                if kind.is_dir() {
                    stack.push(path);
                    continue;
                }
                if !kind.is_file() {
                    continue; // symlinks and the like are not served
                }
                let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                bytes += data.len() as u64;
                if files.len() >= MAX_FILES || bytes > MAX_BYTES {
                    return Err(format!(
                        "{}: more than {MAX_FILES} files or {} MiB; is it the built page (web/dist)?",
                        dir.display(),
                        MAX_BYTES >> 20
                    ));
                }
                let rel = path
                    .strip_prefix(dir)
                    .map_err(|e| e.to_string())?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(format!("/{rel}"), (content_type(&path), data));
            }
        }
        if !files.contains_key("/index.html") {
            return Err(format!(
                "{}: no index.html (run web/build.sh)",
                dir.display()
            ));
        }
        Ok(Assets {
            files,
            dir: Some(dir.to_path_buf()),
        })
    }

    /// The file for a URL path (`/` is `/index.html`).
    pub fn get(&self, path: &str) -> Option<&(&'static str, Vec<u8>)> {
        let path = if path == "/" { "/index.html" } else { path };
        self.files.get(path)
    }

    /// Whether a page was loaded.
    pub fn has_page(&self) -> bool {
        !self.files.is_empty()
    }
}

/// Where the built page is when `--web` is not given: `web/dist` under the
/// working directory, else beside the binary's build tree
/// (`target/release/sitrep` → `web/dist`).
pub fn default_dir() -> Option<PathBuf> {
    let here = PathBuf::from("web/dist");
    if here.join("index.html").is_file() {
        return Some(here);
    }
    let exe = std::env::current_exe().ok()?;
    let root = exe.parent()?.parent()?.parent()?;
    let there = root.join("web/dist");
    there.join("index.html").is_file().then_some(there)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_read_at_start_up_are_served() {
        let dir = std::env::temp_dir().join(format!("sitrep-assets-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("vendor")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("vendor/a.js"), "1").unwrap();
        let a = Assets::load(&dir).unwrap();
        assert_eq!(a.get("/").unwrap().0, "text/html; charset=utf-8");
        assert!(a.get("/vendor/a.js").is_some());
        for bad in [
            "/../Cargo.toml",
            "/vendor/../index.html",
            "//etc/passwd",
            "/vendor",
        ] {
            assert!(a.get(bad).is_none(), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(Assets::load(&dir).is_err());
    }
}
