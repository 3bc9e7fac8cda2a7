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

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Lines read and processed together (in parallel) before they are written.
    pub chunk: usize,
    /// Lines longer than this many bytes become error records without being parsed.
    pub max_line_bytes: usize,
    /// Stop at the first failed document.
    pub fail_fast: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            chunk: 512,
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
}

#[derive(Deserialize)]
struct InputDoc {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    date: Option<String>,
    text: Option<String>,
}

/// One raw input line: its number (1-based) and bytes, or the size of a line that was too long.
enum Line {
    Ok(usize, Vec<u8>),
    TooLong(usize, usize),
}

/// Reads the next line without ever holding more than `max` bytes of it.
fn read_line<R: BufRead>(r: &mut R, max: usize, buf: &mut Vec<u8>) -> io::Result<Option<Result<(), usize>>> {
    buf.clear();
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
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        total += take;
        if !too_long {
            if buf.len() + take > max {
                too_long = true;
                buf.clear();
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
    while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        buf.pop();
    }
    Ok(Some(Ok(())))
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
fn process(engine: &Engine, source: &str, line: &Line) -> (String, bool, usize, usize) {
    let (n, bytes) = match line {
        Line::TooLong(n, size) => {
            return (
                error_line(None, *n, source, &format!("line is {size} bytes, over the limit; not parsed")),
                true,
                0,
                0,
            )
        }
        Line::Ok(n, b) => (*n, b),
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

/// Runs a batch over `inputs` (a name for messages, and a reader), writing to `out`.
/// `progress` is called after every chunk; `stop` is checked between chunks (set it on SIGINT):
/// what was written is always whole lines.
pub fn run<W: Write>(
    engine: &Engine,
    inputs: Vec<(String, Box<dyn BufRead + Send>)>,
    out: &mut W,
    opts: &Options,
    stop: &AtomicBool,
    mut progress: impl FnMut(&Summary),
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut buf = Vec::new();
    'inputs: for (name, mut reader) in inputs {
        let mut line_no = 0usize;
        loop {
            if stop.load(Ordering::Relaxed) {
                break 'inputs;
            }
            let mut chunk: Vec<Line> = Vec::with_capacity(opts.chunk);
            while chunk.len() < opts.chunk {
                match read_line(&mut reader, opts.max_line_bytes, &mut buf)? {
                    None => break,
                    Some(r) => {
                        line_no += 1;
                        match r {
                            Err(size) => {
                                summary.bytes += size;
                                chunk.push(Line::TooLong(line_no, size));
                            }
                            Ok(()) => {
                                summary.bytes += buf.len() + 1;
                                if buf.iter().all(u8::is_ascii_whitespace) {
                                    continue;
                                }
                                chunk.push(Line::Ok(line_no, std::mem::take(&mut buf)));
                            }
                        }
                    }
                }
            }
            if chunk.is_empty() {
                break;
            }
            let results: Vec<(String, bool, usize, usize)> =
                chunk.par_iter().map(|l| process(engine, &name, l)).collect();
            let mut text = String::new();
            for (line, failed, ev, en) in results {
                summary.documents += 1;
                summary.events += ev;
                summary.entities += en;
                text.push_str(&line);
                text.push('\n');
                if failed {
                    summary.failed += 1;
                    if opts.fail_fast {
                        out.write_all(text.as_bytes())?;
                        out.flush()?;
                        progress(&summary);
                        return Ok(summary);
                    }
                }
            }
            out.write_all(text.as_bytes())?;
            out.flush()?;
            progress(&summary);
        }
    }
    Ok(summary)
}
