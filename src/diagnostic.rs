//! Problems found in data files, reported as `file:line:column: severity: message`.

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::fmt;

/// How bad a problem is: errors stop the engine from being built, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data cannot be used as it is.
    Error,
    /// The data works but probably not as the author meant.
    Warning,
}

/// One problem in a data file, with its place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file, as given to the loader (`gazetteers/people.yaml`).
    pub file: String,
    /// 1-based line; 0 when the place is not known.
    pub line: u64,
    /// 1-based column; 0 when the place is not known.
    pub column: u64,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and, where it helps, how to fix it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, sev, self.message
        )
    }
}

/// Collects diagnostics for one file.
#[derive(Debug)]
pub(crate) struct Sink<'a> {
    pub file: &'a str,
    pub out: &'a mut Vec<Diagnostic>,
}

impl Sink<'_> {
    pub fn at(&mut self, loc: Location, severity: Severity, message: impl Into<String>) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: loc.line(),
            column: loc.column(),
            severity,
            message: message.into(),
        });
    }

    pub fn error<T>(&mut self, s: &Spanned<T>, message: impl Into<String>) {
        self.at(s.referenced, Severity::Error, message);
    }

    pub fn warning<T>(&mut self, s: &Spanned<T>, message: impl Into<String>) {
        self.at(s.referenced, Severity::Warning, message);
    }
}

/// Parses one YAML file, turning a syntax or shape error into a located diagnostic.
pub(crate) fn parse_yaml<T: for<'de> Deserialize<'de>>(
    file: &str,
    content: &str,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str(content).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        // The crate's message repeats the place; keep only the first line of it, the reason.
        let text = e.to_string();
        let message = text
            .lines()
            .next()
            .unwrap_or("invalid YAML")
            .trim()
            .to_string();
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            severity: Severity::Error,
            message,
        }
    })
}
