//! The `majlis` command line: parses arguments, reads input, calls the library, prints.

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use majlis::{batch, Document, Engine, EngineBuilder, Severity};
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

// glibc's allocator returns freed memory to the kernel and faults it back in; with many
// threads those page faults serialise. mimalloc keeps per-thread pages: 1.7× on two threads.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "majlis",
    version,
    about = "Finds people, states, cities and organisations in Arabic and English news, and the meetings and agreements between them."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DataArgs {
    /// Use the gazetteers in this directory instead of the embedded ones.
    #[arg(long, value_name = "DIR", global = true)]
    gazetteers: Option<PathBuf>,
    /// Use the rules in this directory instead of the embedded ones.
    #[arg(long, value_name = "DIR", global = true)]
    rules: Option<PathBuf>,
}

impl DataArgs {
    fn builder(&self) -> anyhow::Result<EngineBuilder> {
        let mut b = Engine::builder();
        if let Some(d) = &self.gazetteers {
            b = b.gazetteer_dir(d)?;
        }
        if let Some(d) = &self.rules {
            b = b.rules_dir(d)?;
        }
        Ok(b)
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Json,
    Jsonl,
    Tsv,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities and events from text files, JSON Lines documents, or stdin.
    Extract {
        /// Input files (plain text, or JSON Lines with --jsonl); stdin when none.
        files: Vec<PathBuf>,
        /// Inputs are JSON Lines documents: {"id", "date", "text"} a line.
        #[arg(long)]
        jsonl: bool,
        /// Document date for plain text (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Stop at the first document that fails.
        #[arg(long)]
        fail_fast: bool,
        /// Largest document accepted, in bytes.
        #[arg(long, default_value_t = majlis::engine::DEFAULT_MAX_DOCUMENT_BYTES)]
        max_bytes: usize,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Load every gazetteer and rule file and report all problems.
    Check {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Run the rules' inline examples.
    Test {
        /// Only the rules of these files (names or paths ending like them).
        files: Vec<String>,
        /// Only this rule.
        #[arg(long)]
        rule: Option<String>,
        /// Print passing examples too.
        #[arg(long, short)]
        verbose: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// The relationship graph over documents or saved records, as DOT, JSON or GraphML.
    Graph(GraphArgs),
    /// Score extraction against gold files: entities in CoNLL, events in JSON Lines.
    Eval(EvalArgs),
    /// Show step by step what majlis finds in a text and why.
    Explain {
        /// The text (or - for stdin).
        text: String,
        /// Document date (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        /// Only read sentences of this language (ar or en).
        #[arg(long)]
        lang: Option<String>,
        /// Print the trace as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Measure every stage of the pipeline side by side on a corpus (see BENCHMARKS.md).
    Bench {
        /// JSON Lines corpus; default: ../shared/data/news/ar-news-2015.jsonl when present, else the bundled sample.
        corpus: Option<PathBuf>,
        /// Runs of each stage (the best is kept).
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// Thread counts of the batch stage.
        #[arg(long, value_delimiter = ',', default_value = "1,2")]
        threads: Vec<usize>,
    },
}

fn main() -> ExitCode {
    // Transparent huge pages: the kernel clears two megabytes at each first touch of a fresh
    // stretch of the heap, over and over as the allocator hands pages back and takes them again.
    // A batch over the 2015 news spent up to 0.6 s of system time on it; without them a run is
    // steadier and faster (`BENCHMARKS.md`) and its peak memory a third lower.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe is how `majlis ... | head` ends: not an error.
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("majlis: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn date_arg(d: &Option<String>) -> anyhow::Result<Option<chrono::NaiveDate>> {
    match d {
        None => Ok(None),
        Some(s) => batch::parse_date(s)
            .map(Some)
            .with_context(|| format!("--date `{s}` is not a date (YYYY-MM-DD)")),
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract {
            files,
            jsonl,
            date,
            format,
            threads,
            fail_fast,
            max_bytes,
            data,
        } => {
            if let Some(n) = threads {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n.max(1))
                    .build_global()
                    .context("could not start the worker threads")?;
            }
            let date = date_arg(&date)?;
            let engine = data.builder()?.max_document_bytes(max_bytes).build()?;
            if jsonl {
                extract_jsonl(&engine, files, format, fail_fast, max_bytes)
            } else {
                extract_texts(&engine, files, date, format)
            }
        }
        Command::Graph(args) => graph_cmd(args),
        Command::Bench {
            corpus,
            repeat,
            threads,
        } => bench_cmd(corpus, repeat, &threads),
        Command::Eval(args) => eval_cmd(args),
        Command::Check { data } => {
            let diags = data.builder()?.check();
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            for d in &diags {
                println!("{d}");
            }
            let warnings = diags.len() - errors;
            eprintln!("{errors} error(s), {warnings} warning(s)");
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Test {
            files,
            rule,
            verbose,
            data,
        } => {
            let mut b = data.builder()?;
            if !files.is_empty() {
                b = b.only_rule_files(&files);
            }
            let engine = b.build()?;
            let outcomes =
                majlis::examples::run(&engine, |r| rule.as_ref().is_none_or(|id| &r.id == id));
            let mut out = io::stdout().lock();
            let (mut passed, mut failed) = (0, 0);
            for o in &outcomes {
                if o.passed {
                    passed += 1;
                    if verbose {
                        writeln!(out, "ok   {} ({})", o.rule, o.source)?;
                    }
                    continue;
                }
                failed += 1;
                writeln!(out, "FAIL {} ({})", o.rule, o.source)?;
                writeln!(out, "  text:     {}", o.text)?;
                for p in &o.problems {
                    writeln!(out, "  problem:  {p}")?;
                }
                let width = o.expected.len().max(o.actual.len()).max(1);
                for i in 0..width {
                    writeln!(
                        out,
                        "  expected: {:<60} | actual: {}",
                        o.expected
                            .get(i)
                            .map_or(if i == 0 { "(no event)" } else { "" }, String::as_str),
                        o.actual
                            .get(i)
                            .map_or(if i == 0 { "(no event)" } else { "" }, String::as_str)
                    )?;
                }
            }
            if outcomes.is_empty() {
                writeln!(out, "no examples matched")?;
            }
            writeln!(out, "{passed} passed, {failed} failed")?;
            Ok(if failed > 0 || outcomes.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Explain {
            text,
            date,
            lang,
            json,
            data,
        } => {
            let engine = data.builder()?.build()?;
            let text = if text == "-" {
                let mut s = String::new();
                io::stdin()
                    .read_to_string(&mut s)
                    .context("reading stdin")?;
                s
            } else {
                text
            };
            let text = match lang.as_deref() {
                None => text,
                Some(l) => {
                    let want = majlis::rules::Lang::parse(l)
                        .with_context(|| format!("--lang `{l}`: expected ar or en"))?;
                    text.lines()
                        .map(|line| {
                            if majlis::events::sentence_lang(line) == want {
                                line
                            } else {
                                ""
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            };
            let mut doc = Document::new("explain", &text);
            doc.date = date_arg(&date)?;
            let a = engine.analyse(&doc, true)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&majlis::explain::to_json(&engine, &doc, &a))?
                );
            } else {
                print!("{}", majlis::explain::to_text(&engine, &doc, &a));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_records(
    records: &[majlis::Record],
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match format {
        Format::Jsonl => {
            for r in records {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            if records.len() == 1 {
                serde_json::to_writer_pretty(&mut *out, &records[0])?;
            } else {
                serde_json::to_writer_pretty(&mut *out, records)?;
            }
            out.write_all(b"\n")?;
        }
        Format::Tsv => {
            writeln!(out, "{}", majlis::tsv::HEADER)?;
            for r in records {
                for line in majlis::tsv::rows(r) {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    Ok(())
}

fn extract_texts(
    engine: &Engine,
    files: Vec<PathBuf>,
    date: Option<chrono::NaiveDate>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    if files.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!("majlis: reading text from the terminal; end with Ctrl-D (see `majlis extract --help`)");
        }
        let mut b = Vec::new();
        io::stdin().read_to_end(&mut b).context("reading stdin")?;
        inputs.push(("stdin".into(), b));
    } else {
        for f in &files {
            let b = std::fs::read(f).with_context(|| format!("{}", f.display()))?;
            inputs.push((f.display().to_string(), b));
        }
    }
    let mut records = Vec::new();
    let mut failed = 0;
    for (id, bytes) in &inputs {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "majlis: {}",
                    majlis::Error::InvalidUtf8 {
                        id: id.clone(),
                        offset: e.valid_up_to()
                    }
                );
                failed += 1;
                continue;
            }
        };
        let mut doc = Document::new(id, text);
        doc.date = date;
        match engine.extract(&doc) {
            Ok(r) => records.push(r),
            Err(e) => {
                eprintln!("majlis: {e}");
                failed += 1;
            }
        }
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    write_records(&records, format, &mut out)?;
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn extract_jsonl(
    engine: &Engine,
    files: Vec<PathBuf>,
    format: Format,
    fail_fast: bool,
    max_bytes: usize,
) -> anyhow::Result<ExitCode> {
    if format != Format::Jsonl {
        anyhow::bail!("--jsonl writes JSON Lines; use --format jsonl (or leave --format out)");
    }
    let mut inputs: Vec<(String, Box<dyn BufRead + Send>)> = Vec::new();
    if files.is_empty() {
        inputs.push(("stdin".into(), Box::new(BufReader::new(io::stdin()))));
    } else {
        for f in &files {
            let file = std::fs::File::open(f).with_context(|| format!("{}", f.display()))?;
            inputs.push((
                f.display().to_string(),
                Box::new(BufReader::with_capacity(1 << 16, file)),
            ));
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second Ctrl-C kills at once; the first finishes the chunk in hand.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let opts = batch::Options {
        fail_fast,
        max_line_bytes: max_bytes + 4096,
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let bar = progress_bar(&files);
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let summary = batch::run(engine, inputs, &mut out, &opts, &stop, |s| {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        bar.set_position(s.bytes as u64);
        bar.set_message(format!(
            "{} documents, {:.1} MB/s, {} events, {} failed",
            s.documents,
            s.bytes as f64 / 1e6 / secs,
            s.events,
            s.failed
        ));
    });
    bar.finish_and_clear();
    let summary = summary?;
    out.flush()?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "majlis: {} documents ({} failed), {:.1} MB in {:.2} s ({:.1} MB/s), {} events{}",
        summary.documents,
        summary.failed,
        summary.bytes as f64 / 1e6,
        secs,
        summary.bytes as f64 / 1e6 / secs,
        summary.events,
        if stop.load(Ordering::Relaxed) {
            ", interrupted"
        } else {
            ""
        }
    );
    Ok(if summary.failed > 0 || stop.load(Ordering::Relaxed) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A progress bar on stderr when it is a terminal (hidden otherwise): bytes read of the input
/// files' total (a counter for stdin), documents, throughput, events.
fn progress_bar(files: &[PathBuf]) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: Option<u64> = (!files.is_empty()).then(|| {
        files
            .iter()
            .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
            .sum()
    });
    let (bar, template) = match total {
        Some(t) => (
            ProgressBar::new(t),
            "{bar:30} {decimal_bytes}/{decimal_total_bytes} {elapsed} {msg}",
        ),
        None => (
            ProgressBar::no_length(),
            "{spinner} {decimal_bytes} {elapsed} {msg}",
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(5));
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

#[derive(Args)]
struct GraphArgs {
    /// Input files: plain text, JSON Lines documents (--jsonl) or saved records (--records); stdin when none.
    files: Vec<PathBuf>,
    /// Inputs are JSON Lines documents: {"id", "date", "text"} a line.
    #[arg(long, conflicts_with = "records")]
    jsonl: bool,
    /// Inputs are records as `majlis extract --jsonl` writes them (error lines are skipped and counted).
    #[arg(long)]
    records: bool,
    /// Document date for plain text (YYYY-MM-DD).
    #[arg(long)]
    date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "dot")]
    format: GraphFormat,
    /// full: one edge per event; aggregate: one per pair and kind; country: folded into states.
    #[arg(long, value_enum, default_value = "aggregate")]
    view: GraphView,
    /// Keep only these kinds or subtypes (meeting, agreement, talks, visit, reception, call, summit, reached, signed).
    #[arg(long, value_delimiter = ',')]
    kind: Vec<String>,
    /// Keep only these modalities.
    #[arg(long, value_enum, value_delimiter = ',')]
    modality: Vec<GraphModality>,
    /// Keep events dated on or after this day (YYYY-MM-DD; the document date).
    #[arg(long)]
    from: Option<String>,
    /// Keep events dated on or before this day (YYYY-MM-DD; the document date).
    #[arg(long)]
    to: Option<String>,
    /// Keep edges of pairs with at least this many events.
    #[arg(long, default_value_t = 1)]
    min_count: u64,
    /// Keep only the neighbourhood of this node (an entity id; a country code in the country view).
    #[arg(long, value_name = "ID")]
    around: Option<String>,
    /// Steps from --around.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// Language of the labels.
    #[arg(long, value_enum, default_value = "en")]
    labels: GraphLabels,
    /// Document ids and pieces of evidence kept per edge.
    #[arg(long, default_value_t = majlis::graph::DEFAULT_SAMPLES)]
    samples: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = majlis::engine::DEFAULT_MAX_DOCUMENT_BYTES)]
    max_bytes: usize,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Dot,
    Json,
    Graphml,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphView {
    Full,
    Aggregate,
    Country,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphModality {
    Occurred,
    Planned,
    Negated,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphLabels {
    En,
    Ar,
}

fn graph_inputs(files: &[PathBuf]) -> anyhow::Result<Vec<(String, Box<dyn BufRead + Send>)>> {
    if files.is_empty() {
        return Ok(vec![(
            "stdin".into(),
            Box::new(BufReader::new(io::stdin())),
        )]);
    }
    files
        .iter()
        .map(|f| {
            let file = std::fs::File::open(f).with_context(|| format!("{}", f.display()))?;
            let reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(1 << 16, file));
            Ok((f.display().to_string(), reader))
        })
        .collect()
}

fn graph_cmd(args: GraphArgs) -> anyhow::Result<ExitCode> {
    use majlis::graph::{EventFilter, GraphBuilder, Labels, RecordSink, View};
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("could not start the worker threads")?;
    }
    let day = |flag: &str, d: &Option<String>| -> anyhow::Result<Option<chrono::NaiveDate>> {
        d.as_deref()
            .map(|s| {
                batch::parse_date(s)
                    .with_context(|| format!("--{flag} `{s}` is not a date (YYYY-MM-DD)"))
            })
            .transpose()
    };
    let filter = EventFilter {
        kinds: args.kind.clone(),
        modalities: args
            .modality
            .iter()
            .map(|m| match m {
                GraphModality::Occurred => "occurred",
                GraphModality::Planned => "planned",
                GraphModality::Negated => "negated",
            })
            .map(String::from)
            .collect(),
        from: day("from", &args.from)?,
        to: day("to", &args.to)?,
    };
    let date = date_arg(&args.date)?;
    let view = match args.view {
        GraphView::Full => View::Full,
        GraphView::Aggregate => View::Aggregate,
        GraphView::Country => View::Country,
    };
    let labels = match args.labels {
        GraphLabels::En => Labels::English,
        GraphLabels::Ar => Labels::Arabic,
    };
    let engine = args
        .data
        .builder()?
        .max_document_bytes(args.max_bytes)
        .build()?;
    let mut builder = GraphBuilder::new(view)
        .gazetteer(engine.gazetteer())
        .filter(filter)
        .samples(args.samples);
    // Documents that could not be read now (exit 1), and error records of earlier runs (counted).
    let (mut failed, mut skipped) = (0usize, 0usize);
    if args.records {
        for (name, mut reader) in graph_inputs(&args.files)? {
            let mut sink = RecordSink::new(&mut builder, |m| eprintln!("majlis: {name}: {m}"));
            io::copy(&mut reader, &mut sink).with_context(|| name.clone())?;
            let counts = sink.finish();
            failed += counts.bad_lines;
            skipped += counts.error_records;
        }
    } else if args.jsonl {
        let stop = AtomicBool::new(false);
        let opts = batch::Options {
            max_line_bytes: args.max_bytes + 4096,
            ..Default::default()
        };
        let tty = io::stderr().is_terminal();
        let mut sink = RecordSink::new(&mut builder, |m| eprintln!("majlis: {m}"));
        batch::run(
            &engine,
            graph_inputs(&args.files)?,
            &mut sink,
            &opts,
            &stop,
            |s| {
                if tty {
                    eprint!(
                        "\r{} documents, {} events, {} failed   ",
                        s.documents, s.events, s.failed
                    );
                }
            },
        )?;
        if tty {
            eprintln!();
        }
        let counts = sink.finish();
        failed += counts.bad_lines + counts.error_records;
    } else {
        let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
        if args.files.is_empty() {
            let mut b = Vec::new();
            io::stdin().read_to_end(&mut b).context("reading stdin")?;
            inputs.push(("stdin".into(), b));
        }
        for f in &args.files {
            inputs.push((
                f.display().to_string(),
                std::fs::read(f).with_context(|| format!("{}", f.display()))?,
            ));
        }
        for (id, bytes) in &inputs {
            let result = std::str::from_utf8(bytes)
                .map_err(|e| majlis::Error::InvalidUtf8 {
                    id: id.clone(),
                    offset: e.valid_up_to(),
                })
                .and_then(|text| {
                    let mut doc = Document::new(id, text);
                    doc.date = date;
                    engine.extract(&doc)
                });
            match result {
                Ok(r) => builder.add(&r),
                Err(e) => {
                    eprintln!("majlis: {e}");
                    failed += 1;
                }
            }
        }
    }
    let mut graph = builder.finish();
    graph.retain_min_count(args.min_count);
    if let Some(id) = &args.around {
        graph.retain_around(id, args.depth)?;
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match args.format {
        GraphFormat::Dot => graph.write_dot(&mut out, labels)?,
        GraphFormat::Json => graph.write_json(&mut out, labels)?,
        GraphFormat::Graphml => graph.write_graphml(&mut out, labels)?,
    }
    out.flush()?;
    let st = graph.stats();
    eprintln!(
        "majlis: {} nodes, {} edges from {} documents ({} of {} events used; {} failed{})",
        graph.node_count(),
        graph.edge_count(),
        st.documents,
        st.events_used,
        st.events,
        failed,
        if skipped > 0 {
            format!(", {skipped} error records skipped")
        } else {
            String::new()
        }
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Options of `majlis eval`.
#[derive(Args)]
struct EvalArgs {
    /// Entity gold in CoNLL: `token TAG` a line, IOB tags PERS/PER, LOC, ORG (MISC ignored).
    #[arg(long, value_name = "FILE.conll")]
    ner: Option<PathBuf>,
    /// Event gold in JSON Lines, one sentence a line (see docs/eval.md).
    #[arg(long, value_name = "GOLD.jsonl")]
    events: Option<PathBuf>,
    /// News corpus (JSON Lines) that event gold lines refer to by `doc`, `offset` and `length`.
    #[arg(long, value_name = "PATH", default_value = majlis::eval::DEFAULT_CORPUS)]
    corpus: PathBuf,
    /// Largest number of CoNLL tokens extracted as one text.
    #[arg(long, value_name = "N", default_value_t = majlis::eval::DEFAULT_CHUNK_TOKENS)]
    chunk_tokens: usize,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
    /// Also list the most frequent false positives (entities) and the sentences with errors (events).
    #[arg(long, short)]
    verbose: bool,
    #[command(flatten)]
    data: DataArgs,
}

fn read_gold(path: &std::path::Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not valid UTF-8 (first bad byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

fn eval_cmd(args: EvalArgs) -> anyhow::Result<ExitCode> {
    use majlis::eval;
    if args.ner.is_none() && args.events.is_none() {
        eprintln!("majlis eval: give --ner FILE.conll, --events GOLD.jsonl or both (see `majlis eval --help`)");
        return Ok(ExitCode::from(2));
    }
    let engine = args.data.builder()?.build()?;
    let mut json = serde_json::Map::new();
    let mut text = String::new();
    if let Some(path) = &args.ner {
        let name = path.display().to_string();
        let chunks = eval::parse_conll(&read_gold(path)?, &name, args.chunk_tokens)?;
        let report = eval::ner(&engine, &chunks)?;
        text.push_str(&format!("{name}\n{}", report.render(args.verbose)));
        json.insert("ner".into(), serde_json::to_value(&report)?);
    }
    if let Some(path) = &args.events {
        let name = path.display().to_string();
        let lines = eval::parse_gold_events(&read_gold(path)?, &name)?;
        let gold = eval::resolve_sentences(lines, &name, &args.corpus)?;
        if let Some(n) = &gold.notice {
            eprintln!("majlis: {n}");
        }
        let report = eval::events(&engine, &gold, args.verbose)?;
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("{name}\n{}", report.render()));
        json.insert("events".into(), serde_json::to_value(&report)?);
    }
    let mut out = io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        write!(out, "{text}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_cmd(
    corpus: Option<PathBuf>,
    repeat: usize,
    threads: &[usize],
) -> anyhow::Result<ExitCode> {
    use majlis::bench;
    let news = PathBuf::from("../shared/data/news/ar-news-2015.jsonl");
    let path = corpus.or_else(|| news.exists().then_some(news));
    let data = match &path {
        Some(p) => bench::Corpus::read(p).with_context(|| format!("{}", p.display()))?,
        None => bench::Corpus::from_jsonl(bench::SAMPLE.to_vec()),
    };
    eprintln!(
        "majlis bench: {} ({} documents), best of {repeat}",
        path.as_ref()
            .map_or("the bundled sample".into(), |p| p.display().to_string()),
        data.texts.len()
    );
    let report = bench::run(&data, repeat.max(1), threads)?;
    let mut text = report.to_markdown();
    if let Some(p) = &path {
        // The whole file streamed by the binary itself, as a user runs it: wall time and peak memory.
        let exe = std::env::current_exe().context("finding the majlis binary")?;
        for &n in threads {
            let (time, peak) = bench::stream(&exe, p, n)?;
            text.push_str(&format!(
                "`majlis extract --jsonl --threads {n}` on the file: {:.2} s, {:.1} MB/s of file{}\n",
                time.as_secs_f64(),
                data.jsonl.len() as f64 / 1e6 / time.as_secs_f64().max(1e-9),
                peak.map_or(String::new(), |kb| format!(", peak RSS {:.0} MB", kb as f64 / 1024.0))
            ));
        }
    }
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
