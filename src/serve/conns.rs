//! The live preview's table of open connections: what bounds its threads, file descriptors and
//! event streams.
//!
//! Every accepted connection holds a [`Slot`] for as long as its thread runs, and there are at
//! most [`MAX_CONNECTIONS`] slots. When they are all taken, the connection that has been idle
//! longest is shut down to make room: idle means waiting for a request head (a silent socket,
//! a browser's kept-alive connection) or streaming events (an open page, which reconnects).
//! So silent clients cannot lock others out, and browsers retry a request whose idle
//! connection closed. Connections answering a request are never cut off here: their writes
//! time out instead. Event streams also have their own, lower, bound of
//! [`MAX_EVENT_STREAMS`]: a new stream ends the oldest one.

use std::collections::BTreeMap;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::Preview;

/// Most connections open at once, each served by its own thread (one file descriptor each).
/// A browser opens about six per origin; the bound leaves room for several tabs.
pub const MAX_CONNECTIONS: usize = 64;

/// Most `/__ftlsite/events` streams open at once (one per open page); the oldest is ended when
/// another one starts.
pub const MAX_EVENT_STREAMS: usize = 32;

/// How long the acceptor waits for a shut-down idle connection's thread to finish before it
/// refuses a new connection with 503.
const ADMIT_WAIT: Duration = Duration::from_secs(1);

/// What a connection is doing, which decides whether it may be shut down to make room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for (the rest of) a request head.
    Waiting,
    /// Answering a request.
    Busy,
    /// Streaming server-sent events.
    Events,
    /// Shut down by the table; its thread is finishing.
    Closing,
}

#[derive(Debug)]
struct Entry {
    stream: Weak<TcpStream>,
    phase: Phase,
    /// When the connection entered its phase, as a tick of [`Table::clock`].
    since: u64,
    stop: Arc<AtomicBool>,
    /// The connection's thread, once the acceptor has started it.
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Table {
    /// Counts admissions and phase changes; orders entries by how long they have been idle.
    clock: u64,
    open: BTreeMap<u64, Entry>,
    /// Threads whose connection has given its slot back but which may still be finishing
    /// (closing the socket, freeing the stack). They count against [`MAX_CONNECTIONS`] until
    /// the acceptor has joined them, so the bound holds for threads, not only for slots.
    leaving: Vec<JoinHandle<()>>,
}

impl Table {
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// Shuts down the connection that has been longest in one of `phases`, and returns its
    /// phase (`None` when there is none).
    fn close_oldest(&mut self, phases: &[Phase]) -> Option<Phase> {
        let entry = self
            .open
            .values_mut()
            .filter(|e| phases.contains(&e.phase))
            .min_by_key(|e| e.since)?;
        let phase = entry.phase;
        entry.phase = Phase::Closing;
        entry.stop.store(true, Ordering::Release);
        if let Some(stream) = entry.stream.upgrade() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        Some(phase)
    }

    fn set_phase(&mut self, id: u64, phase: Phase) {
        let since = self.tick();
        if let Some(e) = self.open.get_mut(&id) {
            if e.phase != Phase::Closing && e.phase != phase {
                e.phase = phase;
                e.since = since;
            }
        }
    }
}

/// Idle phases, the ones a connection may be shut down in to make room.
const IDLE: &[Phase] = &[Phase::Waiting, Phase::Events];

/// The open connections, shared by the acceptor and the connection threads.
#[derive(Debug)]
pub struct Conns {
    table: Mutex<Table>,
    freed: Condvar,
    /// Woken when an event stream is shut down, since its thread waits on the preview.
    preview: Arc<Preview>,
}

/// Why a connection was not admitted.
#[derive(Debug, PartialEq, Eq)]
pub struct Full;

impl Conns {
    /// An empty table for connections serving `preview`.
    pub fn new(preview: Arc<Preview>) -> Arc<Conns> {
        Arc::new(Conns {
            table: Mutex::default(),
            freed: Condvar::new(),
            preview,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // The table stays consistent even if a thread panicked while holding the lock.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Shuts down the connection idle longest in one of `phases`; false when there is none.
    fn close_oldest(&self, table: &mut Table, phases: &[Phase]) -> bool {
        match table.close_oldest(phases) {
            Some(Phase::Events) => {
                self.preview.wake();
                true
            }
            Some(_) => true,
            None => false,
        }
    }

    /// Admits `stream`, waiting for a request head. When all slots are taken, shuts down the
    /// connection idle longest and waits (up to [`ADMIT_WAIT`]) for its thread to give the slot
    /// back and end; `Err(Full)` when no slot frees up.
    pub fn admit(self: &Arc<Self>, stream: &Arc<TcpStream>) -> Result<Slot, Full> {
        let mut table = self.lock();
        let deadline = Instant::now() + ADMIT_WAIT;
        loop {
            if !table.leaving.is_empty() {
                // Their connections are over: each join waits at most for a thread's last
                // few instructions, and frees what the thread still holds (its stack).
                let leaving = std::mem::take(&mut table.leaving);
                drop(table);
                for thread in leaving {
                    let _ = thread.join();
                }
                table = self.lock();
                continue;
            }
            if table.open.len() < MAX_CONNECTIONS {
                break;
            }
            let closing = table.open.values().any(|e| e.phase == Phase::Closing);
            if !closing && !self.close_oldest(&mut table, IDLE) {
                return Err(Full);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Full);
            }
            table = match self.freed.wait_timeout(table, left) {
                Ok((t, _)) => t,
                Err(e) => e.into_inner().0,
            };
        }
        let id = table.tick();
        let stop = Arc::new(AtomicBool::new(false));
        table.open.insert(
            id,
            Entry {
                stream: Arc::downgrade(stream),
                phase: Phase::Waiting,
                since: id,
                stop: stop.clone(),
                thread: None,
            },
        );
        Ok(Slot {
            conns: self.clone(),
            id,
            stop,
        })
    }

    /// Hands the table the thread started for the connection whose slot is `id`, to be joined
    /// once the connection is over.
    pub fn started(&self, id: SlotId, thread: JoinHandle<()>) {
        let mut table = self.lock();
        match table.open.get_mut(&id.0) {
            Some(entry) => entry.thread = Some(thread),
            // Already over.
            None => table.leaving.push(thread),
        }
    }

    /// Shuts down the connection idle longest, to free its file descriptor when accepting
    /// fails for lack of them; false when no connection is idle.
    pub fn close_oldest_idle(&self) -> bool {
        let mut table = self.lock();
        self.close_oldest(&mut table, IDLE)
    }

    /// How many connections are open.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().open.len()
    }
}

/// A connection's place in the table, given back when dropped.
#[derive(Debug)]
pub struct Slot {
    conns: Arc<Conns>,
    id: u64,
    stop: Arc<AtomicBool>,
}

/// Names a [`Slot`] after it has moved to its connection's thread.
#[derive(Clone, Copy, Debug)]
pub struct SlotId(u64);

impl Slot {
    /// The name under which [`Conns::started`] finds this slot.
    pub fn id(&self) -> SlotId {
        SlotId(self.id)
    }

    /// Marks the connection as waiting for a request head.
    pub fn waiting(&self) {
        self.conns.lock().set_phase(self.id, Phase::Waiting);
    }

    /// Marks the connection as answering a request.
    pub fn busy(&self) {
        self.conns.lock().set_phase(self.id, Phase::Busy);
    }

    /// Marks the connection as an event stream, ending the oldest stream when there are already
    /// [`MAX_EVENT_STREAMS`]. Returns the flag that is set when this stream must end.
    pub fn events(&self) -> Arc<AtomicBool> {
        let mut table = self.conns.lock();
        let streams = table
            .open
            .values()
            .filter(|e| e.phase == Phase::Events)
            .count();
        if streams >= MAX_EVENT_STREAMS {
            self.conns.close_oldest(&mut table, &[Phase::Events]);
        }
        table.set_phase(self.id, Phase::Events);
        self.stop.clone()
    }

    /// Whether the table has shut this connection down.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut table = self.conns.lock();
        if let Some(thread) = table.open.remove(&self.id).and_then(|e| e.thread) {
            table.leaving.push(thread);
        }
        drop(table);
        self.conns.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// A connected pair: (server side, client side).
    fn pair(listener: &TcpListener) -> (Arc<TcpStream>, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (Arc::new(server), client)
    }

    fn assert_closed(mut client: TcpStream) {
        client
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut buf = [0u8; 1];
        assert_eq!(client.read(&mut buf).unwrap(), 0, "shut down by the table");
    }

    #[test]
    fn a_full_table_makes_room_by_closing_the_connection_idle_longest() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conns = Conns::new(Preview::new(false));
        let mut slots = Vec::new();
        let mut clients = Vec::new();
        for i in 0..MAX_CONNECTIONS {
            let (server, client) = pair(&listener);
            slots.push((i, conns.admit(&server).unwrap(), server));
            clients.push(Some(client));
        }
        assert_eq!(conns.len(), MAX_CONNECTIONS);
        slots[0].1.busy(); // answering a request: never cut off
        slots[2].1.busy(); // answered a request and waits again: idle for less long
        slots[2].1.waiting();

        // Each new connection shuts one down and waits for its thread to give the slot back.
        let mut admitted_slots = Vec::new();
        for expected in [1, 3, 4, 5] {
            let (server, _client) = pair(&listener);
            let waiter = {
                let conns = conns.clone();
                std::thread::spawn(move || conns.admit(&server))
            };
            assert_closed(clients[expected].take().unwrap());
            let stopped: Vec<usize> = slots
                .iter()
                .filter(|(_, s, _)| s.stopped())
                .map(|(i, _, _)| *i)
                .collect();
            assert_eq!(stopped, [expected]);
            slots.retain(|(i, _, _)| *i != expected);
            let admitted = waiter.join().unwrap().unwrap();
            admitted.busy();
            admitted_slots.push(admitted);
        }

        // With every connection busy there is nothing to close: refused at once.
        for (_, slot, _) in &slots {
            slot.busy();
        }
        let (server, _c) = pair(&listener);
        assert_eq!(conns.admit(&server).unwrap_err(), Full);
        assert_eq!(conns.len(), MAX_CONNECTIONS);
        drop(admitted_slots.pop());
        conns.admit(&server).unwrap();
    }

    #[test]
    fn a_slot_counts_until_its_thread_has_ended() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conns = Conns::new(Preview::new(false));
        let mut held = Vec::new();
        for _ in 1..MAX_CONNECTIONS {
            let (server, client) = pair(&listener);
            let slot = conns.admit(&server).unwrap();
            slot.busy();
            held.push((slot, server, client));
        }
        // The idle one, on its own thread, which goes on for a while after its slot is dropped.
        let (server, _client) = pair(&listener);
        let slot = conns.admit(&server).unwrap();
        let id = slot.id();
        let ended = Arc::new(AtomicBool::new(false));
        let thread = {
            let ended = ended.clone();
            std::thread::spawn(move || {
                while !slot.stopped() {
                    std::thread::sleep(Duration::from_millis(5));
                }
                drop(slot);
                std::thread::sleep(Duration::from_millis(300));
                ended.store(true, Ordering::Release);
            })
        };
        conns.started(id, thread);

        let (server, _client) = pair(&listener);
        let _admitted = conns.admit(&server).unwrap();
        assert!(
            ended.load(Ordering::Acquire),
            "admitted before the closed connection's thread had ended"
        );
        assert_eq!(conns.len(), MAX_CONNECTIONS);
    }

    #[test]
    fn a_new_event_stream_ends_the_oldest_beyond_the_bound() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let preview = Preview::new(false);
        let conns = Conns::new(preview.clone());
        let mut streams = Vec::new();
        for _ in 0..=MAX_EVENT_STREAMS {
            let (server, client) = pair(&listener);
            let slot = conns.admit(&server).unwrap();
            slot.busy();
            let stop = slot.events();
            streams.push((slot, stop, server, client));
        }
        let stopped = |streams: &[(Slot, Arc<AtomicBool>, Arc<TcpStream>, TcpStream)]| {
            streams
                .iter()
                .map(|s| s.1.load(Ordering::Acquire))
                .collect::<Vec<_>>()
        };
        let mut expected = vec![false; MAX_EVENT_STREAMS + 1];
        expected[0] = true;
        assert_eq!(
            stopped(&streams),
            expected,
            "the oldest stream is told to end"
        );
        assert_eq!(
            preview.wait_newer_unless(0, Duration::from_secs(30), &streams[0].1),
            None
        );

        // Out of file descriptors with no connection waiting: the oldest remaining stream goes.
        let (server, _client) = pair(&listener);
        conns.admit(&server).unwrap().busy();
        assert!(conns.close_oldest_idle());
        expected[1] = true;
        assert_eq!(stopped(&streams), expected);

        let (_, _, _, client) = streams.remove(0);
        assert_closed(client);
    }
}
