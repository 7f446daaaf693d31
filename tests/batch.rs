//! Batch extraction: many files or a folder, JSON Lines out, failures reported and the rest processed.

use std::process::Command;

use claimdesk::review::file;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/israel-arab-security-ties.txt");

#[test]
fn a_folder_gives_one_review_per_document_and_reports_failures() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(docs.join("deeper")).unwrap();
    std::fs::copy(SAMPLE, docs.join("one.txt")).unwrap();
    std::fs::write(docs.join("deeper/a-two.md"), "# Report\n\nExports rose 7% in 2021, the ministry said.\n").unwrap();
    std::fs::write(docs.join("deeper/b-three.html"), "<p>Prices fell by $3 billion, according to the bank.</p>")
        .unwrap();
    std::fs::write(docs.join("ignored.png"), [0x89, b'P', b'N', b'G']).unwrap();
    std::fs::write(docs.join("broken.txt"), b"bad \xff byte").unwrap();
    let out = dir.path().join("all.jsonl");
    let o = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["extract", docs.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "a failed document makes the exit code 1");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.txt") && err.contains("byte offset 4"), "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let reviews: Vec<claimdesk::review::ReviewFile> =
        text.lines().map(|l| file::from_slice(l.as_bytes(), &out).expect("each line is a review file")).collect();
    assert_eq!(reviews.len(), 3, "one.txt, two.md, three.html; not the png, not the broken file");
    for r in &reviews {
        assert!(file::validate(r).is_empty());
    }
    let titles: Vec<&str> = reviews.iter().map(|r| r.document.title.as_str()).collect();
    assert_eq!(titles, ["one", "Report", "b-three"], "a folder's files in name order, then its subfolders");
}

#[test]
fn several_files_given_by_name_keep_their_order() {
    let o = Command::new(env!("CARGO_BIN_EXE_claimdesk")).args(["extract", SAMPLE, SAMPLE]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], lines[1], "the same document gives the same review");
}
