//! The folder watch of the live preview: changes to the site's inputs, reported at once.

use std::collections::BTreeSet;
use std::path::Path;

use crate::site;

/// Keeps a folder watch alive; dropping it stops the watch.
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
}

/// Watches `dir` and calls `on_change` with the site-relative `/`-separated paths that changed,
/// as soon as a relevant event arrives: there is no quiet period. Events already queued when
/// it is called are reported together; the caller coalesces what arrives while it is busy
/// (the preview rebuilds once more with everything that changed during a build). Access
/// events (inotify reports every open, including the rebuild's own reads) are ignored.
pub fn watch(
    dir: &Path,
    on_change: impl Fn(BTreeSet<String>) + Send + 'static,
) -> notify::Result<Watch> {
    use notify::Watcher;
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let filter_root = root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<Vec<String>>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if event.kind.is_access() {
                return;
            }
            let paths: Vec<String> = event
                .paths
                .iter()
                .filter(|p| relevant(&filter_root, p))
                .filter_map(|p| site::relative_key(&filter_root, p))
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    })?;
    watcher.watch(&root, notify::RecursiveMode::Recursive)?;
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut burst: BTreeSet<String> = first.into_iter().collect();
            while let Ok(more) = rx.try_recv() {
                burst.extend(more);
            }
            on_change(burst);
        }
    });
    Ok(Watch { _watcher: watcher })
}

/// True for a path under one of the site's [inputs](site::INPUTS) that is not hidden (editor swap files).
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    site::INPUTS.contains(&first.as_ref())
        && !rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_inputs_trigger_rebuilds() {
        let root = Path::new("/s");
        assert!(relevant(root, Path::new("/s/locales/zh-CN/a.ftl")));
        assert!(relevant(root, Path::new("/s/site.toml")));
        assert!(!relevant(root, Path::new("/s/site/en-US/index.html")));
        assert!(!relevant(root, Path::new("/s/locales/zh-CN/.a.ftl.swp")));
        assert!(!relevant(root, Path::new("/elsewhere/site.toml")));
    }
}
