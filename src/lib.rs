//! # majlis
//!
//! Finds people, countries, cities and organisations in Arabic and English news, and turns what
//! they do together — meetings, visits, talks, calls, agreements, signings — into event records
//! and a relationship graph.
//!
//! The pipeline (see `ARCHITECTURE.md` in the repository):
//! [`normalize`] → [`segment`] → [`matcher`] → [`resolve`] → [`rules`]/[`events`] → [`record`] →
//! [`graph`].
//!
//! ```
//! use majlis::{Document, Engine};
//!
//! let engine = Engine::builder().build()?;
//! let doc = Document::new("doc-1", "Kerry and Lavrov met in Geneva.");
//! let record = engine.extract(&doc)?;
//! assert!(record.entities.iter().any(|e| e.id == "CHE" || e.id == "geneva"));
//! println!("{}", serde_json::to_string(&record).unwrap());
//! # Ok::<(), majlis::Error>(())
//! ```

pub mod batch;
pub mod bench;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod eval;
pub mod events;
pub mod examples;
pub mod explain;
pub mod gazetteer;
pub mod graph;
pub mod matcher;
pub mod normalize;
pub mod record;
pub mod resolve;
pub mod rules;
pub mod segment;
pub mod time;
pub mod tsv;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::{Analysis, Document, Engine, EngineBuilder};
pub use error::Error;
pub use record::Record;
