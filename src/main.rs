//! The `ftlsite` binary: parse arguments, run, and turn the result into an exit code.

use std::process::ExitCode;

use clap::Parser;

/// See [`ftlsite::memory`] for why, and for how each command tunes it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = ftlsite::cli::Cli::parse();
    if cli.command.holds_output() {
        ftlsite::memory::lean();
    }
    if !cli.command.is_server() {
        die_quietly_on_closed_pipe();
    }
    match ftlsite::cli::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `ftlsite check | head` closes the pipe early. The Rust runtime ignores SIGPIPE, so
/// every later print would fail and panic; a command-line tool should end quietly, as
/// `cat` or `grep` do. The default action does that: the process ends at the first
/// write to a closed pipe. A build killed that way has not swapped its output yet, or has
/// finished the swap and written its activation record (it prints only after both): the
/// output is never partial, and the next build sweeps the staging folder. The preview
/// server keeps the runtime's setting: a browser closing a connection must not end it.
#[cfg(unix)]
fn die_quietly_on_closed_pipe() {
    // SAFETY: `signal` with SIG_DFL installs no handler; it is called before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn die_quietly_on_closed_pipe() {}
