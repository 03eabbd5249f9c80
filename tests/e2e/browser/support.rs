//! Shared helpers: a copy of the shipped site, `ftlsite build` and `ftlsite serve` processes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_ftlsite");

/// The shipped site copied into a fresh temp dir.
pub fn site_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    crate::tree::copy_shipped_site(tmp.path());
    tmp
}

/// `ftlsite build` of the shipped site with both pseudo-locales into a temp dir.
pub fn built_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let status = Command::new(BIN)
        .args(["build", "--pseudo", "accented", "--pseudo", "bidi", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .expect("run ftlsite build");
    assert!(status.success(), "ftlsite build failed");
    (tmp, out)
}

pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A running `ftlsite serve`; killed on drop.
pub struct Serve {
    child: Child,
    pub port: u16,
}

impl Serve {
    pub fn start(args: &[&str]) -> Serve {
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ftlsite serve");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read url");
        let port = line
            .trim()
            .strip_prefix("serving http://127.0.0.1:")
            .and_then(|r| r.trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        Serve { child, port }
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }

    /// A raw GET with `target` sent exactly as given; returns (status, body).
    pub fn get(&self, target: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .expect("send");
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// A raw request with these header fields (Host is added) and body; returns (status, body).
    pub fn request(
        &self,
        method: &str,
        target: &str,
        fields: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        for (name, value) in fields {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).expect("send");
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// Polls `path` until `check` accepts its body (or panics after `secs`).
    pub fn wait_for(
        &self,
        path: &str,
        secs: u64,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let (_, body) = self.get(path);
            if check(&body) {
                return body;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Removes the line starting with `id = ` from `file`.
pub fn remove_message(file: &Path, id: &str) {
    let text = std::fs::read_to_string(file).expect("read ftl");
    let prefix = format!("{id} = ");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(&prefix)).collect();
    assert!(kept.len() < text.lines().count(), "no line `{prefix}…`");
    std::fs::write(file, kept.join("\n") + "\n").expect("write ftl");
}

/// Replaces the line starting with `id = ` in `file` by `id = value`.
pub fn set_message(file: &Path, id: &str, value: &str) {
    let text = std::fs::read_to_string(file).expect("read ftl");
    let prefix = format!("{id} = ");
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(&prefix) {
                format!("{prefix}{value}")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(file, out.join("\n") + "\n").expect("write ftl");
}
