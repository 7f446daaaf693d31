//! Exports: JSON read back equal, ClaimReview against its required-field rules, CSV read back with the csv crate,
//! reports that show the counts and every claim with user text escaped, and the `export` command via the binary.
//!
//! Review files are built with `ReviewFile::new` from sentences whose spans the test chooses (the extractor only
//! analyses them), and statuses are set here: nothing depends on which sentences the extractor would pick.

mod common;
use common::*;

use std::path::Path;

use claimdesk::Span;
use claimdesk::document::Document;
use claimdesk::export::{self, Format, Options};
use claimdesk::extract::{Attribution, Extractor};
use claimdesk::review::{self, EvidenceSource, Review, ReviewFile, Status};
use serde_json::Value;

const SENTENCES: [&str; 5] = [
    "Sales rose 7% in 2021, the ministry said.",
    "Profits fell by $3 billion, according to the Wall Street Journal, which called it \"the worst year\".",
    "The army will deploy 500 troops next year.",
    "The <b>index</b> & *markup* [link](javascript:alert(1)) rose 12%.",
    "Unemployment reached 4.1%\nin March.",
];

/// A review file of `sentences` (joined by a space) holding exactly those sentences as claims, all unreviewed.
fn review_file(sentences: &[&str]) -> ReviewFile {
    let text = sentences.join(" ");
    let doc = Document::from_text("Security ties & <the> report", text.clone());
    let ex = Extractor::default();
    let mut at = 0;
    let analysed: Vec<_> = sentences
        .iter()
        .map(|s| {
            let start = at + text[at..].find(s).expect("sentence in text");
            at = start + s.len();
            ex.analyse(&text, Span::new(start, at))
        })
        .collect();
    let file = ReviewFile::new(&doc, ex.info(), &analysed);
    assert_eq!(file.claims.len(), sentences.len(), "one claim per chosen sentence");
    file
}

/// The sample: three claims reviewed (verified, disputed, unsourced), two left unreviewed, one credited source.
fn sample() -> ReviewFile {
    let mut file = review_file(&SENTENCES);
    let text = file.document.text.clone();
    let source = "the ministry";
    let start = text.find(source).unwrap();
    let cue = text.find("said").unwrap();
    file.claims[0].attribution = Some(Attribution {
        source: source.to_owned(),
        source_span: Span::new(start, start + source.len()),
        cue: "said".to_owned(),
        cue_span: Span::new(cue, cue + 4),
    });
    file.claims[0].review = Review {
        status: Status::Verified,
        note: "Matches the ministry's annual report, table 3.\nSecond line, \"quoted\", with a comma.".to_owned(),
        sources: vec![
            EvidenceSource {
                reference: "https://ministry.example/report-2021.pdf".to_owned(),
                quote: "sales grew by 7.0%".to_owned(),
                accessed: Some("2024-05-01".to_owned()),
            },
            EvidenceSource { reference: "javascript:alert('x')".to_owned(), ..Default::default() },
        ],
        reviewer: Some("alice".to_owned()),
        changed: Some("2024-05-02T10:00:00Z".to_owned()),
        ..Default::default()
    };
    file.claims[1].review = Review {
        status: Status::Disputed,
        note: "The WSJ figure is $2.1 billion.".to_owned(),
        reviewer: Some("alice".to_owned()),
        changed: Some("2024-05-03T09:30:00Z".to_owned()),
        ..Default::default()
    };
    file.claims[3].review = Review {
        status: Status::Unsourced,
        note: "<script>alert('note')</script> *not bold*".to_owned(),
        reviewer: Some("bob <b@example>".to_owned()),
        ..Default::default()
    };
    file.publication.organisation = Some("Example Fact Check".to_owned());
    file.publication.article_url = Some("https://news.example/security-ties".to_owned());
    file.publication.article_published = Some("2024-04-30".to_owned());
    file
}

fn with_url(mut file: ReviewFile) -> ReviewFile {
    file.publication.fact_check_url = Some("https://factcheck.example/2024/security-ties".to_owned());
    file
}

fn reviewed() -> Options {
    Options::default()
}

fn all() -> Options {
    Options { all: true, ..Default::default() }
}

#[test]
fn json_export_imports_back_equal() {
    let file = with_url(sample());
    for options in [reviewed(), all()] {
        let exported = export::write(&file, Format::Json, &options).unwrap();
        let back = export::import_json(&exported.bytes).unwrap();
        let expected: Vec<_> = file.claims.iter().filter(|c| options.all || c.review.is_reviewed()).cloned().collect();
        assert_eq!(back.claims, expected);
        assert_eq!(exported.claims, expected.len());
        assert_eq!(back.document.fingerprint, file.document.fingerprint);
        assert_eq!(back.document.title, file.document.title);
        assert_eq!(back.document.length, file.document.text.len());
        assert_eq!(back.extractor, file.extractor);
        assert_eq!(back.publication, file.publication);
        // Exporting what was imported gives the same bytes: nothing is lost on the way.
        let again = serde_json::to_vec_pretty(&back).unwrap();
        assert_eq!(again, exported.bytes[..exported.bytes.len() - 1]);
    }
    assert_eq!(export::write(&file, Format::Json, &reviewed()).unwrap().claims, 3);
    assert_eq!(export::write(&file, Format::Json, &all()).unwrap().claims, 5);
}

#[test]
fn json_export_restores_reviews_into_a_fresh_review() {
    let file = with_url(sample());
    let exported = export::write(&file, Format::Json, &reviewed()).unwrap();
    let back = export::import_json(&exported.bytes).unwrap();
    let mut fresh = review_file(&SENTENCES);
    fresh.claims[0].attribution = file.claims[0].attribution.clone();
    assert_eq!(back.apply_to(&mut fresh).unwrap(), 3);
    assert_eq!(fresh.claims, file.claims);

    // A review of another document is refused and left unchanged.
    let mut other = review_file(&["Something else entirely happened in 1999."]);
    let before = other.clone();
    let err = back.apply_to(&mut other).unwrap_err();
    assert!(err.to_string().contains("document.fingerprint"), "{err}");
    assert_eq!(other, before);
}

#[test]
fn json_import_rejects_bad_files_naming_the_field() {
    let file = sample();
    let good: Value = serde_json::from_slice(&export::write(&file, Format::Json, &reviewed()).unwrap().bytes).unwrap();
    let check = |edit: &dyn Fn(&mut Value), field: &str| {
        let mut v = good.clone();
        edit(&mut v);
        let err = export::import_json(&serde_json::to_vec(&v).unwrap()).unwrap_err().to_string();
        assert!(err.contains(field), "expected {field} in: {err}");
    };
    check(&|v| v["format"] = "claimdesk-review".into(), "format");
    check(&|v| v["version"] = 99.into(), "version");
    check(&|v| v["document"]["fingerprint"] = "abc".into(), "document.fingerprint");
    check(&|v| v["claims"][1]["id"] = v["claims"][0]["id"].clone(), "claims[1].id");
    check(&|v| v["claims"][0]["span"]["end"] = 100_000.into(), "claims[0].span");
    check(&|v| v["claims"][2]["text"] = "short".into(), "claims[2].text");
    check(&|v| v["claims"][0]["review"]["status"] = "unreviewed".into(), "claims[0].review.status");
    let err = export::import_json(b"[1, 2").unwrap_err().to_string();
    assert!(err.contains("not JSON"), "{err}");
}

/// The ClaimReview rules: one per reviewed claim, required fields present and right, recommended ones where known.
#[test]
fn claimreview_meets_the_required_field_rules() {
    let file = with_url(sample());
    let exported = export::write(&file, Format::ClaimReview, &reviewed()).unwrap();
    let doc: Value = serde_json::from_slice(&exported.bytes).unwrap();
    assert_eq!(doc["@context"], "https://schema.org");
    let graph = doc["@graph"].as_array().expect("@graph array");
    let reviewed: Vec<_> = file.claims.iter().filter(|c| c.review.is_reviewed()).collect();
    assert_eq!(graph.len(), reviewed.len());
    for (item, claim) in graph.iter().zip(&reviewed) {
        assert_eq!(item["@type"], "ClaimReview");
        assert_eq!(item["url"], "https://factcheck.example/2024/security-ties");
        let text = item["claimReviewed"].as_str().expect("claimReviewed");
        assert_eq!(text, claim.text.split_whitespace().collect::<Vec<_>>().join(" "));
        assert_eq!(item["reviewRating"]["@type"], "Rating");
        assert_eq!(item["reviewRating"]["alternateName"], claim.review.status.label());
        assert!(
            ["Verified", "Disputed", "Unsourced"].contains(&item["reviewRating"]["alternateName"].as_str().unwrap())
        );
        assert!(item["reviewRating"].get("ratingValue").is_none(), "no ordinal ratingValue");
        assert_eq!(item["author"]["@type"], "Organization");
        assert_eq!(item["author"]["name"], "Example Fact Check");
        assert_eq!(item["itemReviewed"]["@type"], "Claim");
        assert_eq!(item["itemReviewed"]["appearance"]["url"], "https://news.example/security-ties");
        assert_eq!(item["itemReviewed"]["datePublished"], "2024-04-30");
    }
    assert_eq!(graph[0]["datePublished"], "2024-05-02");
    assert_eq!(graph[0]["itemReviewed"]["author"]["name"], "the ministry");
    assert_eq!(graph[0]["itemReviewed"]["author"]["@type"], "Organization");
    assert_eq!(graph[0]["citation"][0], "https://ministry.example/report-2021.pdf");
    assert!(graph[2].get("datePublished").is_none(), "no date when the review has no time of change");
    assert!(!String::from_utf8_lossy(&exported.bytes).contains("ratingValue"));
}

#[test]
fn claimreview_without_url_is_an_error_naming_the_claim() {
    let file = sample();
    let err = export::write(&file, Format::ClaimReview, &reviewed()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(file.claims[0].id.as_str()), "names the first reviewed claim: {msg}");
    assert!(msg.contains("`url`") && msg.contains("--fact-check-url"), "{msg}");
    assert!(msg.contains("and 2 more claims"), "{msg}");
    match err {
        export::ExportError::MissingField { field, claim, .. } => {
            assert_eq!(field, "url");
            assert_eq!(claim, file.claims[0].id);
        }
        other => panic!("expected MissingField, got {other:?}"),
    }
    // A URL that is not http(s) is refused too, naming the field.
    let mut bad = sample();
    bad.publication.fact_check_url = Some("javascript:alert(1)".to_owned());
    let msg = export::write(&bad, Format::ClaimReview, &reviewed()).unwrap_err().to_string();
    assert!(msg.contains("publication.fact_check_url"), "{msg}");
}

#[test]
fn claimreview_warns_on_long_claim_reviewed_and_still_exports() {
    let file = with_url(sample());
    let exported = export::write(&file, Format::ClaimReview, &reviewed()).unwrap();
    // Claim 1 is over 75 characters; claims 0 and 3 are not.
    assert!(file.claims[1].text.chars().count() > 75 && file.claims[0].text.chars().count() <= 75);
    assert_eq!(exported.warnings.len(), 1, "{:?}", exported.warnings);
    assert_eq!(exported.warnings[0].claim.as_ref(), Some(&file.claims[1].id));
    assert!(exported.warnings[0].to_string().contains("75"), "{}", exported.warnings[0]);
    assert_eq!(exported.claims, 3);
    // --all cannot put unreviewed claims in a ClaimReview: it says so.
    let exported = export::write(&file, Format::ClaimReview, &all()).unwrap();
    assert_eq!(exported.claims, 3);
    assert!(exported.warnings.iter().any(|w| w.message.contains("2 unreviewed")), "{:?}", exported.warnings);
}

#[test]
fn csv_reads_back_with_the_same_fields() {
    let file = with_url(sample());
    for options in [reviewed(), all()] {
        let exported = export::write(&file, Format::Csv, &options).unwrap();
        let mut reader = csv::Reader::from_reader(&exported.bytes[..]);
        let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(headers, export::csv::COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
        let claims: Vec<_> = file.claims.iter().filter(|c| options.all || c.review.is_reviewed()).collect();
        assert_eq!(rows.len(), claims.len());
        for (row, c) in rows.iter().zip(&claims) {
            assert_eq!(row.len(), 15);
            assert_eq!((&row[12], &row[13]), ("", ""), "an article has no speakers");
            assert_eq!(&row[14], "", "no verdict here was based on the library");
            assert_eq!(&row[0], c.id.as_str());
            assert_eq!(row[1].parse::<usize>().unwrap(), c.span.start);
            assert_eq!(row[2].parse::<usize>().unwrap(), c.span.end);
            assert_eq!(Status::parse(&row[3]), Some(c.review.status));
            assert_eq!(&row[4], c.text, "text with commas, quotes and line breaks survives");
            assert_eq!(&row[5], c.source().unwrap_or(""));
            assert!((row[6].parse::<f32>().unwrap() - c.score).abs() < 1e-4);
            let kinds: Vec<&str> = c.kinds.iter().map(|k| k.as_str()).collect();
            assert_eq!(&row[7], kinds.join(";"));
            assert_eq!(&row[8], c.review.note);
            let refs: Vec<&str> = row[9].split('\n').filter(|l| !l.is_empty()).collect();
            assert_eq!(refs.len(), c.review.sources.len());
            for (line, s) in refs.iter().zip(&c.review.sources) {
                assert!(line.starts_with(&s.reference), "{line}");
            }
            assert_eq!(&row[10], c.review.reviewer.as_deref().unwrap_or(""));
            assert_eq!(&row[11], c.review.changed.as_deref().unwrap_or(""));
        }
    }
}

#[test]
fn markdown_report_counts_and_lists_claims_with_text_escaped() {
    let file = with_url(sample());
    let md = String::from_utf8(export::write(&file, Format::Markdown, &reviewed()).unwrap().bytes).unwrap();
    for row in ["| Verified | 1 |", "| Disputed | 1 |", "| Unsourced | 1 |", "| Unreviewed | 2 |", "| **Total** | 5 |"]
    {
        assert!(md.contains(row), "missing {row} in\n{md}");
    }
    assert!(md.contains("### 1. Verified"), "{md}");
    assert!(md.contains("### 2. Disputed") && md.contains("### 3. Unsourced"), "{md}");
    assert!(!md.contains("### 4."), "reviewed only by default");
    assert!(md.contains("The WSJ figure is $2.1 billion."), "{md}");
    assert!(md.contains("https://ministry.example/report-2021.pdf"), "{md}");
    // User text is escaped: no raw tags or emphasis from a claim or a note.
    assert!(!md.contains("<script>") && !md.contains("<b>"), "{md}");
    assert!(md.contains("\\<script\\>") && md.contains("\\*not bold\\*"), "{md}");
    let md_all = String::from_utf8(export::write(&file, Format::Markdown, &all()).unwrap().bytes).unwrap();
    assert!(md_all.contains("### 5. Unreviewed"), "{md_all}");
}

#[test]
fn html_report_escapes_user_text_and_shows_it_exactly() {
    use scraper::{Html, Selector};
    let file = with_url(sample());
    let bytes = export::write(&file, Format::Html, &reviewed()).unwrap().bytes;
    let page = Html::parse_document(&String::from_utf8(bytes).unwrap());
    let sel = |css: &str| Selector::parse(css).unwrap();
    assert_eq!(page.select(&sel("script")).count(), 0, "no script element from user text");
    assert_eq!(page.select(&sel("b")).count(), 0, "no element from the claim's <b>");
    let title: String = page.select(&sel("h1")).next().unwrap().text().collect();
    assert_eq!(title, "Fact-check report: Security ties & <the> report");
    let quotes: Vec<String> = page.select(&sel("article blockquote")).map(|q| q.text().collect()).collect();
    let reviewed: Vec<_> = file.claims.iter().filter(|c| c.review.is_reviewed()).collect();
    assert_eq!(quotes.len(), reviewed.len());
    for (q, c) in quotes.iter().zip(&reviewed) {
        assert_eq!(q.trim(), c.text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    let notes: Vec<String> = page.select(&sel("p.note")).map(|p| p.text().collect()).collect();
    assert_eq!(notes[2], "Note: <script>alert('note')</script> *not bold*");
    // Links only for http(s) references: the javascript: reference is text.
    let hrefs: Vec<&str> = page.select(&sel("a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.contains(&"https://ministry.example/report-2021.pdf"), "{hrefs:?}");
    assert!(hrefs.iter().all(|h| h.starts_with("https://")), "{hrefs:?}");
    let cells: Vec<String> = page.select(&sel("table.counts td")).map(|c| c.text().collect()).collect();
    assert_eq!(cells, ["Verified", "1", "Disputed", "1", "Unsourced", "1", "Unreviewed", "2", "5"]);
    let articles = page.select(&sel("article")).count();
    assert_eq!(articles, 3);
}

// ---- the binary ----

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn cli_exports_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let review = save(dir.path(), "review.json", &with_url(sample()));
    for (format, check) in [
        ("json", (|b: &[u8]| export::import_json(b).unwrap().claims.len() == 3) as fn(&[u8]) -> bool),
        ("claimreview", |b| serde_json::from_slice::<Value>(b).unwrap()["@graph"].as_array().unwrap().len() == 3),
        ("csv", |b| csv::Reader::from_reader(b).records().count() == 3),
        ("markdown", |b| String::from_utf8_lossy(b).contains("### 3. Unsourced")),
        ("html", |b| String::from_utf8_lossy(b).starts_with("<!DOCTYPE html>")),
    ] {
        let out = dir.path().join(format!("out.{format}"));
        let run = claimdesk(&["export", s(&review), "--format", format, "-o", s(&out)]);
        assert!(run.status.success(), "{format}: {}", String::from_utf8_lossy(&run.stderr));
        assert!(check(&std::fs::read(&out).unwrap()), "{format} output");
    }
    // --all: every claim.
    let out = dir.path().join("all.csv");
    let run = claimdesk(&["export", s(&review), "--format", "csv", "--all", "-o", s(&out)]);
    assert!(run.status.success());
    assert_eq!(csv::Reader::from_reader(&std::fs::read(&out).unwrap()[..]).records().count(), 5);
    // `-o -`: standard output.
    let run = claimdesk(&["export", s(&review), "--format", "csv", "-o", "-"]);
    assert!(run.status.success());
    assert_eq!(csv::Reader::from_reader(&run.stdout[..]).records().count(), 3);
}

#[test]
fn cli_claimreview_asks_for_the_url_once_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let review = save(dir.path(), "review.json", &sample());
    let out = dir.path().join("claims.jsonld");

    let run = claimdesk(&["export", s(&review), "--format", "claimreview", "-o", s(&out)]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("review.json") && stderr.contains("`url`"), "{stderr}");
    assert!(stderr.contains(sample().claims[0].id.as_str()), "names the claim: {stderr}");
    assert!(!out.exists(), "nothing written on error");

    let run =
        claimdesk(&["export", s(&review), "--format", "claimreview", "--fact-check-url", "not a url", "-o", s(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--fact-check-url"));
    assert!(review::file::load(&review).unwrap().publication.fact_check_url.is_none(), "a bad URL is not saved");

    let url = "https://factcheck.example/2024/security-ties";
    let run = claimdesk(&["export", s(&review), "--format", "claimreview", "--fact-check-url", url, "-o", s(&out)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("warning") && stderr.contains("75"), "long claimReviewed warned: {stderr}");
    let saved = review::file::load(&review).unwrap();
    assert_eq!(saved.publication.fact_check_url.as_deref(), Some(url), "kept in the review file");
    assert_eq!(saved.claims, sample().claims, "only the publication changed");

    // Asked once: the next export needs no flag.
    std::fs::remove_file(&out).unwrap();
    let run = claimdesk(&["export", s(&review), "--format", "claimreview", "-o", s(&out)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["@graph"][0]["url"], url);
}

#[test]
fn cli_export_of_a_missing_file_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let out = dir.path().join("out.csv");
    let run = claimdesk(&["export", s(&missing), "--format", "csv", "-o", s(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("nope.json"));
    assert!(!out.exists());
}

/// A verdict reused from the claim library names the earlier fact-check in every format: the JSON export keeps the
/// whole reference, CSV's last column and both reports cite it (its URL, else its source and id), and ClaimReview
/// gives it as `isBasedOn`.
#[test]
fn every_export_names_the_earlier_fact_check_a_verdict_was_based_on() {
    let mut file = with_url(sample());
    file.claims[1].review.based_on = Some(Box::new(review::LibraryRef {
        source: "feed:snopes".to_owned(),
        id: "4711".to_owned(),
        name: Some("snopes.tsv".to_owned()),
        url: Some("https://snopes.example/fact-check/wsj-profits".to_owned()),
        claim: Some("Profits fell by $3bn, the WSJ said.".to_owned()),
        verdict: Some("Mostly false".to_owned()),
    }));
    file.claims[3].review.based_on = Some(Box::new(review::LibraryRef {
        source: "review:ab12".to_owned(),
        id: "c7".to_owned(),
        ..Default::default()
    }));
    let url = "https://snopes.example/fact-check/wsj-profits";
    let text = |format| String::from_utf8(export::write(&file, format, &reviewed()).unwrap().bytes).unwrap();

    let back = export::import_json(text(Format::Json).as_bytes()).unwrap();
    assert_eq!(back.claims[1].review.based_on, file.claims[1].review.based_on);

    let csv_text = text(Format::Csv);
    let mut csv = ::csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(csv.headers().unwrap().iter().next_back(), Some("based_on"));
    let rows: Vec<_> = csv.records().map(|r| r.unwrap()).collect();
    let based_on: Vec<&str> = rows.iter().map(|r| r.get(14).unwrap()).collect();
    assert_eq!(based_on, ["", url, "review:ab12 #c7"]);

    for format in [Format::Markdown, Format::Html] {
        let report = text(format);
        assert!(report.contains(&format!("Based on: {url} (Mostly false)")), "{format:?}: {report}");
        assert!(report.contains("Based on: review:ab12 #c7"), "{format:?}: {report}");
    }

    let ld: Value = serde_json::from_str(&text(Format::ClaimReview)).unwrap();
    let graph = ld["@graph"].as_array().unwrap();
    let based: Vec<&Value> = graph.iter().map(|r| &r["isBasedOn"]).collect();
    assert_eq!(based[0], &Value::Null, "claim 1's verdict was its own");
    assert_eq!(based[1], &serde_json::json!(url));
    assert_eq!(based[2], &serde_json::json!({ "@type": "CreativeWork", "name": "review:ab12 #c7" }));
}

#[test]
fn cli_export_refuses_to_overwrite_the_review_file_itself() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_url(sample());
    let review = save(dir.path(), "review.json", &file);
    let run = claimdesk(&["export", s(&review), "--format", "json", "-o", s(&review)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("review.json"));
    assert_eq!(review::file::load(&review).unwrap(), file, "the review file is untouched");
}

fn arb_status() -> impl proptest::strategy::Strategy<Value = Status> {
    proptest::sample::select(Status::ALL.to_vec())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever reviewers type (any Unicode, quotes, commas, line breaks), JSON imports back equal and CSV reads back
    /// the same note, reviewer and sources.
    #[test]
    fn any_review_survives_json_and_csv(
        reviews in proptest::collection::vec(
            (arb_status(), "(?s).{0,40}", "(?s).{0,12}", "(?s).{0,30}"),
            SENTENCES.len()
        )
    ) {
        let mut file = with_url(sample());
        for (claim, (status, note, reviewer, reference)) in file.claims.iter_mut().zip(reviews) {
            claim.review = Review {
                status,
                note,
                reviewer: Some(reviewer),
                sources: vec![EvidenceSource { reference, ..Default::default() }],
                ..Default::default()
            };
        }
        let json = export::write(&file, Format::Json, &all()).unwrap();
        proptest::prop_assert_eq!(&export::import_json(&json.bytes).unwrap().claims, &file.claims);
        let csv_bytes = export::write(&file, Format::Csv, &all()).unwrap().bytes;
        let rows: Vec<csv::StringRecord> =
            csv::Reader::from_reader(&csv_bytes[..]).records().collect::<Result<_, _>>().unwrap();
        proptest::prop_assert_eq!(rows.len(), file.claims.len());
        for (row, c) in rows.iter().zip(&file.claims) {
            proptest::prop_assert_eq!(&row[8], c.review.note.as_str());
            proptest::prop_assert_eq!(&row[10], c.review.reviewer.as_deref().unwrap_or(""));
            let source = export::source_line(&c.review.sources[0]);
            proptest::prop_assert_eq!(&row[9], source.as_str());
        }
    }
}

#[test]
fn an_export_with_no_claims_warns() {
    let file = with_url(review_file(&SENTENCES));
    for format in Format::ALL {
        let exported = export::write(&file, format, &reviewed()).unwrap();
        assert_eq!(exported.claims, 0);
        assert!(exported.warnings.iter().any(|w| w.message.contains("empty")), "{format}: {:?}", exported.warnings);
    }
    let exported = export::write(&file, Format::Csv, &all()).unwrap();
    assert_eq!(exported.claims, 5);
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
}

/// The Markdown and HTML reports read as a report for an editor: title, reviewers, the report's date and the
/// counts first, each claim once with its status, words, credited source, note and sources; fingerprints, ids and
/// byte positions only in the final "About this file" section.
#[test]
fn reports_read_as_a_report_for_an_editor_with_tool_details_last() {
    let file = with_url(sample());
    let options = Options { date: Some("2024-06-01".to_owned()), ..Options::default() };
    let md = String::from_utf8(export::write(&file, Format::Markdown, &options).unwrap().bytes).unwrap();
    let about = md.find("## About this file").expect("an about section");
    let (body, tail) = md.split_at(about);
    for expected in ["- Reviewers: alice, bob \\<b@example\\>", "- Date of this report: 2024-06-01", "## Summary"] {
        assert!(body.contains(expected), "{expected} in\n{body}");
    }
    assert!(body.find("## Summary").unwrap() < body.find("## Claims").unwrap());
    assert!(
        body.contains("- Credited to: the ministry") && body.contains("- Reviewed by: alice on 2024-05-02"),
        "{body}"
    );
    for c in file.claims.iter().filter(|c| c.review.is_reviewed()) {
        assert!(!body.contains(c.id.as_str()), "no id {} before the about section", c.id);
        assert!(!body.contains(&format!("{}", c.span)), "no byte position before the about section");
        assert!(tail.contains(c.id.as_str()), "ids are listed at the end");
        let words = c.text.split_whitespace().next().unwrap();
        assert_eq!(body.matches(&format!("> {words}")).count(), 1, "each claim once: {words}");
    }
    assert!(!body.contains(&file.document.fingerprint) && tail.contains(&file.document.fingerprint));

    let html = String::from_utf8(export::write(&file, Format::Html, &options).unwrap().bytes).unwrap();
    let page = scraper::Html::parse_document(&html);
    let sel = |css: &str| scraper::Selector::parse(css).unwrap();
    let headings: Vec<String> = page.select(&sel("h2")).map(|h| h.text().collect()).collect();
    assert_eq!(headings, ["Summary", "Claims", "About this file"]);
    let about: String = page.select(&sel("ul.file")).map(|u| u.text().collect::<String>()).collect();
    assert!(about.contains(&file.document.fingerprint));
    let articles: String = page.select(&sel("article")).map(|a| a.text().collect::<String>()).collect();
    assert!(!articles.contains(&file.document.fingerprint) && !articles.contains(file.claims[0].id.as_str()));
    assert!(
        page.select(&sel("ul.about li")).any(|li| li.text().collect::<String>() == "Date of this report: 2024-06-01")
    );
}
