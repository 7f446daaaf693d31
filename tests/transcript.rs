//! A debate transcript (tests/fixtures/debate-transcript.txt, written for these tests) from file to export: speakers
//! found and merged, labels never inside a claim, claims credited to their speakers (and to whom their words credit),
//! stage directions and the moderator's questions not claims, the speaker kept in the review file (version 3), the
//! TSV and every export.

use std::path::{Path, PathBuf};
use std::process::Command;

use claimdesk::export::{self, Format, Options};
use claimdesk::extract::transcript::{self, Role};
use claimdesk::extract::{Extractor, Speaker};
use claimdesk::review::{self, ReviewFile, Status};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/debate-transcript.txt")
}

fn review() -> ReviewFile {
    let doc = claimdesk::document::load(&fixture()).expect("the fixture loads");
    ReviewFile::extract(&doc, &Extractor::default())
}

fn claim_with<'a>(file: &'a ReviewFile, needle: &str) -> &'a review::Claim {
    file.claims.iter().find(|c| c.text.contains(needle)).unwrap_or_else(|| panic!("no sentence holds {needle:?}"))
}

#[test]
fn speakers_are_found_merged_and_given_roles() {
    let text = std::fs::read_to_string(fixture()).unwrap();
    let t = transcript::detect(&text).expect("the fixture is a transcript");
    let speakers: Vec<(&str, Role)> = t.speakers.iter().map(|s| (s.name.as_str(), s.role)).collect();
    assert_eq!(
        speakers,
        [
            ("Jane Doe", Role::Moderator),
            ("MARIA ALVAREZ", Role::Speaker),
            ("TOM BECKER", Role::Speaker),
            ("AUDIENCE", Role::Audience)
        ]
    );
    assert_eq!(t.speakers[0].labels, ["MODERATOR (Jane Doe)", "DOE", "Jane Doe"]);
    assert_eq!(t.speakers[1].labels, ["SEN. MARIA ALVAREZ", "ALVAREZ"]);
}

#[test]
fn no_claim_holds_a_speaker_label() {
    let file = review();
    let t = transcript::detect(&file.document.text).unwrap();
    for turn in &t.turns {
        for c in &file.claims {
            assert!(
                !c.span.overlaps(turn.label),
                "{:?} overlaps the label {:?}",
                c.text,
                &file.document.text[turn.label.range()]
            );
        }
    }
    assert!(file.claims.iter().all(|c| !c.text.contains(':')), "no label's colon inside a claim");
}

#[test]
fn claims_are_credited_to_their_speakers_and_to_whom_they_cite() {
    let file = review();
    let alvarez = Speaker { name: "MARIA ALVAREZ".into(), role: Role::Speaker };
    let c = claim_with(&file, "Manufacturing employment fell by 12,000 jobs");
    assert!(file.is_claim(c), "a statistic is a claim ({})", c.score);
    assert_eq!(c.speaker.as_ref(), Some(&alvarez));
    assert_eq!(c.source(), None);
    assert_eq!(c.credited().as_deref(), Some("MARIA ALVAREZ"));

    let c = claim_with(&file, "We added 40,000 jobs in health care alone");
    assert!(file.is_claim(c), "{}", c.score);
    assert_eq!(c.speaker_name(), Some("TOM BECKER"));
    assert_eq!(c.source(), Some("the Bureau of Labor Statistics"), "\"as X reported\" credits X, and both are kept");
    assert_eq!(c.credited().as_deref(), Some("TOM BECKER, citing the Bureau of Labor Statistics"));

    let c = claim_with(&file, "average wage in the state fell 4 percent");
    assert_eq!((c.speaker_name(), c.source()), (Some("MARIA ALVAREZ"), Some("the Commerce Department")));

    // Every sentence after the first label has a speaker; the title before it has none.
    for c in &file.claims {
        let before_first_label = c.span.start < file.document.text.find("MODERATOR").unwrap();
        assert_eq!(c.speaker.is_none(), before_first_label, "{:?}", c.text);
    }
    let names: Vec<String> = file.speakers().into_iter().map(|(s, _)| s.name).collect();
    assert_eq!(names, ["Jane Doe", "MARIA ALVAREZ", "TOM BECKER", "AUDIENCE"]);
    assert!(file.claims.iter().filter(|c| review::said_by(c, "TOM BECKER")).count() >= 4);
}

#[test]
fn stage_directions_and_the_moderators_questions_are_not_claims() {
    let file = review();
    for direction in ["(APPLAUSE)", "[CROSSTALK]", "(LAUGHTER)"] {
        assert!(!file.claims.iter().any(|c| c.text.contains(direction)), "{direction} never enters the review file");
    }
    for question in [
        "What would you do about it?",
        "Governor Becker, your response?",
        "Will you raise teachers' pay?",
        "Four more years!",
    ] {
        let c = claim_with(&file, question);
        assert!(!file.is_claim(c), "{question:?} scores {} at threshold {}", c.score, file.extractor.threshold);
    }
    let moderator = claim_with(&file, "Will you raise teachers' pay?");
    assert!(review::said_in_role(moderator, Role::Moderator));
}

#[test]
fn the_speaker_is_kept_in_the_review_file_as_version_3() {
    let mut file = review();
    let id = claim_with(&file, "Manufacturing employment").id.clone();
    file.claim_mut(&id).unwrap().review.status = Status::Verified;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("debate.json");
    review::file::save(&file, &path).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("\"version\": 3"), "a speaker needs version 3");
    assert!(written.contains(r#""speaker":{"name":"Jane Doe","role":"moderator"}"#), "{written}");
    assert!(written.contains(r#""speaker":{"name":"MARIA ALVAREZ"}"#), "the default role is left out");
    assert_eq!(review::file::load(&path).unwrap(), file);
}

#[test]
fn exports_name_the_speaker() {
    let mut file = review();
    let id = claim_with(&file, "Manufacturing employment").id.clone();
    file.claim_mut(&id).unwrap().review.status = Status::Verified;
    file.publication.fact_check_url = Some("https://factcheck.example/debate".into());
    let options = Options { all: false, ..Options::default() };
    let csv = String::from_utf8(export::write(&file, Format::Csv, &options).unwrap().bytes).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",speaker,speaker_role,based_on"), "{csv}");
    assert!(csv.contains(",MARIA ALVAREZ,speaker"), "{csv}");
    let jsonld = export::write(&file, Format::ClaimReview, &options).unwrap().bytes;
    let jsonld: serde_json::Value = serde_json::from_slice(&jsonld).unwrap();
    let author = &jsonld["@graph"][0]["itemReviewed"]["author"];
    assert_eq!(author["name"], "MARIA ALVAREZ", "an unattributed claim is its speaker's: {jsonld}");
    assert_eq!(author["@type"], "Person");
    let json = String::from_utf8(export::write(&file, Format::Json, &options).unwrap().bytes).unwrap();
    assert!(json.contains("\"speaker\""), "{json}");
    let back = export::import_json(json.as_bytes()).unwrap();
    assert_eq!(back.claims[0].speaker, file.claim(&id).unwrap().speaker);
    for format in [Format::Markdown, Format::Html] {
        let report = String::from_utf8(export::write(&file, format, &options).unwrap().bytes).unwrap();
        assert!(report.contains("Speaker") && report.contains("MARIA ALVAREZ"), "{format}: {report}");
    }
}

#[test]
fn the_tsv_has_a_speaker_column() {
    let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["extract", "--format", "tsv", "--all"])
        .arg(fixture())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tsv = String::from_utf8(out.stdout).unwrap();
    let mut lines = tsv.lines();
    assert_eq!(lines.next(), Some("start\tend\tscore\tclaim\tkinds\tsource\tspeaker\ttext"));
    let row = lines.find(|l| l.contains("Manufacturing employment")).unwrap();
    let fields: Vec<&str> = row.split('\t').collect();
    assert_eq!(fields.len(), 8);
    assert_eq!(fields[6], "MARIA ALVAREZ");
    let title = tsv.lines().find(|l| l.contains("Governors' debate")).unwrap();
    assert_eq!(title.split('\t').nth(6), Some(""), "the title before the first label has no speaker");
}

#[test]
fn an_article_is_not_a_transcript() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/israel-arab-security-ties.txt");
    let doc = claimdesk::document::load(&sample).unwrap();
    assert!(transcript::detect(&doc.text).is_none());
    let file = ReviewFile::extract(&doc, &Extractor::default());
    assert!(!file.is_transcript());
    let text = String::from_utf8(review::file::to_bytes(&file)).unwrap();
    assert!(text.contains("\"version\": 2") && !text.contains("\"speaker\""));
}

#[test]
fn a_speaker_needs_version_3_and_a_version_2_file_holding_one_is_refused_naming_the_field() {
    use claimdesk::review::file::{from_slice, to_bytes, to_compact_string, version_3_fields};
    let mut file = review();
    let (first, second) = (0, 1);
    assert!(file.claims[first].speaker.is_none(), "the title has no speaker");
    file.claims[first].speaker = Some(Speaker { name: "Jane Doe".into(), role: Role::Moderator });
    file.claims.truncate(2);
    file.claims[second].review.status = Status::Verified;
    assert_eq!(version_3_fields(&file), ["claims[0].speaker", "claims[1].speaker"]);
    let text = String::from_utf8(to_bytes(&file)).unwrap();
    assert!(text.contains("\"version\": 3"), "{text}");
    assert_eq!(from_slice(text.as_bytes(), Path::new("r.json")).unwrap(), file, "read back equal");
    assert_eq!(from_slice(to_compact_string(&file).as_bytes(), Path::new("r.json")).unwrap(), file);

    let older = text.replacen("\"version\": 3", "\"version\": 2", 1);
    let err = from_slice(older.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
    assert_eq!(
        err,
        "r.json: claims[0].speaker: needs format version 3, but the file says version 2; claims[1].speaker: needs \
         format version 3, but the file says version 2"
    );
    // A speaker has a name, on one line; the role is one of three.
    let blank = text.replacen(r#""name":"Jane Doe""#, r#""name":" ""#, 1);
    let err = from_slice(blank.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
    assert!(err.contains("claims[0].speaker.name: is empty"), "{err}");
    let role = text.replacen(r#""role":"moderator""#, r#""role":"host""#, 1);
    let err = from_slice(role.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
    assert!(err.contains("claims[0].speaker.role: unknown variant `host`"), "{err}");
    // Without speakers the file is version 2 again.
    for c in &mut file.claims {
        c.speaker = None;
    }
    assert!(String::from_utf8(to_bytes(&file)).unwrap().contains("\"version\": 2"));
}
