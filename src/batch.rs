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
    /// Most lines read and processed together (in parallel) before they are written.
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
            chunk: 512,
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

/// One input line of a chunk: its number (1-based) and where its bytes lie in the chunk's
/// buffer, or the size of a line that was too long to keep.
enum Line {
    Ok(usize, std::ops::Range<usize>),
    TooLong(usize, usize),
}

/// Lines read from one input, processed together.
struct Chunk {
    /// Index of the input (for its name).
    input: usize,
    buf: Vec<u8>,
    lines: Vec<Line>,
    /// Input bytes the chunk covers (blank lines included).
    bytes: usize,
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
    b.iter().position(|&c| c == b'\n')
}

fn error_line(id: Option<&serde_json::Value>, line: usize, source: &str, msg: &str) -> String {
    let v = serde_json::json!({
        "id": id.cloned().unwrap_or(serde_json::Value::Null),
        "line": line,
        "source": source,
        "error": msg,
    });
    v.to_string()
}

/// The output line for one input line, and whether it failed, and its counts.
fn process(engine: &Engine, source: &str, buf: &[u8], line: &Line) -> (String, bool, usize, usize) {
    let (n, bytes) = match line {
        Line::TooLong(n, size) => {
            return (
                error_line(None, *n, source, &format!("line is {size} bytes, over the limit; not parsed")),
                true,
                0,
                0,
            )
        }
        Line::Ok(n, range) => (*n, &buf[range.clone()]),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return (
                error_line(None, n, source, &format!("invalid UTF-8 at byte {}", e.valid_up_to())),
                true,
                0,
                0,
            )
        }
    };
    let doc: InputDoc = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => return (error_line(None, n, source, &format!("invalid JSON: {e}")), true, 0, 0),
    };
    let id_string = match &doc.id {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) if !v.is_null() => v.to_string(),
        _ => format!("{source}:{n}"),
    };
    let Some(body) = doc.text.as_deref() else {
        return (error_line(doc.id.as_ref(), n, source, "no `text` field"), true, 0, 0);
    };
    let date = match doc.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match parse_date(d) {
            Some(x) => Some(x),
            None => {
                return (
                    error_line(doc.id.as_ref(), n, source, &format!("`{d}` is not a date (YYYY-MM-DD)")),
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
    match engine.extract(&d) {
        Ok(rec) => {
            let (ev, en) = (rec.events.len(), rec.entities.len());
            match serde_json::to_string(&rec) {
                Ok(s) => (s, false, ev, en),
                Err(e) => (error_line(doc.id.as_ref(), n, source, &e.to_string()), true, 0, 0),
            }
        }
        Err(e) => (error_line(doc.id.as_ref(), n, source, &e.to_string()), true, 0, 0),
    }
}

/// Parses a document date: `YYYY-MM-DD`, optionally followed by a time (`2015-07-21T10:00:00`).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let head = s.get(..10).unwrap_or(s);
    chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// Reads every input into chunks and sends them; stops when the receiver hangs up.
fn read_chunks(
    inputs: Vec<Box<dyn BufRead + Send>>,
    opts: &Options,
    tx: &mpsc::SyncSender<io::Result<Chunk>>,
) {
    for (input, mut reader) in inputs.into_iter().enumerate() {
        let mut line_no = 0usize;
        loop {
            let mut chunk = Chunk {
                input,
                buf: Vec::new(),
                lines: Vec::new(),
                bytes: 0,
            };
            let mut end = false;
            while chunk.lines.len() < opts.chunk.max(1) && chunk.buf.len() < opts.chunk_bytes {
                match read_line(&mut *reader, opts.max_line_bytes, &mut chunk.buf) {
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                    Ok(None) => {
                        end = true;
                        break;
                    }
                    Ok(Some(Err(size))) => {
                        line_no += 1;
                        chunk.bytes += size;
                        chunk.lines.push(Line::TooLong(line_no, size));
                    }
                    Ok(Some(Ok(range))) => {
                        line_no += 1;
                        chunk.bytes += range.len() + 1;
                        if chunk.buf[range.clone()].iter().all(u8::is_ascii_whitespace) {
                            chunk.buf.truncate(range.start);
                            continue;
                        }
                        chunk.lines.push(Line::Ok(line_no, range));
                    }
                }
            }
            if (!chunk.lines.is_empty() || chunk.bytes > 0) && tx.send(Ok(chunk)).is_err() {
                return;
            }
            if end {
                break;
            }
        }
    }
}

/// Runs a batch over `inputs` (a name for messages, and a reader), writing to `out`.
///
/// A thread reads the inputs a chunk ahead; the chunk in hand is processed in parallel on the
/// current rayon pool and written in input order, whole lines at a time, then `out` is flushed.
/// `progress` is called after every chunk. `stop` (set it on SIGINT) is checked between
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
    // Room for one chunk in the channel, one being read and one being processed: memory is
    // bounded by three chunks whatever the number of documents.
    let (tx, rx) = mpsc::sync_channel::<io::Result<Chunk>>(1);
    let reader_opts = opts.clone();
    // Not scoped: a reader blocked on a terminal or a silent pipe must not keep an interrupted
    // run from ending.
    let reader = std::thread::spawn(move || read_chunks(readers, &reader_opts, &tx));
    let mut text = String::new();
    loop {
        let chunk = match rx.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(c) => c?,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::Relaxed) {
                    summary.interrupted = true;
                    return Ok(summary);
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        if stop.load(Ordering::Relaxed) {
            summary.interrupted = true;
            return Ok(summary);
        }
        let name = &names[chunk.input];
        let results: Vec<Option<(String, bool, usize, usize)>> = chunk
            .lines
            .par_iter()
            .map(|l| (!stop.load(Ordering::Relaxed)).then(|| process(engine, name, &chunk.buf, l)))
            .collect();
        text.clear();
        let mut done = true;
        for r in results {
            let Some((line, failed, ev, en)) = r else {
                summary.interrupted = true;
                done = false;
                break;
            };
            summary.documents += 1;
            summary.events += ev;
            summary.entities += en;
            text.push_str(&line);
            text.push('\n');
            if failed {
                summary.failed += 1;
                if opts.fail_fast {
                    done = false;
                    break;
                }
            }
        }
        if done {
            summary.bytes += chunk.bytes;
        }
        out.write_all(text.as_bytes())?;
        out.flush()?;
        progress(&summary);
        if !done {
            return Ok(summary);
        }
    }
    // The reader has sent everything and hung up.
    let _ = reader.join();
    Ok(summary)
}
