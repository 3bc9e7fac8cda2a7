//! The library's errors.

use crate::diagnostic::Diagnostic;
use std::path::PathBuf;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Gazetteer or rule files have errors; every problem is listed.
    #[error("{}", render(.0))]
    Data(Vec<Diagnostic>),
    /// A data directory or file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A document is larger than the engine accepts.
    #[error("document `{id}` is {size} bytes, over the limit of {limit} bytes (raise it with EngineBuilder::max_document_bytes or --max-bytes)")]
    TooLarge {
        /// Document id.
        id: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A document is not valid UTF-8.
    #[error("document `{id}` is not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 {
        /// Document id.
        id: String,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The gazetteer automaton could not be built.
    #[error("could not build the gazetteer automaton: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
}

fn render(d: &[Diagnostic]) -> String {
    let errors = d
        .iter()
        .filter(|x| x.severity == crate::diagnostic::Severity::Error)
        .count();
    let mut s = format!("{errors} error(s) in the data files:");
    for x in d {
        s.push_str("\n  ");
        s.push_str(&x.to_string());
    }
    s
}
