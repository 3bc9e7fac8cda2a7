//! Streaming batches of JSON Lines documents: one output line per input line, in input order,
//! in parallel, with memory bounded by the chunk size, and no document ever dropped.
//!
//! Every input line yields exactly one output line: the record, or an error record
//! `{"id": ..., "line": N, "error": "..."}` when the line is not valid JSON, lacks `text`, holds
//! invalid UTF-8, has a bad date, or is larger than the limit.

use crate::engine::{Document, Engine};
use rayon::prelude::*;
use serde::Deserialize;
use std::io::{self, BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Most lines read and processed together (in parallel) before they are written. Each chunk
    /// ends with a wait for its slowest document: 2,048 news articles (about 8 MB, the byte cap
    /// below) keep those waits rare.
    pub chunk: usize,
    /// A chunk is closed once it holds this many bytes, so memory stays bounded however long
    /// the documents are.
    pub chunk_bytes: usize,
    /// Lines longer than this many bytes become error records without being parsed (nor held in
    /// memory).
    pub max_line_bytes: usize,
    /// Stop at the first failed document.
    pub fail_fast: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            chunk: 2048,
            chunk_bytes: 8 << 20,
            max_line_bytes: crate::engine::DEFAULT_MAX_DOCUMENT_BYTES + 4096,
            fail_fast: false,
        }
    }
}

/// Counts of a finished (or interrupted) batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Input lines that held a document (blank lines are skipped and not counted).
    pub documents: usize,
    /// Documents that produced an error record.
    pub failed: usize,
    /// Input bytes read.
    pub bytes: usize,
    /// Events written.
    pub events: usize,
    /// Entities written (summed over documents).
    pub entities: usize,
    /// The run was stopped (by `stop`) before the end of the input.
    pub interrupted: bool,
}

#[derive(Deserialize)]
struct InputDoc {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    date: Option<String>,
    text: Option<String>,
}

/// What the reading thread sends: one input line, or the bytes of a blank line, or the error
/// that ended the input.
enum Msg {
    /// Input index, line number (1-based), the line without its break (or the size of a line
    /// over the limit, not kept), and the input bytes it covers.
    Line(usize, usize, Result<Vec<u8>, usize>, usize),
    Blank(usize),
    Failed(io::Error),
}

impl Msg {
    fn bytes(&self) -> usize {
        match self {
            Msg::Line(_, _, _, n) | Msg::Blank(n) => *n,
            Msg::Failed(_) => 0,
        }
    }
}

/// Bytes read but not yet processed, so that the reader waits for the workers instead of
/// filling memory. `closed` releases a waiting reader when the run ends early.
#[derive(Default)]
struct InFlight {
    state: std::sync::Mutex<(usize, bool)>,
    changed: std::sync::Condvar,
}

impl InFlight {
    /// Waits until fewer than `limit` bytes are in flight, then adds `n`. False once closed.
    fn acquire(&self, n: usize, limit: usize) -> bool {
        let Ok(mut g) = self.state.lock() else {
            return false;
        };
        while g.0 > 0 && g.0 + n > limit && !g.1 {
            g = match self.changed.wait(g) {
                Ok(g) => g,
                Err(_) => return false,
            };
        }
        g.0 += n;
        !g.1
    }

    fn release(&self, n: usize) {
        if let Ok(mut g) = self.state.lock() {
            g.0 = g.0.saturating_sub(n);
        }
        self.changed.notify_all();
    }

    fn close(&self) {
        if let Ok(mut g) = self.state.lock() {
            g.1 = true;
        }
        self.changed.notify_all();
    }
}

/// Appends the next line (without its line break) to `buf`, never holding more than `max` bytes
/// of it. `None` at the end of the input; `Some(Err(size))` for a line over the limit (nothing
/// is appended).
fn read_line<R: BufRead + ?Sized>(
    r: &mut R,
    max: usize,
    buf: &mut Vec<u8>,
) -> io::Result<Option<Result<std::ops::Range<usize>, usize>>> {
    let begin = buf.len();
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            if total == 0 {
                return Ok(None);
            }
            break;
        }
        let (take, done) = match memchr_newline(available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        total += take;
        if !too_long {
            if total > max {
                too_long = true;
                buf.truncate(begin);
            } else {
                buf.extend_from_slice(&available[..take]);
            }
        }
        r.consume(take);
        if done {
            break;
        }
    }
    if too_long {
        return Ok(Some(Err(total)));
    }
    while buf.len() > begin && buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        buf.pop();
    }
    Ok(Some(Ok(begin..buf.len())))
}

#[inline]
fn memchr_newline(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', b)
}

fn error_line(id: Option<&serde_json::Value>, line: usize, source: &str, msg: &str) -> Vec<u8> {
    let v = serde_json::json!({
        "id": id.cloned().unwrap_or(serde_json::Value::Null),
        "line": line,
        "source": source,
        "error": msg,
    });
    v.to_string().into_bytes()
}

/// An output line, whether it reports a failure, and its event and entity counts.
type Output = (Vec<u8>, bool, usize, usize);

/// The output line for one input line, and whether it failed, and its counts.
fn process(engine: &Engine, source: &str, n: usize, line: &Result<Vec<u8>, usize>) -> Output {
    let bytes = match line {
        Err(size) => {
            return (
                error_line(
                    None,
                    n,
                    source,
                    &format!("line is {size} bytes, over the limit; not parsed"),
                ),
                true,
                0,
                0,
            )
        }
        Ok(b) => b.as_slice(),
    };
    let text = match simdutf8::compat::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // The id, when the rest of the line still says it.
            let id = serde_json::from_str::<InputDoc>(&String::from_utf8_lossy(bytes))
                .ok()
                .and_then(|d| d.id);
            return (
                error_line(
                    id.as_ref(),
                    n,
                    source,
                    &format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                ),
                true,
                0,
                0,
            );
        }
    };
    let doc: InputDoc = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            return (
                error_line(None, n, source, &format!("invalid JSON: {e}")),
                true,
                0,
                0,
            )
        }
    };
    let id_string = match &doc.id {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) if !v.is_null() => v.to_string(),
        _ => format!("{source}:{n}"),
    };
    let Some(body) = doc.text.as_deref() else {
        return (
            error_line(doc.id.as_ref(), n, source, "no `text` field"),
            true,
            0,
            0,
        );
    };
    let date = match doc.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match parse_date(d) {
            Some(x) => Some(x),
            None => {
                return (
                    error_line(
                        doc.id.as_ref(),
                        n,
                        source,
                        &format!("`{d}` is not a date (YYYY-MM-DD)"),
                    ),
                    true,
                    0,
                    0,
                )
            }
        },
    };
    let d = Document {
        id: &id_string,
        date,
        text: body,
    };
    match engine.analyse(&d, false) {
        Ok(a) => {
            // The record borrows what it can from the line, the analysis and the engine: it is
            // only written out.
            let rec = engine.record_as::<std::borrow::Cow<str>>(&d, &a);
            let (ev, en) = (rec.events.len(), rec.entities.len());
            // Records run to about half the size of their input line: one allocation, as a rule.
            let mut buf = Vec::with_capacity(bytes.len() / 2 + 256);
            match serde_json::to_writer(&mut buf, &rec) {
                Ok(()) => (buf, false, ev, en),
                Err(e) => (
                    error_line(doc.id.as_ref(), n, source, &e.to_string()),
                    true,
                    0,
                    0,
                ),
            }
        }
        Err(e) => (
            error_line(doc.id.as_ref(), n, source, &e.to_string()),
            true,
            0,
            0,
        ),
    }
}

/// Parses a document date: `YYYY-MM-DD`, optionally followed by a time (`2015-07-21T10:00:00`).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let head = s.get(..10).unwrap_or(s);
    chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// Reads every input line by line and sends the lines, holding at most `2 × chunk_bytes` of
/// unprocessed input; stops when the receiver hangs up.
fn read_lines(
    inputs: Vec<Box<dyn BufRead + Send>>,
    opts: &Options,
    tx: &mpsc::Sender<Msg>,
    in_flight: &InFlight,
) {
    // One scratch buffer grows to the longest line; each line leaves in an allocation of its own
    // size (sizing them by the longest line seen would keep asking the system for fresh pages).
    let mut scratch = Vec::new();
    for (input, mut reader) in inputs.into_iter().enumerate() {
        let mut line_no = 0usize;
        loop {
            scratch.clear();
            let msg = match read_line(&mut *reader, opts.max_line_bytes, &mut scratch) {
                Err(e) => Msg::Failed(e),
                Ok(None) => break,
                Ok(Some(Err(size))) => {
                    line_no += 1;
                    Msg::Line(input, line_no, Err(size), size)
                }
                Ok(Some(Ok(range))) => {
                    line_no += 1;
                    let bytes = range.len() + 1;
                    if scratch.iter().all(u8::is_ascii_whitespace) {
                        Msg::Blank(bytes)
                    } else {
                        Msg::Line(input, line_no, Ok(scratch.as_slice().into()), bytes)
                    }
                }
            };
            let failed = matches!(msg, Msg::Failed(_));
            if !in_flight.acquire(msg.bytes(), 2 * opts.chunk_bytes)
                || tx.send(msg).is_err()
                || failed
            {
                return;
            }
        }
    }
}

/// Runs a batch over `inputs` (a name for messages, and a reader), writing to `out`.
///
/// A thread reads the inputs ahead (at most twice [`Options::chunk_bytes`]); the lines read so
/// far (up to a chunk) are processed in parallel on the current rayon pool and written in input
/// order, whole lines at a time, then `out` is flushed: a slow stream gets its answers line by
/// line, a file in chunks. `progress` is called after every chunk. `stop` (set it on SIGINT) is checked between
/// documents: the documents already done are written, in order, up to the first one not done,
/// and the summary says `interrupted`. What was written is always whole lines.
pub fn run<W: Write>(
    engine: &Engine,
    inputs: Vec<(String, Box<dyn BufRead + Send>)>,
    out: &mut W,
    opts: &Options,
    stop: &AtomicBool,
    mut progress: impl FnMut(&Summary),
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let (names, readers): (Vec<String>, Vec<_>) = inputs.into_iter().unzip();
    let (tx, rx) = mpsc::channel::<Msg>();
    let in_flight = std::sync::Arc::new(InFlight::default());
    let reader_opts = opts.clone();
    let reader_flight = in_flight.clone();
    // Not scoped: a reader blocked on a terminal or a silent pipe must not keep an interrupted
    // run from ending.
    let reader = std::thread::spawn(move || read_lines(readers, &reader_opts, &tx, &reader_flight));
    let result = run_lines(
        engine,
        &names,
        &rx,
        out,
        opts,
        stop,
        &in_flight,
        &mut summary,
        &mut progress,
    );
    in_flight.close();
    drop(rx);
    if result.is_ok() && !summary.interrupted && !(opts.fail_fast && summary.failed > 0) {
        // The reader has sent everything and hung up.
        let _ = reader.join();
    }
    result.map(|()| summary)
}

/// The writing side of [`run`]: takes what the reader has sent (waiting only for the first line
/// of a chunk, so a slow stream is answered line by line), processes it in parallel, writes it.
#[allow(clippy::too_many_arguments)]
fn run_lines<W: Write>(
    engine: &Engine,
    names: &[String],
    rx: &mpsc::Receiver<Msg>,
    out: &mut W,
    opts: &Options,
    stop: &AtomicBool,
    in_flight: &InFlight,
    summary: &mut Summary,
    progress: &mut impl FnMut(&Summary),
) -> io::Result<()> {
    // Lines are written one at a time and flushed after each chunk: buffered here whatever
    // `out` is.
    let out = &mut io::BufWriter::with_capacity(1 << 16, out);
    let mut chunk: Vec<Msg> = Vec::with_capacity(opts.chunk.max(1));
    loop {
        chunk.clear();
        let first = match rx.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::Relaxed) {
                    summary.interrupted = true;
                    return Ok(());
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let mut bytes = first.bytes();
        chunk.push(first);
        while chunk.len() < opts.chunk.max(1) && bytes < opts.chunk_bytes {
            match rx.try_recv() {
                Ok(m) => {
                    bytes += m.bytes();
                    chunk.push(m);
                }
                Err(_) => break,
            }
        }
        if stop.load(Ordering::Relaxed) {
            summary.interrupted = true;
            return Ok(());
        }
        let results: Vec<Option<Output>> = chunk
            .par_iter()
            .map(|m| match m {
                Msg::Line(input, n, line, _) => (!stop.load(Ordering::Relaxed))
                    .then(|| process(engine, &names[*input], *n, line)),
                _ => None,
            })
            .collect();
        // Lines go out whole, in input order, as they are taken (the writer buffers them).
        let mut end = false;
        for (m, r) in chunk.iter_mut().zip(results) {
            let (line, failed, ev, en) = match (m, r) {
                (Msg::Blank(n), _) => {
                    summary.bytes += *n;
                    continue;
                }
                (Msg::Failed(e), _) => {
                    out.flush()?;
                    return Err(std::mem::replace(e, io::Error::other("read error")));
                }
                (Msg::Line(..), None) => {
                    summary.interrupted = true;
                    end = true;
                    break;
                }
                (Msg::Line(_, _, _, n), Some(r)) => {
                    summary.bytes += *n;
                    r
                }
            };
            summary.documents += 1;
            summary.events += ev;
            summary.entities += en;
            out.write_all(&line)?;
            out.write_all(b"\n")?;
            if failed {
                summary.failed += 1;
                if opts.fail_fast {
                    end = true;
                    break;
                }
            }
        }
        out.flush()?;
        in_flight.release(bytes);
        progress(summary);
        if end {
            return Ok(());
        }
    }
}
