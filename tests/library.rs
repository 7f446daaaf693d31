//! The claim library through the real binary: every import format, re-import semantics, every failure (a bad row or
//! file names the file, line and problem and changes nothing; a damaged library is named, never replaced), the
//! hostile-input corpus, `list`, `remove`, `export`, and `match` (output shapes, ids as given, own-document entries
//! left out, `--text`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::review::{ReviewFile, Status, file};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/library");
const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bad");

fn data(name: &str) -> PathBuf {
    Path::new(DATA).join(name)
}

/// Run the binary with `args` against the library in `lib` (through `--library` for library commands).
fn claimdesk(lib: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimdesk"));
    cmd.args(args).env("CLAIMDESK_LIBRARY", lib).env_remove("CLAIMDESK_DATA_DIR").stdin(Stdio::null());
    cmd.output().expect("the binary runs")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A failure as every bad input must fail: exit 1, one line on stderr, no panic.
fn fails(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1, got {:?}: {err}", out.status.code());
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn import(lib: &Path, files: &[&Path]) -> Output {
    let mut args = vec!["library", "import"];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    claimdesk(lib, &args)
}

fn entries(lib: &Path) -> Vec<Value> {
    let out = ok(&claimdesk(lib, &["library", "list", "--format", "json"]));
    match serde_json::from_str(&out).unwrap() {
        Value::Array(v) => v,
        other => panic!("not an array: {other}"),
    }
}

fn by_id<'a>(entries: &'a [Value], id: &str) -> &'a Value {
    entries.iter().find(|e| e["id"] == id).unwrap_or_else(|| panic!("no entry {id} in {entries:#?}"))
}

#[test]
fn every_claimreview_shape_imports() {
    for (name, count) in [
        ("claimreview-single.json", 1),
        ("claimreview-array.json", 2),
        ("claimreview-graph.json", 2),
        ("claimreview.jsonl", 3),
        ("claimreview-datafeed.json", 2),
    ] {
        let lib = tempfile::tempdir().unwrap();
        let out = ok(&import(lib.path(), &[&data(name)]));
        assert!(out.contains(&format!("{count} added, 0 updated, 0 removed, 0 unchanged")), "{name}: {out}");
        let all = entries(lib.path());
        assert_eq!(all.len(), count, "{name}");
        assert!(all.iter().all(|e| e["source"]["format"] == "claimreview"), "{name}");
    }
    let lib = tempfile::tempdir().unwrap();
    ok(&import(lib.path(), &[&data("claimreview-single.json")]));
    let e = &entries(lib.path())[0];
    assert_eq!(e["id"], "https://checks.example/2024/moon-cheese#review");
    assert_eq!(e["claim"], "The moon is made of green cheese.");
    assert_eq!(e["verdict"], "False");
    assert_eq!(e["author"], "Checks Example");
    assert_eq!(e["claimant"], "A. Cheesemonger");
    assert_eq!(e["date"], "2024-03-01");
    assert_eq!(e["language"], "en");
    assert_eq!(e["title"], "No, the moon is not made of cheese");
    // The organisation in the graph is not a fact-check: skipped, and counted.
    let lib = tempfile::tempdir().unwrap();
    let out = ok(&import(lib.path(), &[&data("claimreview-graph.json")]));
    assert!(out.contains("1 skipped"), "{out}");
    // A DataFeed's rating explanation is kept as the note.
    let lib = tempfile::tempdir().unwrap();
    ok(&import(lib.path(), &[&data("claimreview-datafeed.json")]));
    let all = entries(lib.path());
    let carrots = by_id(&all, "https://feed.example/check/100");
    assert_eq!(carrots["note"], "A myth from WWII propaganda.");
    assert_eq!(carrots["verdict"], "Mostly false");
}

#[test]
fn fact_check_tools_json_imports_each_review() {
    let lib = tempfile::tempdir().unwrap();
    let out = ok(&import(lib.path(), &[&data("factcheck-api.json")]));
    assert!(out.contains("3 added") && out.contains("1 skipped"), "{out}");
    let all = entries(lib.path());
    let afp = by_id(&all, "https://factcheck.afp.example/5g-virus");
    assert_eq!(afp["verdict"], "False");
    assert_eq!(afp["author"], "AFP Fact Check");
    assert_eq!(afp["claimant"], "Social media posts");
    assert_eq!(afp["title"], "No, 5G does not spread the coronavirus");
    assert_eq!(by_id(&all, "https://other.example/5g")["author"], "other.example");
}

#[test]
fn csv_and_tsv_with_quoted_line_breaks_and_an_unnamed_id_column() {
    let lib = tempfile::tempdir().unwrap();
    ok(&import(lib.path(), &[&data("feed.csv"), &data("feed.tsv")]));
    let all = entries(lib.path());
    assert_eq!(all.len(), 6);
    let csv: Vec<&Value> = all.iter().filter(|e| e["source"]["name"] == "feed.csv").collect();
    let two = csv.iter().find(|e| e["id"] == "2").unwrap();
    assert_eq!(two["claim"], "A claim\r\nthat spans two lines, with \"quotes\".");
    assert_eq!(two["author"], "CSV Checks");
    assert_eq!(csv.iter().find(|e| e["id"] == "1").unwrap()["claim"], "The city budget grew by 12%, the mayor said.");
    let tsv: Vec<&Value> = all.iter().filter(|e| e["source"]["name"] == "feed.tsv").collect();
    assert_eq!(
        tsv.iter().find(|e| e["id"] == "0").unwrap()["claim"],
        "A \"quoted\" claim that goes\nover a line break."
    );
    // Ids are kept as written: `007` is not `7`; both sources have an entry `1`.
    assert!(tsv.iter().any(|e| e["id"] == "007"));
    assert!(tsv.iter().any(|e| e["id"] == "1") && csv.iter().any(|e| e["id"] == "1"));
}

/// A review of a small document, with `reviewer`'s verdicts on its first claims.
fn review(text: &str, reviewer: &str, statuses: &[Status]) -> ReviewFile {
    let doc = Document::from_text("Budget story", text);
    let ex = Extractor::default();
    let mut file = ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text));
    for (claim, status) in file.claims.iter_mut().zip(statuses) {
        claim.review.status = *status;
        claim.review.reviewer = Some(reviewer.to_owned());
        claim.review.note = format!("{reviewer}'s note");
        claim.review.changed = Some("2024-05-01T10:00:00Z".to_owned());
    }
    file
}

const ARTICLE: &str = "Unemployment fell to 3.5% in 2023, the ministry said. The city budget grew by 12% last year. \
                       Exports to China doubled since 2019, according to customs data.";

#[test]
fn review_files_keep_every_reviewers_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let alice = dir.path().join("alice.json");
    let bob = dir.path().join("bob.json");
    file::save(&review(ARTICLE, "alice", &[Status::Verified, Status::Disputed]), &alice).unwrap();
    file::save(&review(ARTICLE, "bob", &[Status::Disputed]), &bob).unwrap();
    ok(&import(&lib, &[&alice, &bob]));
    let all = entries(&lib);
    assert_eq!(all.len(), 3, "{all:#?}");
    let first = review(ARTICLE, "x", &[]).claims[0].id.to_string();
    let on_first: Vec<&Value> = all.iter().filter(|e| e["id"] == first.as_str()).collect();
    assert_eq!(on_first.len(), 2, "both reviewers' verdicts on the first claim are kept");
    let alices = on_first.iter().find(|e| e["source"]["reviewer"] == "alice").unwrap();
    assert_eq!(alices["verdict"], "verified");
    assert_eq!(alices["note"], "alice's note");
    assert_eq!(alices["source"]["kind"], "review");
    assert_eq!(alices["source"]["document_title"], "Budget story");
    // Alice sets her second claim back to unreviewed: importing her file again removes that entry, keeps Bob's.
    let mut again = review(ARTICLE, "alice", &[Status::Verified]);
    again.claims[1].review.reviewer = Some("alice".to_owned());
    file::save(&again, &alice).unwrap();
    let out = ok(&import(&lib, &[&alice]));
    assert!(out.contains("0 added, 0 updated, 1 removed, 1 unchanged"), "{out}");
    assert_eq!(entries(&lib).len(), 2);
}

#[test]
fn importing_a_source_again_updates_adds_and_removes_never_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let feed = dir.path().join("feed.csv");
    std::fs::write(&feed, "id,claim,verdict\n1,One.,True\n2,Two.,False\n3,Three.,True\n").unwrap();
    let out = ok(&import(&lib, &[&feed]));
    assert!(out.contains("3 added, 0 updated, 0 removed, 0 unchanged"), "{out}");
    let again = ok(&import(&lib, &[&feed]));
    assert!(again.contains("0 added, 0 updated, 0 removed, 3 unchanged"), "{again}");
    std::fs::write(&feed, "id,claim,verdict\n1,One.,True\n2,Two.,Mostly false\n4,Four.,True\n").unwrap();
    let out = ok(&import(&lib, &[&feed]));
    assert!(out.contains("1 added, 1 updated, 1 removed, 1 unchanged"), "{out}");
    let all = entries(&lib);
    let ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "4"]);
    assert_eq!(by_id(&all, "2")["verdict"], "Mostly false");
    // The same file under --source is another source; under the same --source name from elsewhere, the same one.
    let copy = dir.path().join("copy.csv");
    std::fs::copy(&feed, &copy).unwrap();
    ok(&claimdesk(&lib, &["library", "import", "--source", "daily", feed.to_str().unwrap()]));
    let out = ok(&claimdesk(&lib, &["library", "import", "--source", "daily", copy.to_str().unwrap()]));
    assert!(out.contains("0 added, 0 updated, 0 removed, 3 unchanged"), "{out}");
    assert_eq!(entries(&lib).len(), 6);
}

/// The library's entries as text, to compare before and after a failure.
fn snapshot(lib: &Path) -> String {
    ok(&claimdesk(lib, &["library", "list", "--format", "json"]))
}

#[test]
fn a_bad_row_or_file_names_file_line_and_problem_and_changes_nothing() {
    let lib = tempfile::tempdir().unwrap();
    ok(&import(lib.path(), &[&data("feed.csv")]));
    let before = snapshot(lib.path());
    let cases: [(&str, &str); 6] = [
        ("bad-row.csv", "bad-row.csv: line 4: has 4 field(s) but the header has 3"),
        (
            "no-claim-column.csv",
            "no-claim-column.csv: line 1: the header names no claim column (found: `id`, `verdict`",
        ),
        ("duplicate-id.tsv", "duplicate-id.tsv: line 4: id `1` is also at line 2, with other content"),
        ("claimreview-no-claim.json", "claimreview-no-claim.json: [1]: claimReviewed: missing or empty"),
        ("truncated.json", "truncated.json: line 1: not valid JSON: EOF while parsing a string"),
        ("bad-line.jsonl", "bad-line.jsonl: line 2: not valid JSON: key must be a string"),
    ];
    for (name, expected) in cases {
        // With a good file first: the whole import is one transaction, so the good file's entries do not land.
        let err = fails(&import(lib.path(), &[&data("feed.tsv"), &data(name)]));
        assert!(err.contains(expected), "{name}: {err}");
        assert_eq!(snapshot(lib.path()), before, "{name} changed the library");
    }
}

#[test]
fn hostile_inputs_are_refused_with_one_line_and_change_nothing() {
    let lib = tempfile::tempdir().unwrap();
    ok(&import(lib.path(), &[&data("feed.csv")]));
    let before = snapshot(lib.path());
    let scratch = tempfile::tempdir().unwrap();
    let pipe = scratch.path().join("pipe.csv");
    let made = Command::new("mkfifo").arg(&pipe).status().map(|s| s.success()).unwrap_or(false);
    let mut inputs: Vec<(PathBuf, String)> = vec![
        (scratch.path().join("missing.csv"), "no such file".to_owned()),
        (scratch.path().to_path_buf(), "is a folder, not a file".to_owned()),
        (PathBuf::from("/dev/zero"), "is not a regular file".to_owned()),
    ];
    if made {
        inputs.push((pipe, "is not a regular file".to_owned()));
    }
    for entry in std::fs::read_dir(BAD).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "utf16-bom.txt" {
            continue; // good text, but no header naming a claim: checked below
        }
        inputs.push((path, name));
    }
    for (path, expected) in &inputs {
        let err = fails(&import(lib.path(), &[path]));
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains(expected.as_str()) || path.starts_with(BAD), "{}: {err}", path.display());
        assert_eq!(snapshot(lib.path()), before, "{} changed the library", path.display());
    }
    // Decoded like every document (UTF-16 with a BOM), then refused for what it is: a table with no claim column.
    let err = fails(&import(lib.path(), &[&Path::new(BAD).join("utf16-bom.txt")]));
    assert!(err.contains("the header names no claim column"), "{err}");
    // Through match too.
    let err = fails(&claimdesk(lib.path(), &["match", &Path::new(BAD).join("binary.txt").display().to_string()]));
    assert!(err.contains("looks like a binary file"), "{err}");
    let err =
        fails(&claimdesk(lib.path(), &["match", &Path::new(BAD).join("truncated-review.json").display().to_string()]));
    assert!(err.contains("truncated-review.json"), "{err}");
}

#[test]
fn a_damaged_or_foreign_library_file_is_named_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    let db = lib.join("library.sqlite");
    std::fs::write(&db, b"this is not a database, and it is someone's file\n".repeat(100)).unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [&["library", "stats"][..], &["library", "list"], &["match", "--text", "moon cheese"]] {
        let err = fails(&claimdesk(&lib, args));
        assert!(err.contains(&db.display().to_string()) && err.contains("not a ClaimDesk library"), "{err}");
    }
    let err = fails(&import(&lib, &[&data("feed.csv")]));
    assert!(err.contains("not a ClaimDesk library"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file was changed");

    // A real library with its pages overwritten in the middle: damaged, named, left as it is.
    let lib2 = dir.path().join("lib2");
    let big = dir.path().join("big.tsv");
    let mut rows = String::from("id\tclaim\ttitle\n");
    for i in 0..3000 {
        rows.push_str(&format!("{i}\tClaim number {i} about budgets, unemployment and {} trees.\tTitle {i}\n", i * 7));
    }
    std::fs::write(&big, rows).unwrap();
    // Without embedding: this is about the file, and the debug build's model would take minutes over 3,000 rows.
    ok(&claimdesk(&lib2, &["library", "import", "--no-embedding", big.to_str().unwrap()]));
    let db2 = lib2.join("library.sqlite");
    let mut bytes = std::fs::read(&db2).unwrap();
    assert!(bytes.len() > 64 * 1024, "{}", bytes.len());
    let end = bytes.len() - 4096;
    for b in &mut bytes[8192..end] {
        *b = 0xA5;
    }
    std::fs::write(&db2, &bytes).unwrap();
    let err = fails(&claimdesk(&lib2, &["library", "list"]));
    assert!(err.contains(&db2.display().to_string()), "{err}");
    assert!(err.contains("damaged") || err.contains("not a ClaimDesk library"), "{err}");
    let _ = claimdesk(&lib2, &["library", "import", big.to_str().unwrap()]);
    assert_eq!(std::fs::read(&db2).unwrap(), bytes, "a damaged library was changed");

    // Another program's SQLite database.
    let lib3 = dir.path().join("lib3");
    std::fs::create_dir(&lib3).unwrap();
    let conn = rusqlite::Connection::open(lib3.join("library.sqlite")).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');").unwrap();
    drop(conn);
    let err = fails(&claimdesk(&lib3, &["library", "stats"]));
    assert!(err.contains("not a ClaimDesk library (an SQLite database with other tables)"), "{err}");
    // --library naming a file, not a folder.
    let err = fails(&claimdesk(dir.path(), &["library", "stats", "--library", big.to_str().unwrap()]));
    assert!(err.contains("is not a folder"), "{err}");
}

#[test]
fn list_remove_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    ok(&import(&lib, &[&data("feed.csv"), &data("feed.tsv")]));
    let tsv = ok(&claimdesk(&lib, &["library", "list"]));
    assert_eq!(tsv.lines().next(), Some("source\tid\tverdict\tdate\tauthor\tclaim"));
    assert_eq!(tsv.lines().count(), 7);
    // `1` is in both sources: ambiguous without --source, and nothing is removed.
    let err = fails(&claimdesk(&lib, &["library", "remove", "1"]));
    assert!(err.contains("id `1` is in 2 sources (`feed.csv`, `feed.tsv`)"), "{err}");
    let err = fails(&claimdesk(&lib, &["library", "remove", "007", "nope"]));
    assert!(err.contains("no entry with id `nope`"), "{err}");
    assert_eq!(entries(&lib).len(), 6);
    let out = ok(&claimdesk(&lib, &["library", "remove", "--source", "feed.tsv", "1", "007"]));
    assert!(out.contains("removed 2 entries"), "{out}");
    assert_eq!(entries(&lib).len(), 4);

    // Export: ClaimReview without notes unless asked, CSV with everything; both read back.
    let reviews = dir.path().join("alice.json");
    file::save(&review(ARTICLE, "alice", &[Status::Disputed]), &reviews).unwrap();
    ok(&import(&lib, &[&reviews]));
    let jsonld = dir.path().join("out.jsonld");
    ok(&claimdesk(&lib, &["library", "export", "--format", "claimreview", "-o", jsonld.to_str().unwrap()]));
    let text = std::fs::read_to_string(&jsonld).unwrap();
    assert!(!text.contains("alice's note"), "a note leaked into the export");
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["@graph"].as_array().unwrap().len(), 5);
    ok(&claimdesk(
        &lib,
        &["library", "export", "--format", "claimreview", "--include-notes", "-o", jsonld.to_str().unwrap()],
    ));
    assert!(std::fs::read_to_string(&jsonld).unwrap().contains("alice's note"));
    let csv = dir.path().join("out.csv");
    ok(&claimdesk(&lib, &["library", "export", "--format", "csv", "-o", csv.to_str().unwrap()]));
    // Both exports import into a fresh library with the same claims, verdicts and ids.
    let fresh = dir.path().join("fresh");
    ok(&import(&fresh, &[&jsonld]));
    let original = entries(&lib);
    let back = entries(&fresh);
    assert_eq!(back.len(), original.len());
    for e in &original {
        let twin =
            back.iter().find(|b| b["id"] == e["id"] && b["claim"] == e["claim"]).unwrap_or_else(|| panic!("{e}"));
        assert_eq!(twin["verdict"], e["verdict"]);
    }
    let fresh_csv = dir.path().join("fresh-csv");
    // The CSV holds two sources' ids, so the same id may repeat: imported under one source it must not be lost.
    let out = import(&fresh_csv, &[&csv]);
    if out.status.success() {
        assert_eq!(entries(&fresh_csv).len(), original.len());
    } else {
        assert!(fails(&out).contains("is also at line"));
    }
}

#[test]
fn stats_counts_entries_sources_and_verdicts() {
    let lib = tempfile::tempdir().unwrap();
    ok(&import(lib.path(), &[&data("feed.csv"), &data("factcheck-api.json")]));
    let out = ok(&claimdesk(lib.path(), &["library", "stats"]));
    assert!(out.contains("entries: 6 from 2 source(s)"), "{out}");
    assert!(out.contains("\tfeed.csv") && out.contains("\tfactcheck-api.json"), "{out}");
    assert!(out.contains("2\tfalse"), "{out}");
}

#[test]
fn the_library_folder_comes_from_the_flag_else_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let env_lib = dir.path().join("from-env");
    let flag_lib = dir.path().join("from-flag");
    ok(&import(&env_lib, &[&data("feed.csv")]));
    ok(&claimdesk(
        &env_lib,
        &["library", "import", "--library", flag_lib.to_str().unwrap(), data("feed.tsv").to_str().unwrap()],
    ));
    assert_eq!(entries(&env_lib).len(), 3);
    assert_eq!(entries(&flag_lib).len(), 3);
    // Without either, the data folder's `library`.
    let data_dir = dir.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["library", "import", data("feed.csv").to_str().unwrap()])
        .env_remove("CLAIMDESK_LIBRARY")
        .env("CLAIMDESK_DATA_DIR", &data_dir)
        .output()
        .unwrap();
    ok(&out);
    assert!(data_dir.join("library").join("library.sqlite").is_file());
}

#[test]
fn match_prints_ranked_tsv_and_nested_json() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    ok(&import(&lib, &[&data("feed.tsv"), &data("claimreview-single.json"), &data("claimreview-datafeed.json")]));
    let out = ok(&claimdesk(&lib, &["match", "--text", "Is the moon really made of cheese?", "--top", "2"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "query_id\trank\tid\tsource\tscore\tverdict\tdate\tclaim");
    let first: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(first[0], "text");
    assert_eq!(first[1], "1");
    assert_eq!(first[2], "https://checks.example/2024/moon-cheese#review");
    assert_eq!(first[3], "claimreview-single.json");
    assert_eq!(first[5], "False");
    assert_eq!(first[6], "2024-03-01");
    assert_eq!(first[7], "The moon is made of green cheese.");
    // The matcher's calibrated score, in 0..1 (BM25's is unbounded).
    let score: f32 = first[4].parse().unwrap();
    assert!((0.0..=1.0).contains(&score), "{score}");
    assert!(lines.len() <= 3);
    // A table of queries: one per row, ids as given; ids of entries as the source wrote them (007).
    let queries = dir.path().join("queries.tsv");
    std::fs::write(
        &queries,
        "id\ttext\nq1\tDoes the Eiffel Tower grow taller in summer heat?\nq-2\tIds kept as written\n",
    )
    .unwrap();
    let out = ok(&claimdesk(&lib, &["match", queries.to_str().unwrap(), "--top", "1"]));
    let rows: Vec<Vec<&str>> = out.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!((rows[0][0], rows[0][1], rows[0][2]), ("q1", "1", "1"));
    assert_eq!((rows[1][0], rows[1][2]), ("q-2", "007"));
    // JSON: the same, nested per query.
    let out = ok(&claimdesk(&lib, &["match", queries.to_str().unwrap(), "--format", "json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["query_id"], "q1");
    assert_eq!(v[0]["matches"][0]["rank"], 1);
    assert_eq!(v[0]["matches"][0]["id"], "1");
    assert_eq!(v[0]["matches"][0]["source"], "feed.tsv");
    assert!(v[0]["matches"].as_array().unwrap().len() <= 5);
    // Usage errors exit 2.
    assert_eq!(claimdesk(&lib, &["match"]).status.code(), Some(2));
    assert_eq!(claimdesk(&lib, &["match", "--text", "x", queries.to_str().unwrap()]).status.code(), Some(2));
    // A table without id and text columns names the file and line.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "claim\nx\n").unwrap();
    let err = fails(&claimdesk(&lib, &["match", bad.to_str().unwrap()]));
    assert!(err.contains("bad.csv: line 1: the header must name an `id` and a `text` column"), "{err}");
}

#[test]
fn match_never_returns_entries_of_the_querys_own_document() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let own = dir.path().join("own.json");
    let mut file = review(ARTICLE, "alice", &[Status::Verified, Status::Disputed, Status::Verified]);
    file.extractor.threshold = 0.0;
    file::save(&file, &own).unwrap();
    // Another document with the same first sentence, reviewed too.
    let other = dir.path().join("other.json");
    file::save(
        &review(
            "Unemployment fell to 3.5% in 2023, the ministry said. Something else entirely happened.",
            "bob",
            &[Status::Disputed],
        ),
        &other,
    )
    .unwrap();
    ok(&import(&lib, &[&own, &other]));
    let out = ok(&claimdesk(&lib, &["match", own.to_str().unwrap(), "--format", "json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    let queries = v.as_array().unwrap();
    assert_eq!(queries.len(), 3, "{out}");
    for q in queries {
        for m in q["matches"].as_array().unwrap() {
            assert_eq!(m["source"], "Budget story (bob)", "an entry of the query's own document was matched: {m}");
        }
    }
    assert_eq!(queries[0]["matches"][0]["verdict"], "disputed");
    // A document is extracted first, and its fingerprint is the same: its own entries are left out too.
    let doc = dir.path().join("article.txt");
    std::fs::write(&doc, ARTICLE).unwrap();
    let out = ok(&claimdesk(&lib, &["match", doc.to_str().unwrap()]));
    assert!(!out.contains("(alice)"), "{out}");
}

#[test]
fn formats_are_detected_by_content_not_by_name_and_near_misses_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // A CSV named .json and ClaimReview JSON named .csv are read for what they are.
    let csv = write("really-a-table.json", "claim,verdict\nThe river flooded twice.,True\n");
    let json = write(
        "really-json.csv",
        r#"{"@type":"ClaimReview","claimReviewed":"Snow fell in July.","url":"https://x.example/s"}"#,
    );
    ok(&import(&lib, &[&csv, &json]));
    let all = entries(&lib);
    assert_eq!(all.iter().find(|e| e["source"]["name"] == "really-a-table.json").unwrap()["source"]["format"], "csv");
    assert_eq!(
        all.iter().find(|e| e["source"]["name"] == "really-json.csv").unwrap()["source"]["format"],
        "claimreview"
    );
    // A header with both `claim` and `text`: `claim` is the claim.
    let both = write("both.csv", "text,claim\nnot this,This one.\n");
    ok(&import(&lib, &[&both]));
    assert!(entries(&lib).iter().any(|e| e["claim"] == "This one."));
    // Near misses of each format are refused with what was expected.
    for (name, text, expected) in [
        ("claim-only.json", r#"{"@type":"Claim","name":"Not a review"}"#, "no ClaimReview found"),
        ("claims-not-array.json", r#"{"claims":{"text":"x"}}"#, "no ClaimReview found"),
        (
            "number-claim.json",
            r#"{"@type":"ClaimReview","claimReviewed":{"text":"x"}}"#,
            "the ClaimReview: claimReviewed: expected the claim's text, found an object",
        ),
        ("review-typo.json", r#"{"format":"claimdesk-review","version":2,"stauts":1}"#, "review-typo.json"),
        ("array-of-numbers.json", "[1, 2]", "[0]: expected a JSON object, found a number"),
        ("semicolons.csv", "id;claim\n1;x\n", "the header names no claim column (found: `id;claim`"),
        ("header-only.tsv", "id\tclaim\n", "the TSV has a header but no rows"),
        (
            "google-no-text.json",
            r#"{"claims":[{"claimReview":[{"textualRating":"False"}]}]}"#,
            "claims[0].text: missing or empty",
        ),
    ] {
        let p = write(name, text);
        let err = fails(&import(&lib, &[&p]));
        assert!(err.contains(expected) && err.contains(name), "{name}: {err}");
    }
}

#[test]
fn an_unreadable_library_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    ok(&import(&lib, &[&data("feed.csv")]));
    let db = lib.join("library.sqlite");
    for p in [dir.path(), lib.as_path()] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o000)).unwrap();
    let before = std::fs::read(&db).unwrap();
    // Root reads through mode 000: the reader gives up root first (uid 65534, `nobody`), as tests/hostile_inputs.rs does.
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() == 0 };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimdesk"));
    cmd.args(["library", "stats", "--library"]).arg(&lib).stdin(Stdio::null());
    if root {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    let err = fails(&out);
    assert!(err.contains(&db.display().to_string()) && err.contains("cannot read the library"), "{err}");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// `extract --matches`: over a folder, the review records go to `-o` (each still a valid review file) and every claim
/// of every document goes to the matches file with its best earlier fact-checks; a claim reviewed before (reworded)
/// finds that verdict, and a document's own entries are never its matches. Bad combinations are usage errors.
#[test]
fn batch_extraction_writes_each_claims_earlier_fact_checks() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let earlier = dir.path().join("earlier.json");
    file::save(&review(ARTICLE, "alice", &[Status::Disputed, Status::Verified, Status::Verified]), &earlier).unwrap();
    ok(&import(&lib, &[&earlier]));

    let today = dir.path().join("today");
    std::fs::create_dir(&today).unwrap();
    std::fs::write(
        today.join("a.txt"),
        "The ministry said unemployment fell to 3.5% in 2023. Shipyards hired 900 welders in Glasgow last spring.",
    )
    .unwrap();
    std::fs::write(today.join("b.md"), ARTICLE).unwrap();
    let records = dir.path().join("records.jsonl");
    let matches = dir.path().join("matches.jsonl");
    let (r, m) = (records.to_str().unwrap(), matches.to_str().unwrap());
    ok(&claimdesk(&lib, &["extract", today.to_str().unwrap(), "-o", r, "--matches", m]));

    let records: Vec<ReviewFile> = std::fs::read_to_string(&records)
        .unwrap()
        .lines()
        .map(|l| file::from_slice(l.as_bytes(), Path::new("record")).expect("a valid review file"))
        .collect();
    assert_eq!(records.len(), 2);
    let lines: Vec<Value> =
        std::fs::read_to_string(&matches).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let claims: usize = records.iter().map(|f| f.claims_at_threshold().count()).sum();
    assert_eq!(lines.len(), claims, "one line per claim");
    for (line, key) in lines.iter().zip(["document", "title", "fingerprint", "claim", "text", "matches"]) {
        assert!(line.get(key).is_some(), "{key} missing from {line}");
    }
    // Every line has every field, in README's order.
    let raw = std::fs::read_to_string(&matches).unwrap();
    for line in raw.lines() {
        let at: Vec<usize> =
            ["\"document\":", "\"title\":", "\"fingerprint\":", "\"claim\":", "\"text\":", "\"matches\":"]
                .iter()
                .map(|k| line.find(k).unwrap_or_else(|| panic!("{k} missing from {line}")))
                .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{line}");
    }
    let a = &lines[0];
    assert!(a["document"].as_str().unwrap().ends_with("a.txt"), "{a}");
    assert_eq!(a["claim"], records[0].claims_at_threshold().next().unwrap().id.as_str());
    assert_eq!(a["text"], "The ministry said unemployment fell to 3.5% in 2023.");
    let best = &a["matches"][0];
    assert_eq!(best["claim"], "Unemployment fell to 3.5% in 2023, the ministry said.", "{a}");
    assert_eq!(best["verdict"], "disputed");
    assert_eq!(best["source"], "Budget story (alice)");
    let score = best["score"].as_f64().unwrap();
    assert!(score >= 0.5, "a reworded claim is a strong match: {score}");
    assert!(a["matches"].as_array().unwrap().len() <= 3);
    // b.md is the earlier document itself: its own verdicts are not its matches.
    for line in lines.iter().filter(|l| l["document"].as_str().unwrap().ends_with("b.md")) {
        assert_eq!(line["matches"], serde_json::json!([]), "{line}");
    }

    // One document: a pretty review file, and the same matches.
    let one = dir.path().join("one.json");
    let one_matches = dir.path().join("one-matches.jsonl");
    let a_txt = today.join("a.txt");
    ok(&claimdesk(
        &lib,
        &["extract", a_txt.to_str().unwrap(), "-o", one.to_str().unwrap(), "--matches", one_matches.to_str().unwrap()],
    ));
    file::load(&one).expect("a review file");
    let first: Value =
        serde_json::from_str(std::fs::read_to_string(&one_matches).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(first["matches"][0]["claim"], best["claim"]);

    // Usage errors: the same file twice, tsv, --library without --matches.
    let same = claimdesk(&lib, &["extract", today.to_str().unwrap(), "-o", r, "--matches", r, "--force"]);
    assert_eq!(same.status.code(), Some(2), "{}", stderr(&same));
    assert!(stderr(&same).contains("--matches and -o name the same file"), "{}", stderr(&same));
    let tsv = claimdesk(&lib, &["extract", a_txt.to_str().unwrap(), "--format", "tsv", "--matches", m]);
    assert_eq!(tsv.status.code(), Some(2), "{}", stderr(&tsv));
    let lib_alone = claimdesk(&lib, &["extract", a_txt.to_str().unwrap(), "--library", "x"]);
    assert_eq!(lib_alone.status.code(), Some(2), "{}", stderr(&lib_alone));
}
