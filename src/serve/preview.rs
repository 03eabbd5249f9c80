//! The pages being served: the last good build, the problems of the latest one, and the
//! version that open pages wait on to reload.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::edit::Editor;
use super::{Files, Outcome, Problem};

#[derive(Debug, Default)]
struct State {
    version: u64,
    files: Option<Arc<Files>>,
    problems: Arc<Vec<Problem>>,
    /// Whether the published build's dashboard is still being made ([`Preview::refresh`]
    /// ends it).
    settling: bool,
}

/// The pages being served and the problems of the latest build, shared by the request threads
/// and the rebuild loop.
#[derive(Debug, Default)]
pub struct Preview {
    state: Mutex<State>,
    changed: Condvar,
    ids: bool,
    editor: Option<Arc<Editor>>,
}

/// What a request sees: one consistent version of the preview.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Increases with every build.
    pub version: u64,
    /// The last good files, if any build has succeeded.
    pub files: Option<Arc<Files>>,
    /// The errors of the latest build (empty when it succeeded).
    pub problems: Arc<Vec<Problem>>,
    /// Whether `--ids` styling is injected.
    pub ids: bool,
    /// The editor's token when `serve --edit` is on: pages then carry the editor panel.
    pub edit_token: Option<Arc<str>>,
}

impl Preview {
    /// An empty preview; `ids` adds the hover outline for `[data-l10n-id]`.
    pub fn new(ids: bool) -> Arc<Preview> {
        Arc::new(Preview {
            ids,
            ..Default::default()
        })
    }

    /// A preview with the in-context editor: its API answers under
    /// [`EDIT_PREFIX`](super::edit::EDIT_PREFIX) and every page carries its panel.
    pub fn with_editor(ids: bool, editor: Arc<Editor>) -> Arc<Preview> {
        Arc::new(Preview {
            ids,
            editor: Some(editor),
            ..Default::default()
        })
    }

    /// The in-context editor, under `serve --edit`.
    pub fn editor(&self) -> Option<&Arc<Editor>> {
        self.editor.as_ref()
    }

    /// Publishes a build: new files replace the old ones; a failure keeps them and records the
    /// problems; an unchanged build publishes nothing. Wakes every open event stream.
    pub fn update(&self, outcome: Outcome) {
        self.publish(outcome, false);
    }

    /// [`update`](Self::update), saying whether a built outcome's dashboard is still to come:
    /// until [`refresh`](Self::refresh) brings it, [`wait_settled`](Self::wait_settled) waits.
    pub fn publish(&self, outcome: Outcome, settling: bool) {
        if matches!(outcome, Outcome::Unchanged | Outcome::Superseded) {
            return;
        }
        if let Ok(mut s) = self.state.lock() {
            match outcome {
                Outcome::Built(files) => {
                    s.files = Some(files);
                    s.problems = Arc::new(Vec::new());
                    s.settling = settling;
                }
                Outcome::Failed(problems) => s.problems = Arc::new(problems),
                Outcome::Unchanged | Outcome::Superseded => {}
            }
            s.version += 1;
        }
        self.changed.notify_all();
    }

    /// Replaces the files of the current version with `files`, which serve the same pages:
    /// the dashboard an incremental build completes after its pages are published
    /// ([`Builder::settle`](super::Builder::settle)). Open pages are not reloaded for it.
    pub fn refresh(&self, files: Option<Arc<Files>>) {
        if let Ok(mut s) = self.state.lock() {
            if let (Some(files), Some(_)) = (files, &s.files) {
                s.files = Some(files);
            }
            s.settling = false;
        }
        self.changed.notify_all();
    }

    /// Waits, at most `timeout`, until the published build's dashboard is made: a dashboard
    /// that reloads with the build's pages gets the build's own, not the one before.
    pub fn wait_settled(&self, timeout: Duration) {
        if let Ok(guard) = self.state.lock() {
            let _ = self
                .changed
                .wait_timeout_while(guard, timeout, |s| s.settling);
        }
    }

    /// The current version, files and problems.
    pub fn snapshot(&self) -> Snapshot {
        let (version, files, problems) = match self.state.lock() {
            Ok(s) => (s.version, s.files.clone(), s.problems.clone()),
            Err(_) => (0, None, Arc::new(Vec::new())),
        };
        Snapshot {
            version,
            files,
            problems,
            ids: self.ids,
            edit_token: self.editor.as_ref().map(|e| e.token()),
        }
    }

    /// Waits until the version is greater than `seen` or `timeout` passes; returns the version.
    pub fn wait_newer(&self, seen: u64, timeout: Duration) -> u64 {
        self.wait_newer_unless(seen, timeout, &AtomicBool::new(false))
            .unwrap_or(seen)
    }

    /// Like [`wait_newer`](Self::wait_newer), but returns `None` as soon as `stop` is set and
    /// [`wake`](Self::wake) is called: how an event stream is told to end.
    pub fn wait_newer_unless(
        &self,
        seen: u64,
        timeout: Duration,
        stop: &AtomicBool,
    ) -> Option<u64> {
        let Ok(guard) = self.state.lock() else {
            return Some(seen);
        };
        let stopped = |_: &State| stop.load(Ordering::Acquire);
        if stopped(&guard) {
            return None;
        }
        match self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.version <= seen && !stopped(s))
        {
            Ok(_) if stop.load(Ordering::Acquire) => None,
            Ok((s, _)) => Some(s.version),
            Err(_) => Some(seen),
        }
    }

    /// Wakes every waiter so that it checks its `stop` flag.
    pub fn wake(&self) {
        // Taking the lock orders this after a waiter's check of its flag.
        drop(self.state.lock());
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_builds_keep_the_last_good_files() {
        let p = Preview::new(false);
        let mut files = Files::new();
        files.insert(Arc::from("index.html"), Arc::from(&b"ok"[..]));
        p.update(Outcome::Built(Arc::new(files)));
        p.update(Outcome::Failed(vec![Problem {
            line: "x".into(),
            help: "y".into(),
        }]));
        let s = p.snapshot();
        assert_eq!(s.version, 2);
        assert!(s.files.is_some_and(|f| f.contains_key("index.html")));
        assert_eq!(s.problems.len(), 1);
        assert_eq!(p.wait_newer(1, Duration::from_millis(1)), 2);
    }

    /// A build published before its dashboard: a request for the dashboard waits for it, and
    /// the refresh that brings it reloads nothing.
    #[test]
    fn the_dashboard_waits_for_the_refresh_of_a_settling_build() {
        let p = Preview::new(false);
        let with = |status: &'static [u8]| {
            let mut files = Files::new();
            files.insert(Arc::from("index.html"), Arc::from(&b"ok"[..]));
            files.insert(
                Arc::from(super::super::http::STATUS_FILE),
                Arc::from(status),
            );
            Arc::new(files)
        };
        p.publish(Outcome::Built(with(b"old")), true);
        let reader = {
            let p = p.clone();
            std::thread::spawn(move || {
                p.wait_settled(Duration::from_secs(10));
                p.snapshot()
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !reader.is_finished(),
            "the dashboard waits while the build settles"
        );
        p.refresh(Some(with(b"new")));
        let seen = reader.join().unwrap();
        assert_eq!(
            &*seen.files.unwrap()[super::super::http::STATUS_FILE],
            b"new"
        );
        assert_eq!(seen.version, 1, "a refresh is not a new version");
        // Nothing settling: no wait.
        let started = std::time::Instant::now();
        p.wait_settled(Duration::from_secs(10));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
