//! The shared library on a real PostgreSQL server (a throwaway cluster per test, `common/pg.rs`), through the built
//! binary with `--library postgres://...`: every library command, claim texts that are SQL, passwords never shown, a
//! newer schema refused, the same matches as the embedded library, many writers at once, roles.
//!
//! Without PostgreSQL installed each test prints SKIPPED; with `CLAIMDESK_REQUIRE_POSTGRES=1` (`.ci/run`) it fails.

#[path = "common/pg.rs"]
mod pg;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pg::{ADMIN_PASSWORD, Cluster};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/library");

fn data(name: &str) -> String {
    Path::new(DATA).join(name).display().to_string()
}

/// The binary with `args`, and no library, password or password file from the environment unless `env` sets them.
fn claimdesk_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimdesk"));
    cmd.args(args)
        .env_remove("CLAIMDESK_LIBRARY")
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", "/nonexistent/claimdesk-test-pgpass")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn claimdesk(args: &[&str]) -> Output {
    claimdesk_env(args, &[])
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A failure as the library's failures are: exit 1, one line, no panic.
fn fails(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "expected exit 1, got {:?}: {err}", out.status.code());
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn lib_args<'a>(url: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["library", "--library", url];
    all.extend_from_slice(args);
    all
}

fn entries(url: &str) -> Vec<Value> {
    let out = ok(&claimdesk(&lib_args(url, &["list", "--format", "json"])));
    match serde_json::from_str(&out).unwrap() {
        Value::Array(v) => v,
        other => panic!("not an array: {other}"),
    }
}

/// The records of a CSV text, less its header (fields may hold line breaks).
fn csv_rows(text: &str) -> usize {
    let mut quoted = false;
    let mut rows = 0;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => rows += 1,
            _ => {}
        }
    }
    rows - 1
}

/// A cluster with one database, `db`, and its superuser's URL; `None` when skipped.
fn server(test: &str, db: &str) -> Option<(Cluster, String)> {
    let cluster = Cluster::start(test)?;
    cluster.create_db(db);
    let url = cluster.admin_url(db);
    Some((cluster, url))
}

#[test]
fn every_library_command_works_on_the_server() {
    let Some((cluster, url)) = server("every_library_command_works_on_the_server", "news") else { return };
    let out = ok(&claimdesk(&lib_args(&url, &["import", &data("feed.csv"), &data("feed.tsv")])));
    assert!(out.contains("6 added, 0 updated, 0 removed, 0 unchanged"), "{out}");
    // The tables are ClaimDesk's, versioned.
    assert_eq!(cluster.psql("news", "SELECT version FROM claimdesk_schema"), "1");
    // Importing again changes nothing and writes nothing.
    let generation = cluster.psql("news", "SELECT generation FROM claimdesk_schema");
    let out = ok(&claimdesk(&lib_args(&url, &["import", &data("feed.csv"), &data("feed.tsv")])));
    assert!(out.contains("0 added, 0 updated, 0 removed, 6 unchanged"), "{out}");
    assert_eq!(cluster.psql("news", "SELECT generation FROM claimdesk_schema"), generation);

    let stats = ok(&claimdesk(&lib_args(&url, &["stats"])));
    assert!(stats.contains("entries: 6 from 2 source(s)"), "{stats}");
    assert!(stats.contains("\tfeed.csv") && stats.contains("\tfeed.tsv"), "{stats}");
    assert!(stats.contains(&format!("library: postgres://claimdesk_admin@127.0.0.1:{}/news", cluster.port)), "{stats}");

    let tsv = ok(&claimdesk(&lib_args(&url, &["list"])));
    assert_eq!(tsv.lines().next(), Some("source\tid\tverdict\tdate\tauthor\tclaim"));
    assert_eq!(tsv.lines().count(), 7);

    // match, by full-text search on the server, and by the matcher over the stored vectors.
    let out = ok(&claimdesk(&["match", "--library", &url, "--no-embedding", "--text", "Eiffel Tower grows in summer"]));
    assert!(out.lines().nth(1).is_some_and(|l| l.contains("Eiffel")), "{out}");
    let out = ok(&claimdesk(&["match", "--library", &url, "--text", "Does the Eiffel Tower grow in summer heat?"]));
    let first: Vec<&str> = out.lines().nth(1).expect("a match").split('\t').collect();
    assert!(first[7].contains("Eiffel"), "{out}");
    let score: f32 = first[4].parse().unwrap();
    assert!((0.0..=1.0).contains(&score), "{score}");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries WHERE vector IS NULL"), "0");

    // remove: ambiguous without --source, a missing id changes nothing, then by source.
    let err = fails(&claimdesk(&lib_args(&url, &["remove", "1"])));
    assert!(err.contains("id `1` is in 2 sources (`feed.csv`, `feed.tsv`)"), "{err}");
    let err = fails(&claimdesk(&lib_args(&url, &["remove", "007", "nope"])));
    assert!(err.contains("no entry with id `nope`"), "{err}");
    assert_eq!(entries(&url).len(), 6);
    let out = ok(&claimdesk(&lib_args(&url, &["remove", "--source", "feed.tsv", "1", "007"])));
    assert!(out.contains("removed 2 entries"), "{out}");
    assert_eq!(entries(&url).len(), 4);
    // Every change is in the history, with the role that made it.
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_history WHERE op = 'delete'"), "2");
    assert_eq!(cluster.psql("news", "SELECT DISTINCT by_role FROM claimdesk_history"), "claimdesk_admin");

    // export, and the export imports into an embedded library with the same claims.
    let dir = tempfile::tempdir().unwrap();
    let jsonld = dir.path().join("out.jsonld");
    ok(&claimdesk(&lib_args(&url, &["export", "--format", "claimreview", "-o", jsonld.to_str().unwrap()])));
    let csv = dir.path().join("out.csv");
    ok(&claimdesk(&lib_args(&url, &["export", "--format", "csv", "-o", csv.to_str().unwrap()])));
    let written = std::fs::read_to_string(&csv).unwrap();
    let rows = csv_rows(&written);
    assert_eq!(rows, 4, "{written}");
    let local = dir.path().join("local");
    ok(&claimdesk(&lib_args(local.to_str().unwrap(), &["import", "--no-embedding", jsonld.to_str().unwrap()])));
    let mut there: Vec<String> = entries(&url).iter().map(|e| e["claim"].to_string()).collect();
    let mut here: Vec<String> = entries(local.to_str().unwrap()).iter().map(|e| e["claim"].to_string()).collect();
    there.sort();
    here.sort();
    assert_eq!(there, here);

    // remove a whole source.
    let out = ok(&claimdesk(&lib_args(&url, &["remove", "--source", "feed.csv"])));
    assert!(out.contains("removed 3 entries"), "{out}");
    assert_eq!(entries(&url).len(), 1);
}

/// The same files in both stores give the same entries and the same matcher's matches.
#[test]
fn the_server_and_the_embedded_library_hold_and_match_the_same() {
    let Some((_cluster, url)) = server("the_server_and_the_embedded_library_hold_and_match_the_same", "news") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local");
    let local = local.to_str().unwrap();
    let files =
        [data("feed.tsv"), data("claimreview-single.json"), data("claimreview-datafeed.json"), data("feed.csv")];
    for lib in [url.as_str(), local] {
        let mut args = vec!["import", "--source", "feeds"];
        args.extend(files.iter().take(1).map(String::as_str));
        ok(&claimdesk(&lib_args(lib, &args)));
        let mut args = vec!["import"];
        args.extend(files.iter().skip(1).map(String::as_str));
        ok(&claimdesk(&lib_args(lib, &args)));
    }
    let strip = |v: Vec<Value>| -> Vec<Value> {
        v.into_iter()
            .map(|mut e| {
                e["source"]["key"] = Value::Null;
                e
            })
            .collect()
    };
    assert_eq!(strip(entries(&url)), strip(entries(local)));
    let queries = dir.path().join("q.tsv");
    std::fs::write(
        &queries,
        "id\ttext\nq1\tIs the moon really made of cheese?\nq2\tDoes the Eiffel Tower grow taller in summer?\n\
         q3\tUnemployment fell to a record low last year\n",
    )
    .unwrap();
    let q = queries.to_str().unwrap();
    let there = ok(&claimdesk(&["match", "--library", &url, q, "--top", "3"]));
    let here = ok(&claimdesk(&["match", "--library", local, q, "--top", "3"]));
    assert_eq!(there, here);
}

#[test]
fn claim_texts_that_are_sql_round_trip_and_harm_nothing() {
    let Some((cluster, url)) = server("claim_texts_that_are_sql_round_trip_and_harm_nothing", "news") else { return };
    let dir = tempfile::tempdir().unwrap();
    let hostile = [
        "'); DROP TABLE claimdesk_entries; --",
        "Robert'); DROP TABLE claimdesk_sources;-- said taxes rose 5%",
        "1' OR '1'='1",
        "$1 $2 \\x00 E'\\\\' ; SELECT pg_sleep(10); --",
        "a & b | !c <-> d:* (tsquery operators)",
    ];
    let mut csv = String::from("id,claim,verdict\n");
    for (i, claim) in hostile.iter().enumerate() {
        csv.push_str(&format!(
            "'{i}; DELETE FROM claimdesk_entries;--,\"{}\",\"False'); --\"\n",
            claim.replace('"', "\"\"")
        ));
    }
    let feed = dir.path().join("x'; DROP TABLE claimdesk_schema; --.csv");
    std::fs::write(&feed, csv).unwrap();
    ok(&claimdesk(&lib_args(&url, &["import", "--no-embedding", feed.to_str().unwrap()])));
    let all = entries(&url);
    assert_eq!(all.len(), hostile.len());
    for (i, claim) in hostile.iter().enumerate() {
        let id = format!("'{i}; DELETE FROM claimdesk_entries;--");
        let e = all.iter().find(|e| e["id"] == id.as_str()).unwrap_or_else(|| panic!("no {id}"));
        assert_eq!(e["claim"], *claim);
        assert_eq!(e["verdict"], "False'); --");
    }
    for claim in hostile {
        ok(&claimdesk(&["match", "--library", &url, "--no-embedding", "--text", claim]));
    }
    let out = ok(&claimdesk(&lib_args(&url, &["remove", "'0; DELETE FROM claimdesk_entries;--"])));
    assert!(out.contains("removed 1 entry"), "{out}");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries"), (hostile.len() - 1).to_string());
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_schema"), "1");
}

#[test]
fn passwords_are_never_printed_stored_or_exported() {
    let Some((cluster, url)) = server("passwords_are_never_printed_stored_or_exported", "news") else { return };
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("out.csv");
    let export_ld = dir.path().join("out.jsonld");
    let mut outputs = vec![
        claimdesk(&lib_args(&url, &["import", &data("feed.csv")])),
        claimdesk(&lib_args(&url, &["stats"])),
        claimdesk(&lib_args(&url, &["list", "--format", "json"])),
        claimdesk(&lib_args(&url, &["export", "--format", "csv", "-o", export.to_str().unwrap()])),
        claimdesk(&lib_args(&url, &["export", "--format", "claimreview", "-o", export_ld.to_str().unwrap()])),
        claimdesk(&["match", "--library", &url, "--no-embedding", "--text", "Eiffel Tower"]),
        claimdesk(&lib_args(&url, &["remove", "no-such-id"])),
    ];
    // A wrong password, a database that is not there, a server that is not there: errors, none with the password.
    let wrong = cluster.url_with_password("claimdesk_admin", "Wr0ng-pw-91", "news");
    let err = fails(&claimdesk(&lib_args(&wrong, &["stats"])));
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(!err.contains("Wr0ng-pw-91"), "{err}");
    outputs.push(claimdesk(&lib_args(&cluster.admin_url("nodb"), &["stats"])));
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nowhere = format!("postgres://claimdesk_admin:{ADMIN_PASSWORD}@127.0.0.1:{free}/news");
    for args in [&["stats"][..], &["import", "--no-embedding", &data("feed.csv")], &["remove", "1"]] {
        let err = fails(&claimdesk(&lib_args(&nowhere, args)));
        assert!(err.contains("cannot reach the shared library's server"), "{args:?}: {err}");
    }
    outputs.push(claimdesk(&lib_args(&nowhere, &["stats"])));
    let in_query = format!("postgres://claimdesk_admin@127.0.0.1:{}/news?password={ADMIN_PASSWORD}", cluster.port);
    outputs.push(claimdesk(&lib_args(&in_query, &["stats"])));
    assert!(outputs.last().unwrap().status.success());
    for out in &outputs {
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.contains(ADMIN_PASSWORD), "the password was printed: {text}");
        }
    }
    for file in [&export, &export_ld] {
        assert!(!std::fs::read_to_string(file).unwrap().contains(ADMIN_PASSWORD));
    }
    // The database keeps no URL either.
    let dump = cluster.psql("news", "SELECT string_agg(coalesce(path, '') || key || name, ' ') FROM claimdesk_sources");
    assert!(!dump.contains(ADMIN_PASSWORD));

    // Without a password in the URL: PGPASSWORD, else the .pgpass file; neither: the server refuses.
    let bare = cluster.url("claimdesk_admin", "news");
    ok(&claimdesk_env(&lib_args(&bare, &["stats"]), &[("PGPASSWORD", ADMIN_PASSWORD)]));
    let pgpass = dir.path().join("pgpass");
    std::fs::write(&pgpass, format!("127.0.0.1:{}:news:claimdesk_admin:{ADMIN_PASSWORD}\n", cluster.port)).unwrap();
    ok(&claimdesk_env(&lib_args(&bare, &["stats"]), &[("PGPASSFILE", pgpass.to_str().unwrap())]));
    // Neither, and no terminal to ask on: one line saying where a password can come from.
    let err = fails(&claimdesk(&lib_args(&bare, &["stats"])));
    assert!(err.contains("asks for a password") && err.contains("PGPASSWORD"), "{err}");
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let Some((cluster, url)) = server("a_newer_schema_is_refused_and_left_alone", "news") else { return };
    ok(&claimdesk(&lib_args(&url, &["import", "--no-embedding", &data("feed.csv")])));
    cluster.psql("news", "UPDATE claimdesk_schema SET version = 7");
    let err = fails(&claimdesk(&lib_args(&url, &["import", "--no-embedding", &data("feed.tsv")])));
    assert!(err.contains("made by a newer ClaimDesk (schema 7; this one reads up to 1)"), "{err}");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries"), "3");
    // Another application's tables are not ClaimDesk's: they are left as they are.
    cluster.psql("news", "CREATE TABLE entries (id int)");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM entries"), "0");
}

/// TLS when the URL asks for it: refused by a server without it (never sent in clear), used by one with it.
#[test]
fn tls_when_the_url_asks_for_it() {
    let Some((cluster, _url)) = server("tls_when_the_url_asks_for_it", "news") else { return };
    let url = format!("{}?sslmode=require", cluster.admin_url("news"));
    let err = fails(&claimdesk(&lib_args(&url, &["stats"])));
    assert!(err.contains("TLS"), "{err}");
    assert!(!err.contains(ADMIN_PASSWORD), "{err}");
    cluster.enable_tls();
    ok(&claimdesk(&lib_args(&url, &["import", "--no-embedding", &data("feed.csv")])));
    let lib = claimdesk::library::Library::open_location(Path::new(&url)).unwrap();
    assert_eq!(lib.list().unwrap().len(), 3);
    let encrypted = cluster.psql(
        "postgres",
        "SELECT count(*) FILTER (WHERE s.ssl) || '/' || count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
         WHERE a.application_name = 'claimdesk'",
    );
    assert_eq!(encrypted, "1/1");
    drop(lib);
    // Without sslmode, TLS is used when the server offers it (libpq's `prefer`); sslmode=disable never does.
    let plain = format!("{}?sslmode=disable", cluster.admin_url("news"));
    let lib = claimdesk::library::Library::open_location(Path::new(&plain)).unwrap();
    assert_eq!(lib.list().unwrap().len(), 3);
    let encrypted = cluster.psql(
        "postgres",
        "SELECT count(*) FILTER (WHERE s.ssl) || '/' || count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
         WHERE a.application_name = 'claimdesk'",
    );
    assert_eq!(encrypted, "0/1");
}

/// A document of `n` claims, each a distinct sentence with numbers (so every one is kept as a claim).
fn many_claims(n: usize) -> claimdesk::document::Document {
    let text: String = (0..n)
        .map(|i| {
            format!(
                "Official figures show that {} schools in district {i} received {} million dollars in 2023. ",
                i + 3,
                i * 7 + 2
            )
        })
        .collect();
    claimdesk::document::Document::from_text("District budgets", &text)
}

fn empty_review(doc: &claimdesk::document::Document) -> claimdesk::review::ReviewFile {
    let ex = claimdesk::extract::Extractor::default();
    claimdesk::review::ReviewFile::new(doc, ex.info(), &ex.sentences(&doc.text))
}

/// `reviewer`'s verdicts on the first `n` claims of `file`.
fn reviewed(mut file: claimdesk::review::ReviewFile, reviewer: &str, n: usize) -> claimdesk::review::ReviewFile {
    use claimdesk::review::Status;
    for (i, claim) in file.claims.iter_mut().take(n).enumerate() {
        claim.review.status = if i % 2 == 0 { Status::Verified } else { Status::Disputed };
        claim.review.reviewer = Some(reviewer.to_owned());
        claim.review.note = format!("{reviewer} checked it");
    }
    file
}

/// Eight reviewers save 500 verdicts each on the same document, one save per verdict (as the window does), each over
/// its own connection, all at once; and eight processes import a reviewer's 500 verdicts each at once. Every verdict
/// of every reviewer is there afterwards, none overwritten, each with the role that wrote it.
#[test]
fn many_reviewers_saving_at_once_lose_nothing() {
    let Some((cluster, url)) = server("many_reviewers_saving_at_once_lose_nothing", "news") else { return };
    const REVIEWERS: usize = 8;
    const VERDICTS: usize = 500;
    let doc = many_claims(VERDICTS);
    let base = empty_review(&doc);
    assert!(base.claims.len() >= VERDICTS, "{} claims", base.claims.len());
    // The schema is made once, before the rush (its creation by many at once is serialised too, but separately).
    claimdesk::library::Library::open_location(Path::new(&url)).unwrap();
    std::thread::scope(|scope| {
        for r in 0..REVIEWERS {
            let (url, base) = (&url, &base);
            scope.spawn(move || {
                let name = format!("desk-{r}");
                let mut lib = claimdesk::library::Library::open_location(Path::new(url)).unwrap();
                for n in 1..=VERDICTS {
                    let file = reviewed(base.clone(), &name, n);
                    let report = lib.sync_review(&file, &name, None).unwrap();
                    assert_eq!((report.added, report.unchanged), (1, n as u64 - 1), "{name} save {n}");
                }
            });
        }
    });
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries"), (REVIEWERS * VERDICTS).to_string());
    assert_eq!(
        cluster.psql("news", "SELECT count(DISTINCT ext_id) FROM claimdesk_entries"),
        VERDICTS.to_string(),
        "every claim has each reviewer's verdict"
    );
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_sources"), REVIEWERS.to_string());
    assert_eq!(cluster.psql("news", "SELECT DISTINCT written_by FROM claimdesk_entries"), "claimdesk_admin");

    // Processes: each imports its reviewer's file of 500 verdicts, all started together.
    cluster.create_db("news2");
    let url2 = cluster.admin_url("news2");
    claimdesk::library::Library::open_location(Path::new(&url2)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..REVIEWERS)
        .map(|r| {
            let path = dir.path().join(format!("r{r}.json"));
            claimdesk::review::file::save(&reviewed(base.clone(), &format!("proc-{r}"), VERDICTS), &path).unwrap();
            Command::new(env!("CARGO_BIN_EXE_claimdesk"))
                .args(["library", "--library", &url2, "import", "--no-embedding", path.to_str().unwrap()])
                .env_remove("CLAIMDESK_LIBRARY")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(ok(&out).contains("500 added"), "{}", String::from_utf8_lossy(&out.stdout));
    }
    assert_eq!(cluster.psql("news2", "SELECT count(*) FROM claimdesk_entries"), (REVIEWERS * VERDICTS).to_string());
}

/// A reviewer's role adds and changes its own verdicts only; feeds and removals need an editor; a reader matches but
/// cannot import; every change is in the history with the role that made it.
#[test]
fn roles_decide_who_may_write_what() {
    let Some((cluster, url)) = server("roles_decide_who_may_write_what", "news") else { return };
    ok(&claimdesk(&lib_args(&url, &["import", "--no-embedding", &data("feed.csv")])));
    let out = ok(&claimdesk(&lib_args(&url, &["setup-roles"])));
    assert!(out.contains("claimdesk_reviewer"), "{out}");
    ok(&claimdesk(&lib_args(&url, &["setup-roles"]))); // again: nothing changes, nothing fails
    cluster.psql(
        "postgres",
        "CREATE ROLE alice LOGIN PASSWORD 'alice-pw' IN ROLE claimdesk_reviewer;
         CREATE ROLE bob LOGIN PASSWORD 'bob-pw' IN ROLE claimdesk_reviewer;
         CREATE ROLE ed LOGIN PASSWORD 'ed-pw' IN ROLE claimdesk_editor;
         CREATE ROLE rita LOGIN PASSWORD 'rita-pw' IN ROLE claimdesk_reader;",
    );
    let as_role = |role: &str| cluster.url_with_password(role, &format!("{role}-pw"), "news");
    let (alice, bob, ed, rita) = (as_role("alice"), as_role("bob"), as_role("ed"), as_role("rita"));
    let dir = tempfile::tempdir().unwrap();
    let doc = many_claims(4);
    let save = |name: &str, file: &claimdesk::review::ReviewFile| -> String {
        let path = dir.path().join(name);
        claimdesk::review::file::save(file, &path).unwrap();
        path.display().to_string()
    };
    let alice_file = save("alice.json", &reviewed(empty_review(&doc), "alice", 2));
    let bob_file = save("bob.json", &reviewed(empty_review(&doc), "bob", 3));
    ok(&claimdesk(&lib_args(&alice, &["import", "--no-embedding", &alice_file])));
    ok(&claimdesk(&lib_args(&bob, &["import", "--no-embedding", &bob_file])));
    // Alice changes her verdicts (one more); both reviewers' verdicts on the same claims stay.
    let alice_file = save("alice.json", &reviewed(empty_review(&doc), "alice", 3));
    let out = ok(&claimdesk(&lib_args(&alice, &["import", "--no-embedding", &alice_file])));
    assert!(out.contains("1 added"), "{out}");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries WHERE written_by = 'alice'"), "3");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries WHERE written_by = 'bob'"), "3");

    // A reviewer may not import a feed, nor remove someone else's verdicts (nor a feed's entry).
    let err = fails(&claimdesk(&lib_args(&alice, &["import", "--no-embedding", &data("feed.tsv")])));
    assert!(err.contains("this database role may not do that") && err.contains("claimdesk_editor"), "{err}");
    let claim_id = entries(&url).iter().find(|e| e["source"]["reviewer"] == "bob").unwrap()["id"].clone();
    let claim_id = claim_id.as_str().unwrap().to_owned();
    let err = fails(&claimdesk(&lib_args(&alice, &["remove", "--source", "District budgets (bob)", &claim_id])));
    assert!(err.contains("may not"), "{err}");
    let err = fails(&claimdesk(&lib_args(&alice, &["remove", "--source", "feed.csv", "1"])));
    assert!(err.contains("may not"), "{err}");
    let err = fails(&claimdesk(&lib_args(&alice, &["remove", "--source", "feed.csv"])));
    assert!(err.contains("may not remove the source `feed.csv`"), "{err}");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries WHERE ext_id = '1'"), "1");
    // Her own she may.
    ok(&claimdesk(&lib_args(&alice, &["remove", "--source", "District budgets (alice)", &claim_id])));
    // An editor may import feeds and remove anything.
    ok(&claimdesk(&lib_args(&ed, &["import", "--no-embedding", &data("feed.tsv")])));
    ok(&claimdesk(&lib_args(&ed, &["remove", "--source", "District budgets (bob)", &claim_id])));

    // A reader matches (entries it cannot embed are left out, said in one line) but may not import.
    let out = claimdesk(&["match", "--library", &rita, "--no-embedding", "--text", "schools in district 1"]);
    assert!(ok(&out).lines().count() > 1, "{}", ok(&out));
    let out = claimdesk(&["match", "--library", &rita, "--text", "schools in district 1 received money"]);
    ok(&out);
    let err = fails(&claimdesk(&lib_args(&rita, &["import", "--no-embedding", &alice_file])));
    assert!(err.contains("this database role may not do that"), "{err}");
    assert!(!err.contains("rita-pw"), "{err}");

    // The history holds every change, with who made it.
    let by = cluster.psql("news", "SELECT string_agg(DISTINCT by_role, ',' ORDER BY by_role) FROM claimdesk_history");
    assert_eq!(by, "alice,bob,claimdesk_admin,ed");
    assert_eq!(
        cluster.psql("news", "SELECT count(*) FROM claimdesk_history WHERE op = 'delete' AND by_role = 'ed'"),
        "1"
    );
}

/// The desk offline: a store opened while the server is down, and one whose server goes away under it, both match
/// against the local copy and queue their saves; imports and removals are refused; when the server is back every
/// save arrives once, and a save sent again (sent, but the process died before forgetting it) changes nothing.
#[test]
fn saves_made_offline_arrive_once_when_the_server_is_back() {
    use claimdesk::library::shared::SharedStore;
    use claimdesk::library::{Embedder, ImportOptions, Library, Query, Store};
    let Some((cluster, url)) = server("saves_made_offline_arrive_once_when_the_server_is_back", "news") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let doc = many_claims(6);
    let open = || Library::with_store(Box::new(SharedStore::open(&url, home.path()).unwrap()));
    let mut early = open();
    assert_eq!(early.notice(), None);
    early.sync_review(&reviewed(empty_review(&doc), "alice", 2), "alice", None).unwrap();
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries"), "2");

    cluster.stop();
    // A desk started while the server is down: one line says so; the local copy matches.
    let mut late = open();
    let notice = late.notice().expect("a notice");
    assert!(notice.contains("cannot be reached") && notice.contains("local copy"), "{notice}");
    assert!(!notice.contains(ADMIN_PASSWORD), "{notice}");
    assert_eq!(notice.lines().count(), 1);
    let query =
        Query { id: "q".into(), text: "schools in district 1 received million dollars".into(), fingerprint: None };
    let found = late.match_claims(std::slice::from_ref(&query), 5, None).unwrap();
    assert!(!found[0].is_empty(), "the local copy matches");
    late.sync_review(&reviewed(empty_review(&doc), "bob", 3), "bob", None).unwrap();
    late.sync_review(&reviewed(empty_review(&doc), "bob", 4), "bob", None).unwrap();
    assert!(late.notice().unwrap().contains("2 save(s) wait to be sent"), "{:?}", late.notice());
    // Matching sees the queued verdicts too.
    let entries = late.list().unwrap();
    assert_eq!(entries.iter().filter(|e| e.source.reviewer.as_deref() == Some("bob")).count(), 4);
    // Imports and removals need the server.
    let err = late.import(&[Path::new(&data("feed.csv")).to_path_buf()], &ImportOptions::default(), &mut |_| {});
    assert!(err.unwrap_err().to_string().contains("needs the server"));
    assert!(late.remove(&["x".to_owned()], None).unwrap_err().to_string().contains("needs the server"));
    // A desk that was online when the server went away queues too, with the vectors of its model.
    early.sync_review(&reviewed(empty_review(&doc), "carol", 5), "carol", Some(&AsMatcher)).unwrap();
    assert!(early.notice().is_some());
    let queue = home.path().join("shared");
    let queued: Vec<PathBuf> =
        pg::files_under(&queue).into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    assert_eq!(queued.len(), 3, "{queued:?}");
    let kept = home.path().join("kept-first-save.json");
    let first = queued.iter().min().unwrap();
    std::fs::copy(first, &kept).unwrap();

    cluster.pg_ctl_start();
    assert!(late.reconnect().unwrap());
    assert_eq!(late.notice(), None);
    let count = |who: &str| {
        cluster.psql(
            "news",
            &format!(
                "SELECT count(*) FROM claimdesk_entries e JOIN claimdesk_sources s ON s.id = e.source \
                 WHERE s.reviewer = '{who}'"
            ),
        )
    };
    assert_eq!((count("alice"), count("bob"), count("carol")), ("2".into(), "4".into(), "5".into()));
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_applied"), "3");
    let history = cluster.psql("news", "SELECT count(*) FROM claimdesk_history");
    // The first save (bob's three) comes back, as after a crash between sending and forgetting it: it is skipped,
    // so bob's fourth verdict stays.
    std::fs::copy(&kept, first).unwrap();
    let mut again = open();
    assert_eq!(again.notice(), None);
    assert_eq!(count("bob"), "4");
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_history"), history);
    assert!(pg::files_under(&queue).iter().all(|p| !p.to_string_lossy().contains("/queue/")), "the queue is empty");
    // Online again, the desk's library is the server's.
    assert_eq!(again.list().unwrap().len(), 11);
    again.sync_review(&reviewed(empty_review(&doc), "dave", 1), "dave", None).unwrap();
    assert_eq!(count("dave"), "1");
    // Another client's change reaches the local copy at the next connection (only the sources it touched are
    // fetched again), so a desk offline afterwards matches against it.
    cluster.psql(
        "news",
        "DELETE FROM claimdesk_entries WHERE id = (SELECT min(e.id) FROM claimdesk_entries e
         JOIN claimdesk_sources s ON s.id = e.source WHERE s.reviewer = 'carol')",
    );
    assert!(again.reconnect().unwrap());
    // A desk with a fresh data folder copies everything, the matcher's vectors too.
    let other_home = tempfile::tempdir().unwrap();
    drop(SharedStore::open(&url, other_home.path()).unwrap());
    cluster.stop();
    let fresh = SharedStore::open(&url, other_home.path()).unwrap();
    let mut vectors = 0;
    fresh
        .for_each_vector(claimdesk::library::search::MATCHER_MODEL, &mut |row| {
            assert!(row.key < 0, "a local copy's key");
            assert_eq!(row.vector, AsMatcher.embed(&[(row.claim, None)])[0].as_slice());
            vectors += 1;
        })
        .unwrap();
    assert_eq!(vectors, 4, "carol's four verdicts left on the server, with the vectors sent from the queue");
    let offline = open();
    assert!(offline.notice().is_some());
    let copy = offline.list().unwrap();
    assert_eq!(copy.len(), 11);
    assert_eq!(copy.iter().filter(|e| e.source.reviewer.as_deref() == Some("carol")).count(), 4);
    assert_eq!(copy.iter().filter(|e| e.source.reviewer.as_deref() == Some("dave")).count(), 1);
}

/// A stand-in for the matcher's model (its id, SHA-256 vectors): what the local copy keeps of it.
struct AsMatcher;

impl claimdesk::library::Embedder for AsMatcher {
    fn model(&self) -> &str {
        claimdesk::library::search::MATCHER_MODEL
    }

    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>> {
        Fingerprints.embed(texts)
    }
}

/// A stand-in model: a claim's vector is its SHA-256.
struct Fingerprints;

impl claimdesk::library::Embedder for Fingerprints {
    fn model(&self) -> &str {
        "sha256/1"
    }

    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>> {
        use sha2::Digest;
        texts.iter().map(|(claim, _)| sha2::Sha256::digest(claim.as_bytes()).to_vec()).collect()
    }
}

/// A large source's new entries go in by COPY: texts with tabs, backslashes, line breaks and quotes, and their
/// vectors, come back exactly.
#[test]
fn a_large_import_goes_in_by_copy_and_comes_back_exactly() {
    use claimdesk::library::{Embedder, ImportOptions, Library};
    let Some((cluster, url)) = server("a_large_import_goes_in_by_copy_and_comes_back_exactly", "news") else { return };
    let dir = tempfile::tempdir().unwrap();
    let claim = |i: usize| {
        format!("Claim {i}:\ta \\N tab, a back\\slash \\\\x00, \"quotes\",\nand a line break; caf\u{e9} {i}%")
    };
    let mut csv = String::from("id,claim,verdict\n");
    for i in 0..1500 {
        csv.push_str(&format!(
            "{i},\"{}\",{}\n",
            claim(i).replace('"', "\"\""),
            if i.is_multiple_of(3) { "" } else { "False" }
        ));
    }
    let feed = dir.path().join("big.csv");
    std::fs::write(&feed, csv).unwrap();
    let mut lib = Library::open_location(Path::new(&url)).unwrap();
    let options = ImportOptions { source_name: None, embedder: Some(&Fingerprints) };
    let report = lib.import(&[feed], &options, &mut |_| {}).unwrap();
    assert_eq!((report.added, report.embedded), (1500, 1500));
    let entries = lib.list().unwrap();
    assert_eq!(entries.len(), 1500);
    for e in &entries {
        let i: usize = e.record.id.parse().unwrap();
        assert_eq!(e.record.claim, claim(i));
        assert_eq!(e.record.verdict.is_none(), i.is_multiple_of(3), "{i}");
    }
    let mut vectors = 0;
    lib.store()
        .for_each_vector("sha256/1", &mut |row| {
            assert_eq!(row.vector, Fingerprints.embed(&[(row.claim, None)])[0].as_slice());
            vectors += 1;
        })
        .unwrap();
    assert_eq!(vectors, 1500);
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_history WHERE op = 'insert'"), "1500");
}
