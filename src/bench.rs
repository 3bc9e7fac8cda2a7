//! Whole-corpus benchmarks: every stage of the pipeline measured side by side, in one process, on
//! the same documents (what `majlis bench` prints and `BENCHMARKS.md` records).
//!
//! The stages, each timed over the whole corpus on one thread:
//!
//! | stage | what it runs |
//! |---|---|
//! | raw scan | an Aho-Corasick automaton (`daachorse`) over the engine's names, run over the already-normalised texts, every overlapping hit counted: what a plain gazetteer scan costs, and the baseline of the other stages |
//! | trie lookups | the engine's own matcher (the default [`Backend`]) with no check at all: the trie walked at every token start and after every proclitic where the word there begins a name, every name found counted |
//! | normalise | [`normalize`] with its offset map |
//! | match | normalise + sentences + automaton with boundary and clitic checks + resolution to mentions |
//! | analyse | the same + rules and merging (everything but the record) |
//! | batch | what `majlis extract --jsonl` does: JSON in, records out as JSON Lines, on 1 and 2 threads |
//!
//! Throughput is always megabytes (10⁶ bytes) of document text per second, so the stages compare
//! directly: a stage at half the raw scan's figure takes twice its time.
//!
//! The raw scan and the batch on one thread are run in alternation (scan, batch, scan, batch,
//! ...), after one run of each left out, so that each pair sees the same phase of the machine
//! (clock, other load); the report gives the ratio of every pair besides the best times.

use crate::batch;
use crate::engine::{Document, Engine, EngineBuilder};
use crate::matcher::{Backend, Matcher};
use crate::normalize::normalize;
use std::io::{self, Cursor};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Documents to measure on: the JSON Lines bytes and the texts they hold.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The input as read (lines that are not documents are kept: the batch stage sees them too).
    pub jsonl: Arc<[u8]>,
    /// The `text` of every line that has one.
    pub texts: Vec<String>,
}

impl Corpus {
    /// Reads a JSON Lines file of `{"id", "date", "text"}` documents.
    pub fn read(path: &Path) -> io::Result<Self> {
        Ok(Self::from_jsonl(std::fs::read(path)?))
    }

    /// The corpus held by JSON Lines bytes.
    pub fn from_jsonl(jsonl: Vec<u8>) -> Self {
        let texts = jsonl
            .split(|&b| b == b'\n')
            .filter_map(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
            .collect();
        Self {
            jsonl: jsonl.into(),
            texts,
        }
    }

    /// Bytes of document text.
    pub fn text_bytes(&self) -> usize {
        self.texts.iter().map(String::len).sum()
    }
}

/// One measured stage.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Its name.
    pub name: String,
    /// Worker threads.
    pub threads: usize,
    /// Best time over the repetitions.
    pub time: Duration,
    /// What it found (hits, mentions, events: a check that the work was done).
    pub found: usize,
}

/// Everything one run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Documents with text.
    pub documents: usize,
    /// Bytes of document text (the throughput denominator).
    pub text_bytes: usize,
    /// Engine build times (embedded data), best and median.
    pub build: (Duration, Duration),
    /// The engine's matcher alone, built from the loaded gazetteer (best).
    pub automaton_build: Duration,
    /// The raw scan's Aho-Corasick automaton, built from the same names (best).
    pub scan_build: Duration,
    /// The stages, in order.
    pub stages: Vec<Stage>,
    /// For each alternating pair of runs, the one-thread batch's throughput as a fraction of the
    /// raw scan's (the scan's time over the batch's), in the order run.
    pub paired: Vec<f64>,
}

impl Report {
    /// Megabytes of text per second for a stage.
    pub fn mb_per_s(&self, s: &Stage) -> f64 {
        self.text_bytes as f64 / 1e6 / s.time.as_secs_f64().max(1e-9)
    }

    /// The median of [`Report::paired`], if the pairs were run.
    pub fn paired_median(&self) -> Option<f64> {
        let mut r = self.paired.clone();
        r.sort_by(f64::total_cmp);
        let n = r.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(r[n / 2]),
            _ => Some((r[n / 2 - 1] + r[n / 2]) / 2.0),
        }
    }

    /// The first stage with this name and thread count.
    pub fn stage(&self, name: &str, threads: usize) -> Option<&Stage> {
        self.stages
            .iter()
            .find(|s| s.name == name && s.threads == threads)
    }

    /// A Markdown table of the stages, with each stage's throughput as a fraction of the raw scan.
    pub fn to_markdown(&self) -> String {
        let raw = self.stage(RAW, 1).map(|s| self.mb_per_s(s));
        let mut s = format!(
            "{} documents, {:.1} MB of text\n\n| stage | threads | time (s) | MB/s | × raw scan | found |\n|---|---:|---:|---:|---:|---:|\n",
            self.documents,
            self.text_bytes as f64 / 1e6
        );
        for st in &self.stages {
            let mbps = self.mb_per_s(st);
            s.push_str(&format!(
                "| {} | {} | {:.3} | {:.1} | {} | {} |\n",
                st.name,
                st.threads,
                st.time.as_secs_f64(),
                mbps,
                raw.map_or("".into(), |r| format!("{:.2}", mbps / r)),
                st.found
            ));
        }
        if let Some(median) = self.paired_median() {
            let (lo, hi) = self
                .paired
                .iter()
                .fold((f64::MAX, f64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));
            s.push_str(&format!(
                "\nbatch (1 thread) ÷ raw scan, run in alternation: median {median:.3} over {} pairs (from {lo:.3} to {hi:.3})\n",
                self.paired.len()
            ));
        }
        if let (Some(one), Some(two)) = (self.stage(BATCH, 1), self.stage(BATCH, 2)) {
            s.push_str(&format!(
                "\n2 threads / 1 thread (batch): {:.2}×\n",
                one.time.as_secs_f64() / two.time.as_secs_f64().max(1e-9)
            ));
        }
        s.push_str(&format!(
            "engine build (embedded data): best {:.0} ms, median {:.0} ms; matcher alone {:.0} ms (the raw scan's automaton: {:.0} ms)\n",
            self.build.0.as_secs_f64() * 1e3,
            self.build.1.as_secs_f64() * 1e3,
            self.automaton_build.as_secs_f64() * 1e3,
            self.scan_build.as_secs_f64() * 1e3
        ));
        s
    }
}

/// Stage names.
pub const RAW: &str = "raw scan";
/// See [`RAW`].
pub const LOOKUP: &str = "trie lookups";
/// See [`RAW`].
pub const NORMALISE: &str = "normalise";
/// See [`RAW`].
pub const MATCH: &str = "normalise + match + resolve";
/// See [`RAW`].
pub const ANALYSE: &str = "+ rules (analyse)";
/// See [`RAW`].
pub const BATCH: &str = "full batch (JSON in, JSON out)";

fn best<T>(repeat: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let t = Instant::now();
    let v = std::hint::black_box(f());
    let mut best = t.elapsed();
    for _ in 1..repeat {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    (best, v)
}

/// Runs every stage `repeat` times and keeps the best time of each. `threads` lists the thread
/// counts of the batch stage.
pub fn run(corpus: &Corpus, repeat: usize, threads: &[usize]) -> Result<Report, crate::Error> {
    let t = Instant::now();
    let engine: Engine = EngineBuilder::new().build()?;
    let mut builds = vec![t.elapsed()];
    for _ in 0..repeat + 1 {
        let t = Instant::now();
        let built = std::hint::black_box(EngineBuilder::new().build()?);
        builds.push(t.elapsed());
        // Freeing an engine is not part of building one.
        drop(built);
    }
    builds.sort();
    let (automaton_build, _) = best(repeat, || Matcher::new(engine.gazetteer()));
    let (scan_build, scanner) = best(repeat, || {
        Matcher::with_backend(engine.gazetteer(), Backend::Daachorse)
    });
    let scanner = scanner.map_err(crate::Error::from)?;

    let texts = &corpus.texts;
    let normalized: Vec<_> = texts.iter().map(|t| normalize(t)).collect();
    let mut stages = Vec::new();
    let mut push = |name: &str, threads: usize, (time, found): (Duration, usize)| {
        stages.push(Stage {
            name: name.to_string(),
            threads,
            time,
            found,
        })
    };

    let raw = || -> usize {
        normalized
            .iter()
            .map(|n| scanner.raw_count(n.as_str()))
            .sum()
    };
    let pools = threads
        .iter()
        .map(|&n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map(|pool| (n, pool))
                .map_err(|e| crate::Error::Io {
                    path: "threads".into(),
                    source: io::Error::other(e),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let batch = |pool: &rayon::ThreadPool| {
        pool.install(|| {
            let stop = AtomicBool::new(false);
            let input: Box<dyn io::BufRead + Send> = Box::new(Cursor::new(corpus.jsonl.clone()));
            batch::run(
                &engine,
                vec![("bench".into(), input)],
                &mut io::sink(),
                &batch::Options::default(),
                &stop,
                |_| {},
            )
            .map_or(0, |s| s.events)
        })
    };
    // The raw scan, and the one-thread batch in alternation with it, after one run of each
    // left out (the rules' lazy automata fill their caches, the allocator its pages).
    let one_thread = pools.iter().find(|(n, _)| *n == 1).map(|(_, p)| p);
    std::hint::black_box(raw());
    if let Some(pool) = one_thread {
        std::hint::black_box(batch(pool));
    }
    let mut paired = Vec::new();
    let (mut raw_best, mut batch_best) = ((Duration::MAX, 0), (Duration::MAX, 0));
    for _ in 0..repeat {
        let (t, found) = best(1, raw);
        raw_best = raw_best.min((t, found));
        if let Some(pool) = one_thread {
            let (b, found) = best(1, || batch(pool));
            batch_best = batch_best.min((b, found));
            paired.push(t.as_secs_f64() / b.as_secs_f64().max(1e-9));
        }
    }
    push(RAW, 1, raw_best);
    push(
        LOOKUP,
        1,
        best(repeat, || {
            normalized
                .iter()
                .map(|n| engine.matcher().candidate_count(n))
                .sum()
        }),
    );
    push(
        NORMALISE,
        1,
        best(repeat, || {
            texts.iter().map(|t| normalize(t).as_str().len()).sum()
        }),
    );
    push(
        MATCH,
        1,
        best(repeat, || {
            texts
                .iter()
                .map(|t| {
                    engine
                        .mentions(&Document::new("bench", t))
                        .map_or(0, |a| a.mentions.mentions.len())
                })
                .sum()
        }),
    );
    push(
        ANALYSE,
        1,
        best(repeat, || {
            texts
                .iter()
                .map(|t| {
                    engine
                        .analyse(&Document::new("bench", t), false)
                        .map_or(0, |a| a.events.len())
                })
                .sum()
        }),
    );
    for (n, pool) in &pools {
        let measured = if *n == 1 {
            batch_best
        } else {
            best(repeat, || batch(pool))
        };
        push(BATCH, *n, measured);
    }
    Ok(Report {
        documents: texts.len(),
        text_bytes: corpus.text_bytes(),
        build: (builds[0], builds[builds.len() / 2]),
        automaton_build,
        scan_build,
        stages,
        paired,
    })
}

/// The bundled sample (the seed article in Arabic and English, whole and by paragraph), used when
/// the news corpus is absent.
pub const SAMPLE: &[u8] = include_bytes!("../bench/sample.jsonl");

/// A streaming run of the binary (`exe extract --jsonl FILE --threads N`, output discarded): its
/// wall time, and its peak resident memory in kilobytes (`VmHWM`, read while it runs; Linux only).
pub fn stream(exe: &Path, file: &Path, threads: usize) -> io::Result<(Duration, Option<u64>)> {
    let t = Instant::now();
    let mut child = std::process::Command::new(exe)
        .args(["extract", "--jsonl", "--threads", &threads.to_string()])
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // The kernel's own accounting of children (getrusage) would also count the parent's memory,
    // which the child shares between fork and exec: read the child's high-water mark instead.
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if let Some(kb) = std::fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(high_water_kb)
        {
            peak = Some(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let time = t.elapsed();
    if !status.success() {
        return Err(io::Error::other(format!(
            "`{} extract --jsonl {}` failed ({status})",
            exe.display(),
            file.display()
        )));
    }
    Ok((time, peak))
}

fn high_water_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
