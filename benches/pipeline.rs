//! Criterion benchmarks of each stage of the pipeline, on the first 2 MB of the news corpus
//! (`../shared/data/news/ar-news-2015.jsonl`) when it is present and on the bundled sample
//! otherwise. Whole-corpus figures, side by side in one run, come from `majlis bench`.
//!
//! `cargo bench --bench pipeline`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use majlis::matcher::{Backend, Matcher};
use majlis::normalize::normalize;
use majlis::{batch, bench, Document, Engine};
use std::hint::black_box;
use std::io::Cursor;
use std::sync::atomic::AtomicBool;

fn corpus() -> bench::Corpus {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/news/ar-news-2015.jsonl");
    match std::fs::read(&path) {
        Ok(bytes) => {
            // Whole lines up to 2 MB.
            let mut end = 0;
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'\n' {
                    end = i + 1;
                    if end >= 2_000_000 {
                        break;
                    }
                }
            }
            bench::Corpus::from_jsonl(bytes[..end].to_vec())
        }
        Err(_) => bench::Corpus::from_jsonl(bench::SAMPLE.to_vec()),
    }
}

fn stages(c: &mut Criterion) {
    let engine = Engine::builder().build().expect("embedded data builds");
    let g = engine.gazetteer();
    let data = corpus();
    let texts = &data.texts;
    let normalized: Vec<_> = texts.iter().map(|t| normalize(t)).collect();
    let aho = Matcher::with_backend(g, Backend::AhoCorasick).expect("automaton builds");
    let daac = Matcher::with_backend(g, Backend::Daachorse).expect("automaton builds");

    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(data.text_bytes() as u64));
    group.sample_size(10);
    group.bench_function("raw scan, aho-corasick", |b| {
        b.iter(|| {
            normalized
                .iter()
                .map(|n| aho.raw_count(n.as_str()))
                .sum::<usize>()
        })
    });
    group.bench_function("raw scan, daachorse", |b| {
        b.iter(|| {
            normalized
                .iter()
                .map(|n| daac.raw_count(n.as_str()))
                .sum::<usize>()
        })
    });
    for (name, matcher) in [
        ("hits, trie at token starts", engine.matcher()),
        ("hits, daachorse scan", &daac),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                normalized
                    .iter()
                    .zip(texts)
                    .map(|(n, t)| matcher.hits(g, n, t).len())
                    .sum::<usize>()
            })
        });
    }
    group.bench_function("normalise", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| normalize(t).as_str().len())
                .sum::<usize>()
        })
    });
    group.bench_function("normalise + match + resolve", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    engine
                        .mentions(&Document::new("bench", t))
                        .map_or(0, |a| a.mentions.mentions.len())
                })
                .sum::<usize>()
        })
    });
    group.bench_function("analyse (+ rules)", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    engine
                        .analyse(&Document::new("b", t), false)
                        .map_or(0, |a| a.events.len())
                })
                .sum::<usize>()
        })
    });
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("threads start");
        group.bench_function(
            format!("batch, JSON in and out, {threads} thread(s)"),
            |b| {
                b.iter_batched(
                    || Cursor::new(data.jsonl.clone()),
                    |input| {
                        pool.install(|| {
                            let stop = AtomicBool::new(false);
                            batch::run(
                                &engine,
                                vec![("bench".into(), Box::new(input))],
                                &mut std::io::sink(),
                                &batch::Options::default(),
                                &stop,
                                |_| {},
                            )
                            .map(|s| s.events)
                        })
                    },
                    BatchSize::LargeInput,
                )
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("engine (embedded data)", |b| {
        b.iter(|| black_box(Engine::builder().build()))
    });
    group.bench_function("matcher, trie", |b| {
        b.iter(|| black_box(Matcher::with_backend(g, Backend::Trie)))
    });
    group.bench_function("automaton, daachorse", |b| {
        b.iter(|| black_box(Matcher::with_backend(g, Backend::Daachorse)))
    });
    group.bench_function("automaton, aho-corasick", |b| {
        b.iter(|| black_box(Matcher::with_backend(g, Backend::AhoCorasick)))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
