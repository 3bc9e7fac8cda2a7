//! Fault injection on `majlis extract --jsonl`: every input line is accounted for, whatever goes
//! wrong with it, and a run that is interrupted or whose reader goes away leaves whole lines.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("majlis starts")
}

fn run(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = spawn(args);
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn doc(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "date": "2016-07-23", "text": text}).to_string() + "\n"
}

const SENTENCE: &str = "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرغي لافروف في جنيف.";

/// Every output line parses as JSON and the output ends with a line break.
fn whole_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    let text = String::from_utf8(stdout.to_vec()).expect("output is UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "output ends inside a line"
    );
    text.lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not a whole JSON line ({e}): {l}"))
        })
        .collect()
}

#[test]
fn an_enormous_line_becomes_an_error_record_and_the_run_goes_on() {
    let mut input = doc("a", SENTENCE);
    input.push_str(&doc("big", &SENTENCE.repeat(200)));
    input.push_str(&doc("c", SENTENCE));
    let o = run(
        &["extract", "--jsonl", "--max-bytes", "4000"],
        input.into_bytes(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed document makes the exit code 1"
    );
    let lines = whole_lines(&o.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["line"], 2);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["id"], "c");
    assert!(!lines[2]["entities"].as_array().unwrap().is_empty());
}

#[test]
fn a_line_larger_than_the_default_limit_is_never_held_whole() {
    // 20 MB on one line, over the 16 MiB default: refused without being parsed.
    let mut input = doc("a", SENTENCE).into_bytes();
    input.extend_from_slice(b"{\"id\": \"huge\", \"text\": \"");
    input.extend(std::iter::repeat_n(b'x', 20_000_000));
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(doc("c", SENTENCE).as_bytes());
    let o = run(&["extract", "--jsonl"], input);
    assert_eq!(o.status.code(), Some(1));
    let lines = whole_lines(&o.stdout);
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["id"], "c");
}

#[test]
fn a_line_without_a_final_break_and_crlf_lines_are_documents() {
    let input = format!(
        "{}\r\n{}",
        doc("a", "Moscow").trim_end(),
        doc("b", "Paris").trim_end()
    );
    let o = run(&["extract", "--jsonl"], input.into_bytes());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let lines = whole_lines(&o.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["id"], "b");
}

#[test]
fn every_fault_at_once_keeps_input_order() {
    let mut input = Vec::new();
    for i in 0..300 {
        match i % 5 {
            0 => input.extend_from_slice(doc(&format!("d{i}"), SENTENCE).as_bytes()),
            1 => input.extend_from_slice(b"{not json\n"),
            2 => input.extend_from_slice(format!("{{\"id\": \"d{i}\"}}\n").as_bytes()),
            3 => {
                input.extend_from_slice(format!("{{\"id\": \"d{i}\", \"text\": \"").as_bytes());
                input.extend_from_slice(b"\xff\xfe\"}\n");
            }
            _ => input.extend_from_slice(
                format!("{{\"id\": \"d{i}\", \"date\": \"soon\", \"text\": \"x\"}}\n").as_bytes(),
            ),
        }
    }
    let o = run(&["extract", "--jsonl", "--threads", "2"], input);
    assert_eq!(o.status.code(), Some(1));
    let lines = whole_lines(&o.stdout);
    assert_eq!(lines.len(), 300, "one output line per input line");
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l.get("error").is_none(), i % 5 == 0, "line {}: {l}", i + 1);
        if i % 5 == 1 {
            assert_eq!(l["line"], i + 1);
        } else {
            assert_eq!(l["id"], format!("d{i}"));
        }
    }
    assert!(String::from_utf8_lossy(&o.stderr).contains("300 documents (240 failed)"));
}

/// Reads stdout lines until `n` have arrived (or a timeout), returning the reader and the lines.
fn read_lines(child: &mut Child, n: usize) -> (BufReader<std::process::ChildStdout>, Vec<String>) {
    let mut r = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    while lines.len() < n {
        let mut l = String::new();
        if r.read_line(&mut l).unwrap() == 0 {
            break;
        }
        lines.push(l);
    }
    (r, lines)
}

fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let t = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(t.elapsed() < limit, "majlis did not stop within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
fn interrupt(child: &Child) {
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[cfg(unix)]
#[test]
fn sigint_on_a_waiting_stream_stops_with_whole_lines() {
    // Two documents, then the stream stays open: the answers come at once, and Ctrl-C ends the
    // run although no more input arrives.
    let mut child = spawn(&["extract", "--jsonl"]);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(doc("a", SENTENCE).as_bytes()).unwrap();
    stdin.write_all(doc("b", "Moscow").as_bytes()).unwrap();
    stdin.flush().unwrap();
    let (mut rest, lines) = read_lines(&mut child, 2);
    assert_eq!(lines.len(), 2, "answers arrive while the stream is open");
    interrupt(&child);
    let status = wait(&mut child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(1), "an interrupted run exits 1");
    let mut tail = Vec::new();
    rest.read_to_end(&mut tail).unwrap();
    assert!(tail.is_empty());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("2 documents") && err.contains("interrupted"),
        "{err}"
    );
    drop(stdin);
}

#[cfg(unix)]
#[test]
fn sigint_in_the_middle_of_a_large_batch_leaves_whole_lines() {
    let mut child = spawn(&["extract", "--jsonl"]);
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let line = doc("x", &SENTENCE.repeat(20));
        for _ in 0..200_000 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let (mut rest, first) = read_lines(&mut child, 1);
    interrupt(&child);
    // Keep reading while it stops: a writer blocked on a full pipe could not finish its chunk.
    let drain = std::thread::spawn(move || {
        let mut tail = Vec::new();
        rest.read_to_end(&mut tail).unwrap();
        tail
    });
    let status = wait(&mut child, Duration::from_secs(20));
    assert_eq!(status.code(), Some(1));
    let tail = drain.join().unwrap();
    let mut all = first.concat().into_bytes();
    all.extend(tail);
    let lines = whole_lines(&all);
    assert!(
        !lines.is_empty() && lines.len() < 200_000,
        "{} lines",
        lines.len()
    );
    assert!(lines
        .iter()
        .all(|l| l["id"] == "x" && l.get("error").is_none()));
    feeder.join().unwrap();
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // `majlis extract --jsonl big.jsonl | head -n 1`: the reader goes away after one line.
    let mut child = spawn(&["extract", "--jsonl"]);
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let line = doc("x", SENTENCE);
        for _ in 0..200_000 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let (rest, first) = read_lines(&mut child, 1);
    assert!(first[0].ends_with('\n'));
    serde_json::from_str::<serde_json::Value>(&first[0]).unwrap();
    drop(rest);
    let status = wait(&mut child, Duration::from_secs(20));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        status.code(),
        Some(0),
        "a closed pipe is how `| head` ends: {err}"
    );
    feeder.join().unwrap();
}
