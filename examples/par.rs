#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use rayon::prelude::*;
fn main() {
    let engine = majlis::Engine::builder().build().unwrap();
    let lines: Vec<String> = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap().lines().map(String::from).collect();
    let texts: Vec<String> = lines.iter().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].as_str().unwrap().to_string()).collect();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let t = std::time::Instant::now();
        let n: usize = pool.install(|| texts.par_iter().map(|t| engine.extract(&majlis::Document::new("x", t)).unwrap().entities.len()).sum());
        eprintln!("{threads} threads: {:?} ({n})", t.elapsed());
        let t = std::time::Instant::now();
        let n: usize = pool.install(|| texts.par_iter().map(|t| majlis::normalize::normalize(t).as_str().len()).sum());
        eprintln!("{threads} threads normalize: {:?} ({n})", t.elapsed());
    }
}
