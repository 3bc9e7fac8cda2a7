//! The relationship graph: the seed article's edges, folding, direction, filters, and exports that
//! GraphViz, networkx and GraphML readers accept.

use majlis::gazetteer::{Entity, EntityType, Gazetteer};
use majlis::graph::{
    EventFilter, Graph, GraphBuilder, Labels, NodeLink, RecordSink, View, EDGE_KEYS, NODE_KEYS,
};
use majlis::record::{EventRecord, Evidence, Participant, Plover, Record, Trigger};
use majlis::{Document, Engine};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

// ------------------------------------------------------------------ helpers

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builder().build().expect("embedded data builds"))
}

fn seed_record(lang: &str) -> Record {
    let path = format!(
        "{}/tests/data/kerry-lavrov-asean-2016.{lang}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("seed article");
    let date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23).expect("date");
    let doc = Document::new("seed", &text).with_date(date);
    engine().extract(&doc).expect("seed extracts")
}

fn seed_graph(lang: &str, view: View) -> Graph {
    let mut b = GraphBuilder::new(view).gazetteer(engine().gazetteer());
    b.add(&seed_record(lang));
    b.finish()
}

fn person(id: &str, country: Option<&str>) -> Participant {
    Participant {
        id: id.into(),
        name: id.into(),
        kind: "person".into(),
        country: country.map(Into::into),
    }
}

fn country(code: &str) -> Participant {
    Participant {
        id: code.into(),
        name: code.into(),
        kind: "country".into(),
        country: Some(code.into()),
    }
}

fn org(id: &str, code: Option<&str>) -> Participant {
    Participant {
        id: id.into(),
        name: id.into(),
        kind: "organisation".into(),
        country: code.map(Into::into),
    }
}

fn city(id: &str) -> Participant {
    Participant {
        id: id.into(),
        name: id.into(),
        kind: "city".into(),
        country: None,
    }
}

fn event(kind: &str, subtype: &str, modality: &str, participants: Vec<Participant>) -> EventRecord {
    EventRecord {
        id: "doc/e1".into(),
        kind: kind.into(),
        subtype: Some(subtype.into()),
        cameo: if kind == "agreement" { "057" } else { "036" }.into(),
        plover: Plover {
            event: if kind == "agreement" {
                "AGREE"
            } else {
                "CONSULT"
            }
            .into(),
            mode: None,
            context: vec![],
        },
        participants,
        location: None,
        time: None,
        topic: None,
        modality: modality.into(),
        evidence: vec![Evidence {
            sentence: [0, 40],
            trigger: Trigger {
                text: "met".into(),
                span: [10, 13],
            },
            rule: "meeting.en.met".into(),
            source: "rules/meeting.en.yaml:1".into(),
        }],
        confidence: 0.9,
    }
}

fn record(id: &str, date: Option<&str>, events: Vec<EventRecord>) -> Record {
    Record {
        id: id.into(),
        date: date.map(Into::into),
        entities: vec![],
        events,
    }
}

fn build(view: View, filter: EventFilter, records: &[Record]) -> Graph {
    let mut b = GraphBuilder::new(view).filter(filter);
    for r in records {
        b.add(r);
    }
    b.finish()
}

/// Edges between two nodes of one kind.
fn edges<'g>(g: &'g Graph, a: &str, b: &str, kind: &str) -> Vec<&'g majlis::graph::Edge> {
    g.edges_between(a, b)
        .into_iter()
        .filter(|e| e.kind == kind)
        .collect()
}

fn dot_of(g: &Graph, labels: Labels) -> String {
    let mut out = Vec::new();
    g.write_dot(&mut out, labels).expect("write dot");
    String::from_utf8(out).expect("dot is UTF-8")
}

/// `dot -Tsvg` must accept the file: exit 0 and nothing on stderr. Skipped when GraphViz is not
/// installed (CI installs it).
fn assert_dot_renders(dot: &str) {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("notice: `dot` (GraphViz) is not installed; DOT output not rendered");
            return;
        }
        Err(e) => panic!("could not run dot: {e}"),
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot.as_bytes())
        .expect("write to dot");
    let out = child.wait_with_output().expect("dot runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "dot -Tsvg refused the file ({}): {stderr}\n{dot}",
        out.status
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

fn graphml_of(g: &Graph, labels: Labels) -> String {
    let mut out = Vec::new();
    g.write_graphml(&mut out, labels).expect("write graphml");
    String::from_utf8(out).expect("graphml is UTF-8")
}

/// Parses GraphML and checks that every `<data>` refers to a declared key of its element's
/// domain and that edges join declared nodes. Returns node id → (key name → value).
fn check_graphml(xml: &str) -> HashMap<String, HashMap<String, String>> {
    let doc = roxmltree::Document::parse(xml).expect("GraphML is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://graphml.graphdrawing.org/xmlns")
    );
    let mut keys: HashMap<String, (String, String)> = HashMap::new();
    for k in root.children().filter(|n| n.has_tag_name("key")) {
        let id = k.attribute("id").expect("key id").to_string();
        let domain = k.attribute("for").expect("key for").to_string();
        let name = k.attribute("attr.name").expect("attr.name").to_string();
        assert!(k.attribute("attr.type").is_some());
        assert!(keys.insert(id, (domain, name)).is_none(), "duplicate key");
    }
    for (_, name, _) in NODE_KEYS.iter().chain(EDGE_KEYS) {
        assert!(
            keys.values().any(|(_, n)| n == name),
            "no <key> for attribute `{name}`"
        );
    }
    let graph = root
        .children()
        .find(|n| n.has_tag_name("graph"))
        .expect("<graph>");
    assert!(graph.attribute("edgedefault").is_some());
    let mut nodes: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut edge_ids = HashSet::new();
    for el in graph.children().filter(|n| n.is_element()) {
        let domain = el.tag_name().name();
        let mut attrs = HashMap::new();
        let data_of = if domain == "data" {
            vec![el]
        } else {
            el.children().filter(|n| n.has_tag_name("data")).collect()
        };
        let domain = if domain == "data" { "graph" } else { domain };
        for d in data_of {
            let key = d.attribute("key").expect("data key");
            let (for_, name) = keys
                .get(key)
                .unwrap_or_else(|| panic!("<data key=\"{key}\"> has no <key>"));
            assert_eq!(for_, domain, "key `{key}` used on a {domain}");
            attrs.insert(name.clone(), d.text().unwrap_or("").to_string());
        }
        match domain {
            "node" => {
                let id = el.attribute("id").expect("node id").to_string();
                assert!(nodes.insert(id, attrs).is_none(), "duplicate node id");
            }
            "edge" => {
                assert!(edge_ids.insert(el.attribute("id").expect("edge id").to_string()));
                for end in ["source", "target"] {
                    let id = el.attribute(end).expect("edge end");
                    assert!(nodes.contains_key(id), "edge {end} `{id}` is not a node");
                }
            }
            _ => {}
        }
    }
    nodes
}

fn json_round_trip(g: &Graph, labels: Labels) -> NodeLink {
    let mut out = Vec::new();
    g.write_json(&mut out, labels).expect("write json");
    let data: NodeLink = serde_json::from_slice(&out).expect("node-link JSON reads back");
    assert_eq!(data, g.node_link(labels), "JSON round trip");
    // The shape networkx's node_link_graph reads.
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert!(v["directed"].is_boolean() && v["multigraph"].is_boolean() && v["graph"].is_object());
    let ids: HashSet<&str> = v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("node id"))
        .collect();
    assert_eq!(ids.len(), g.node_count());
    let mut keys = HashSet::new();
    for l in v["links"].as_array().expect("links") {
        for end in ["source", "target"] {
            assert!(ids.contains(l[end].as_str().expect("end")));
        }
        assert!(keys.insert(l["key"].as_u64().expect("key")));
    }
    data
}

/// Every export of `g` in both languages is accepted by its reader.
fn check_exports(g: &Graph) {
    for labels in [Labels::English, Labels::Arabic] {
        assert_dot_renders(&dot_of(g, labels));
        check_graphml(&graphml_of(g, labels));
        json_round_trip(g, labels);
    }
}

// ------------------------------------------------------------------ the seed article

fn seed_full(lang: &str) {
    let g = seed_graph(lang, View::Full);
    let kl = edges(&g, "john-kerry", "sergey-lavrov", "meeting");
    assert_eq!(kl.len(), 2, "Kerry–Lavrov: two meetings, got {kl:#?}");
    let vientiane = kl
        .iter()
        .find(|e| e.locations.contains_key("vientiane"))
        .expect("Kerry–Lavrov meeting in Vientiane");
    assert_eq!(vientiane.modality(), "planned");
    assert!(!vientiane.directed);
    let moscow = kl
        .iter()
        .find(|e| e.locations.contains_key("moscow"))
        .expect("Kerry–Lavrov meeting in Moscow");
    assert_eq!(moscow.modality(), "occurred");
    assert!(
        !edges(&g, "john-kerry", "vladimir-putin", "meeting").is_empty(),
        "Kerry–Putin meeting"
    );
    let agreement = edges(&g, "USA", "RUS", "agreement");
    assert_eq!(agreement.len(), 1, "United States–Russia agreement");
    assert_eq!(agreement[0].modality(), "occurred");
    assert!(
        edges(&g, "john-kerry", "barack-obama", "meeting").is_empty(),
        "no Kerry–Obama meeting"
    );
    check_exports(&g);
}

fn seed_aggregate(lang: &str) {
    let g = seed_graph(lang, View::Aggregate);
    let kl = edges(&g, "john-kerry", "sergey-lavrov", "meeting");
    assert_eq!(kl.len(), 1, "one aggregated Kerry–Lavrov meeting edge");
    let e = kl[0];
    assert_eq!((e.count, e.planned, e.occurred), (2, 1, 1));
    assert_eq!(e.location_ids().len(), 2);
    assert!(e.locations.contains_key("vientiane") && e.locations.contains_key("moscow"));
    assert_eq!(
        edges(&g, "john-kerry", "vladimir-putin", "meeting").len(),
        1
    );
    assert_eq!(edges(&g, "USA", "RUS", "agreement").len(), 1);
    assert_eq!(
        g.node("sergey-lavrov").map(|n| n.country.as_deref()),
        Some(Some("RUS"))
    );
    assert_eq!(
        g.node("john-kerry").and_then(|n| n.name_ar.as_deref()),
        Some("جون كيري")
    );
    check_exports(&g);
}

fn seed_country(lang: &str) {
    let g = seed_graph(lang, View::Country);
    let meetings = edges(&g, "USA", "RUS", "meeting");
    let total: u64 = meetings.iter().map(|e| e.count).sum();
    assert!(
        total >= 2,
        "USA–RUS meetings (Vientiane, Moscow), got {meetings:#?}"
    );
    assert!(
        meetings.iter().any(|e| !e.directed && e.count >= 2),
        "USA–RUS talks"
    );
    assert_eq!(
        edges(&g, "USA", "RUS", "agreement").len(),
        1,
        "USA–RUS agreement"
    );
    assert!(g.edges().all(|(a, b, _)| a.id != b.id), "no self-loops");
    assert!(g.nodes().all(|n| n.kind == "country"));
    assert_eq!(
        g.node("USA").map(|n| n.name.as_str()),
        Some("United States")
    );
    check_exports(&g);
}

#[test]
fn seed_ar_full_view_has_both_kerry_lavrov_meetings_putin_and_the_agreement() {
    seed_full("ar");
}

#[test]
fn seed_ar_aggregate_view_counts_two_kerry_lavrov_meetings() {
    seed_aggregate("ar");
}

#[test]
fn seed_ar_country_view_has_usa_rus_meetings_and_agreement() {
    seed_country("ar");
}

#[test]
fn seed_en_full_view_has_both_kerry_lavrov_meetings_putin_and_the_agreement() {
    seed_full("en");
}

#[test]
fn seed_en_aggregate_view_counts_two_kerry_lavrov_meetings() {
    seed_aggregate("en");
}

#[test]
fn seed_en_country_view_has_usa_rus_meetings_and_agreement() {
    seed_country("en");
}

#[test]
fn seed_graph_is_the_same_entity_across_documents() {
    let mut b = GraphBuilder::new(View::Aggregate).gazetteer(engine().gazetteer());
    let mut second = seed_record("en");
    second.id = "seed-en".into();
    b.add(&seed_record("ar"));
    b.add(&second);
    let g = b.finish();
    let e = edges(&g, "john-kerry", "sergey-lavrov", "meeting");
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].count, e[0].documents), (4, 2));
    assert_eq!(e[0].document_ids, vec!["seed", "seed-en"]);
    assert_eq!(g.nodes().filter(|n| n.id == "john-kerry").count(), 1);
}

// ------------------------------------------------------------------ hand-made records

#[test]
fn visits_and_receptions_point_from_visitor_to_host() {
    let g = build(
        View::Aggregate,
        EventFilter::default(),
        &[record(
            "d",
            Some("2015-07-21"),
            vec![
                event(
                    "meeting",
                    "visit",
                    "occurred",
                    vec![person("kerry", Some("USA")), country("RUS")],
                ),
                // Two visitors and a host: each visitor → host, the visitors do not meet.
                event(
                    "meeting",
                    "reception",
                    "occurred",
                    vec![
                        person("lavrov", Some("RUS")),
                        person("shoigu", Some("RUS")),
                        person("sisi", Some("EGY")),
                    ],
                ),
                event(
                    "meeting",
                    "talks",
                    "occurred",
                    vec![person("zeta", None), person("alpha", None)],
                ),
            ],
        )],
    );
    let pairs: Vec<(&str, &str, bool)> = g
        .edges()
        .map(|(a, b, e)| (a.id.as_str(), b.id.as_str(), e.directed))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("kerry", "RUS", true),
            ("lavrov", "sisi", true),
            ("shoigu", "sisi", true),
            ("alpha", "zeta", false),
        ]
    );
    assert!(g.has_directed_edges());
    let dot = dot_of(&g, Labels::English);
    assert!(dot.contains("\"kerry\" -> \"RUS\" [label="), "{dot}");
    assert!(dot.contains("\"alpha\" -> \"zeta\" [dir=none"), "{dot}");
    check_exports(&g);
}

#[test]
fn country_view_folds_people_and_bodies_into_the_state_they_act_for() {
    let records = [record(
        "d",
        Some("2015-07-21"),
        vec![
            event(
                "meeting",
                "talks",
                "occurred",
                vec![
                    person("putin", Some("RUS")),
                    person("lavrov", Some("RUS")),
                    person("kerry", Some("USA")),
                    org("ban-ki-moon-office", Some("UN")),
                    person("nobody", None),
                ],
            ),
            // Two Russians: a self-loop after folding, no edge.
            event(
                "meeting",
                "talks",
                "occurred",
                vec![person("putin", Some("RUS")), person("lavrov", Some("RUS"))],
            ),
            event(
                "agreement",
                "signed",
                "occurred",
                vec![country("USA"), person("lavrov", Some("RUS"))],
            ),
            event(
                "meeting",
                "visit",
                "occurred",
                vec![person("kerry", Some("USA")), country("RUS")],
            ),
            // A visit inside one state makes no edge.
            event(
                "meeting",
                "visit",
                "occurred",
                vec![person("lavrov", Some("RUS")), country("RUS")],
            ),
            // A host without a country: no edge, and no edge between the visitors either.
            event(
                "meeting",
                "visit",
                "occurred",
                vec![person("kerry", Some("USA")), city("nowhere")],
            ),
        ],
    )];
    let g = build(View::Country, EventFilter::default(), &records);
    let mut ids: Vec<&str> = g.nodes().map(|n| n.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec!["RUS", "UN", "USA"]);
    assert!(g.edges().all(|(a, b, _)| a.id != b.id));
    // The three-way Russian–American meeting counts once for the pair, not once per Russian.
    let talks = edges(&g, "RUS", "USA", "meeting");
    let undirected: Vec<_> = talks.iter().filter(|e| !e.directed).collect();
    assert_eq!(undirected.len(), 1);
    assert_eq!(undirected[0].count, 1);
    let visit: Vec<_> = talks.iter().filter(|e| e.directed).collect();
    assert_eq!(visit.len(), 1);
    let (a, b, _) = g.edges().find(|(_, _, e)| e.directed).expect("visit edge");
    assert_eq!((a.id.as_str(), b.id.as_str()), ("USA", "RUS"));
    assert_eq!(edges(&g, "USA", "RUS", "agreement").len(), 1);
    assert_eq!(edges(&g, "UN", "USA", "meeting").len(), 1);
    assert_eq!(g.node("UN").map(|n| n.kind.as_str()), Some("organisation"));
    // "nobody" and the city host have no country.
    assert_eq!(g.stats().unfolded, 2);
    check_exports(&g);
}

#[test]
fn country_view_names_states_and_bodies_from_the_gazetteer() {
    let mut b = GraphBuilder::new(View::Country).gazetteer(engine().gazetteer());
    b.add(&record(
        "d",
        None,
        vec![event(
            "meeting",
            "talks",
            "occurred",
            vec![person("john-kerry", Some("USA")), org("unicef", Some("UN"))],
        )],
    ));
    let g = b.finish();
    assert_eq!(
        g.node("USA").map(|n| n.name.as_str()),
        Some("United States")
    );
    assert_eq!(
        g.node("UN").map(|n| n.name.as_str()),
        Some("United Nations")
    );
    assert!(g.node("UN").and_then(|n| n.name_ar.as_deref()).is_some());
}

fn filter_records() -> Vec<Record> {
    let ab = || vec![person("a", Some("AAA")), person("b", Some("BBB"))];
    vec![
        record(
            "d1",
            Some("2015-07-01"),
            vec![
                event("meeting", "talks", "occurred", ab()),
                event("agreement", "reached", "planned", ab()),
                event(
                    "meeting",
                    "talks",
                    "occurred",
                    vec![person("b", Some("BBB")), person("c", Some("CCC"))],
                ),
            ],
        ),
        record(
            "d2",
            Some("2015-07-15"),
            vec![
                event("meeting", "call", "negated", ab()),
                event(
                    "meeting",
                    "talks",
                    "occurred",
                    vec![person("c", Some("CCC")), person("d", Some("DDD"))],
                ),
            ],
        ),
        record(
            "d3",
            None,
            vec![{
                let mut e = event("meeting", "talks", "planned", ab());
                e.time = Some(majlis::record::TimeRecord {
                    text: "next month".into(),
                    start: Some("2015-08-03".into()),
                    end: None,
                });
                e
            }],
        ),
    ]
}

#[test]
fn filters_by_kind_subtype_modality_and_date() {
    let rs = filter_records();
    let count = |f: EventFilter| -> u64 {
        build(View::Full, f, &rs)
            .edges()
            .map(|(_, _, e)| e.count)
            .sum()
    };
    assert_eq!(count(EventFilter::default()), 6);
    let kinds = |k: &[&str]| EventFilter {
        kinds: k.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    assert_eq!(count(kinds(&["agreement"])), 1);
    assert_eq!(count(kinds(&["call"])), 1);
    assert_eq!(count(kinds(&["meeting"])), 5);
    let modality = EventFilter {
        modalities: vec!["planned".into(), "negated".into()],
        ..Default::default()
    };
    assert_eq!(count(modality), 3);
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let july = EventFilter {
        from: day("2015-07-10"),
        to: day("2015-07-31"),
        ..Default::default()
    };
    assert_eq!(count(july), 2);
    // The undated document's event is filed under its own time.
    let august = EventFilter {
        from: day("2015-08-01"),
        ..Default::default()
    };
    assert_eq!(count(august), 1);
}

#[test]
fn aggregate_counts_per_pair_and_kind_and_min_count_prunes() {
    let rs = filter_records();
    let mut g = build(View::Aggregate, EventFilter::default(), &rs);
    let ab = edges(&g, "a", "b", "meeting");
    assert_eq!(ab.len(), 1);
    let e = ab[0];
    assert_eq!((e.count, e.occurred, e.planned, e.negated), (3, 1, 1, 1));
    assert_eq!(e.first_date.as_deref(), Some("2015-07-01"));
    assert_eq!(e.last_date.as_deref(), Some("2015-08-03"));
    assert_eq!(e.documents, 3);
    assert_eq!(edges(&g, "a", "b", "agreement").len(), 1);
    g.retain_min_count(2);
    assert_eq!(g.edge_count(), 1);
    let mut ids: Vec<&str> = g.nodes().map(|n| n.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec!["a", "b"], "nodes left without edges go");
    check_exports(&g);

    // In the full view the events of a pair and kind are counted over its edges.
    let mut full = build(View::Full, EventFilter::default(), &rs);
    full.retain_min_count(3);
    assert_eq!(full.edge_count(), 3);
    assert!(full
        .edges()
        .all(|(a, b, e)| (a.id.as_str(), b.id.as_str(), e.kind.as_str()) == ("a", "b", "meeting")));
}

#[test]
fn neighbourhood_keeps_nodes_within_depth() {
    let rs = filter_records();
    let mut g1 = build(View::Aggregate, EventFilter::default(), &rs);
    g1.retain_around("a", 1).expect("a is a node");
    let ids = |g: &Graph| {
        let mut v: Vec<String> = g.nodes().map(|n| n.id.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&g1), vec!["a", "b"]);
    let mut g2 = build(View::Aggregate, EventFilter::default(), &rs);
    g2.retain_around("a", 2).expect("a is a node");
    assert_eq!(ids(&g2), vec!["a", "b", "c"]);
    assert!(edges(&g2, "c", "d", "meeting").is_empty());
    let mut g3 = build(View::Aggregate, EventFilter::default(), &rs);
    let err = g3.retain_around("zz", 1).expect_err("unknown node");
    assert!(err.to_string().contains("`zz`"));
}

fn awkward_gazetteer() -> Gazetteer {
    let entity = |id: &str, name: &str, ar: &str, kind| Entity {
        id: id.into(),
        kind,
        name: name.into(),
        name_ar: Some(ar.into()),
        wikidata: None,
        country: Some("PSE".into()),
        code: None,
        capital: None,
        roles: vec![],
        actor: true,
        source: "test".into(),
    };
    let entities = vec![
        entity(
            "quartet",
            r#"The "Quartet" \ Group"#,
            r#"اللجنة "الرباعية" \ الدولية"#,
            EntityType::Organisation,
        ),
        entity(
            "abu-x",
            "Abu <X> & 'Y'",
            "أبو \"س\" & <ص>",
            EntityType::Person,
        ),
    ];
    let index = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();
    Gazetteer {
        entities,
        index,
        ..Default::default()
    }
}

#[test]
fn labels_with_quotes_backslashes_and_markup_are_escaped() {
    let g_data = awkward_gazetteer();
    let mut b = GraphBuilder::new(View::Full).gazetteer(&g_data);
    let mut quartet = org("quartet", Some("PSE"));
    quartet.name = r#"The "Quartet" \ Group"#.into();
    let mut abu = person("abu-x", Some("PSE"));
    abu.name = "Abu <X> & 'Y'\nsecond line".into();
    let mut e = event("meeting", "talks", "planned", vec![quartet, abu]);
    e.id = "doc \"1\"/e1".into();
    b.add(&record("doc \"1\"", Some("2015-07-21"), vec![e]));
    let g = b.finish();

    let ar = dot_of(&g, Labels::Arabic);
    assert!(ar.contains("charset=\"UTF-8\""));
    assert!(
        ar.contains(r#"label="اللجنة \"الرباعية\" \\ الدولية""#),
        "{ar}"
    );
    assert!(ar.contains("style=\"dashed\""));
    let en = dot_of(&g, Labels::English);
    assert!(en.contains(r#"label="The \"Quartet\" \\ Group""#), "{en}");
    assert_dot_renders(&ar);
    assert_dot_renders(&en);

    let nodes = check_graphml(&graphml_of(&g, Labels::Arabic));
    assert_eq!(nodes["quartet"]["label"], r#"اللجنة "الرباعية" \ الدولية"#);
    assert_eq!(nodes["abu-x"]["name_ar"], "أبو \"س\" & <ص>");
    assert_eq!(nodes["abu-x"]["name"], "Abu <X> & 'Y'\nsecond line");

    let data = json_round_trip(&g, Labels::Arabic);
    let quartet = data.nodes.iter().find(|n| n.id == "quartet").expect("node");
    assert_eq!(quartet.label, r#"اللجنة "الرباعية" \ الدولية"#);
    assert_eq!(data.links[0].document_ids, vec!["doc \"1\""]);
}

#[test]
fn empty_graph_exports_are_valid() {
    let g = GraphBuilder::new(View::Aggregate).finish();
    assert_eq!((g.node_count(), g.edge_count()), (0, 0));
    check_exports(&g);
}

#[test]
fn edge_style_follows_kind_and_modality_and_width_follows_count() {
    let ab = || vec![person("a", None), person("b", None)];
    let g = build(
        View::Full,
        EventFilter::default(),
        &[record(
            "d",
            None,
            vec![
                event("meeting", "talks", "occurred", ab()),
                event("meeting", "talks", "planned", ab()),
                event("meeting", "talks", "negated", ab()),
                event("agreement", "signed", "occurred", ab()),
            ],
        )],
    );
    let dot = dot_of(&g, Labels::English);
    let lines: Vec<&str> = dot.lines().filter(|l| l.contains("->")).collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].contains("style=\"solid\""));
    assert!(lines[1].contains("style=\"dashed\""));
    assert!(lines[2].contains("style=\"dotted\""));
    assert!(lines[3].contains("style=\"solid,bold\""));
    assert!(lines[3].contains("label=\"agreement\""));

    let many: Vec<EventRecord> = (0..20)
        .map(|_| event("meeting", "talks", "occurred", ab()))
        .collect();
    let g = build(
        View::Aggregate,
        EventFilter::default(),
        &[record("d", None, many)],
    );
    let dot = dot_of(&g, Labels::English);
    let edge_line = dot.lines().find(|l| l.contains("->")).expect("edge");
    let pen: f64 = edge_line
        .split("penwidth=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .expect("penwidth");
    assert!(pen > 4.0, "{dot}");
    assert!(dot.contains("label=\"20 × talks\""));
    assert_dot_renders(&dot);
}

#[test]
fn record_sink_reads_records_and_counts_error_records_and_bad_lines() {
    let rs = filter_records();
    let mut text = String::new();
    for r in &rs {
        text.push_str(&serde_json::to_string(r).expect("json"));
        text.push('\n');
    }
    text.push_str(
        "{\"id\":\"x\",\"line\":7,\"source\":\"in.jsonl\",\"error\":\"invalid JSON\"}\n\n",
    );
    text.push_str("{\"not\": \"a record\"}\n");
    text.push_str(&serde_json::to_string(&rs[0]).expect("json")); // no final newline
    let mut b = GraphBuilder::new(View::Aggregate);
    let mut reports = Vec::new();
    let counts = {
        let mut sink = RecordSink::new(&mut b, |m| reports.push(m.to_string()));
        // Written in small pieces, as a stream would be.
        for piece in text.as_bytes().chunks(7) {
            sink.write_all(piece).expect("write");
        }
        sink.finish()
    };
    assert_eq!(
        (counts.records, counts.error_records, counts.bad_lines),
        (4, 1, 1)
    );
    assert_eq!(reports.len(), 2);
    assert!(
        reports[0].contains("in.jsonl:7:") && reports[0].contains("invalid JSON"),
        "{reports:?}"
    );
    assert!(reports[1].contains("line 6"), "{reports:?}");
    assert_eq!(b.stats().documents, 4);
}

// ------------------------------------------------------------------ the command line

fn majlis(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("majlis runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin");
    let out = child.wait_with_output().expect("majlis ends");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_graph_of_the_seed_text_renders() {
    for view in ["full", "aggregate", "country"] {
        for labels in ["en", "ar"] {
            let (code, dot, err) = majlis(
                &[
                    "graph",
                    "--date",
                    "2016-07-23",
                    "--view",
                    view,
                    "--labels",
                    labels,
                    "tests/data/kerry-lavrov-asean-2016.ar.txt",
                ],
                "",
            );
            assert_eq!(code, 0, "{err}");
            assert!(dot.starts_with("digraph"));
            assert_dot_renders(&dot);
        }
    }
}

#[test]
fn cli_graph_of_jsonl_documents_reports_bad_lines() {
    let input = concat!(
        r#"{"id": "a", "date": "2016-07-23", "text": "John Kerry and Sergey Lavrov met in Geneva."}"#,
        "\n",
        "not json\n",
        r#"{"id": "b", "date": "2016-07-24", "text": "John Kerry met Sergey Lavrov in Vienna."}"#,
        "\n"
    );
    let (code, out, err) = majlis(
        &["graph", "--jsonl", "--format", "json", "--view", "full"],
        input,
    );
    assert_eq!(code, 1, "a bad line makes the run fail: {err}");
    assert!(
        err.contains("stdin:2:") && err.contains("invalid JSON"),
        "{err}"
    );
    assert!(err.contains("1 failed"), "{err}");
    let data: NodeLink = serde_json::from_str(&out).expect("node-link JSON");
    assert_eq!(data.graph.documents, 2);
    assert!(data.links.len() >= 2);
}

#[test]
fn cli_graph_of_saved_records_skips_error_records() {
    let mut input = String::new();
    for r in filter_records() {
        input.push_str(&serde_json::to_string(&r).expect("json"));
        input.push('\n');
    }
    input.push_str(
        "{\"id\":null,\"line\":3,\"source\":\"docs.jsonl\",\"error\":\"no `text` field\"}\n",
    );
    let (code, out, err) = majlis(
        &[
            "graph",
            "--records",
            "--format",
            "graphml",
            "--view",
            "country",
            "--min-count",
            "2",
        ],
        &input,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("docs.jsonl:3:") && err.contains("1 error records skipped"),
        "{err}"
    );
    let nodes = check_graphml(&out);
    let mut ids: Vec<&str> = nodes.keys().map(String::as_str).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec!["AAA", "BBB"]);

    let (code, _, err) = majlis(&["graph", "--records", "--around", "nobody"], &input);
    assert_eq!(code, 1);
    assert!(err.contains("`nobody` is not a node"), "{err}");
}
