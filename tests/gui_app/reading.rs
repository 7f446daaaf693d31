//! Reading and layout: what the reviewer sees stays legible and in place.

use super::*;

#[test]
fn a_status_chip_shows_only_that_status_with_a_way_back_and_the_four_fit_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    press(&mut h, Key::Num1);
    press(&mut h, Key::Num2);
    let all = list_rows(&h);
    let unreviewed = format!("Unreviewed {}", all - 2);
    let labels = [unreviewed.as_str(), "Verified 1", "Disputed 1", "Unsourced 0"];
    let rects: Vec<egui::Rect> = labels.iter().map(|l| h.get_by_label(l).rect()).collect();
    for r in &rects {
        assert!((r.center().y - rects[0].center().y).abs() < 1.0, "one line at 1400 px: {rects:?}");
    }
    click(&mut h, "Disputed 1");
    assert_eq!(list_rows(&h), 1, "only the disputed claim");
    h.get_by_label("Show all");
    click(&mut h, "Disputed 1");
    assert_eq!(list_rows(&h), all, "the chosen chip again shows every status");
    click(&mut h, "Verified 1");
    assert_eq!(list_rows(&h), 1);
    click(&mut h, "Show all");
    assert_eq!(list_rows(&h), all);
    assert!(h.query_by_label("Show all").is_none());
}

/// At 1024x700, zoomed in two steps, the document still holds lines of 60 characters and more (the side panels
/// stack beside it), the zoom level shows, and the selected claim stays in view.
#[test]
fn zoomed_in_on_a_small_window_the_document_stays_readable_and_the_selection_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_sized(ScriptedDialogs::new(), &dir.path().join("data"), egui::vec2(1024.0, 700.0));
    h.run();
    h.get_by_label("Open the sample article").click();
    h.run();
    for _ in 0..9 {
        press(&mut h, Key::J);
    }
    let far = selected(&h);
    chord(&mut h, CTRL, Key::Plus);
    chord(&mut h, CTRL, Key::Plus);
    h.run();
    assert!((h.ctx.zoom_factor() - 1.2).abs() < 1e-3);
    h.get_by_label("Zoom 120%");
    let chars = h.state().session.as_ref().unwrap().doc_line_chars;
    assert!(chars >= 60, "{chars} characters a line");
    let para = h.state().session.as_ref().unwrap().file.document.text.lines().find(|l| l.contains(&far.text)).unwrap();
    assert!(paragraph(&h, para).is_some(), "the selected claim's paragraph is in view");
    // The editor and the list are still there, stacked.
    h.get_by_label("Note (n)");
    h.get_by_label("Search:");
}

/// Blank lines between paragraphs are small gaps, not bands as tall as a line.
#[test]
fn blank_lines_between_paragraphs_are_small_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("spaced.txt");
    std::fs::write(&doc, "Exports rose 9% in 2021, the ministry said.\n\n\n\nImports fell by $3 billion in 2022.\n")
        .unwrap();
    let mut h = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    h.state_mut().open_path(&doc);
    h.run();
    let first = paragraph(&h, "Exports rose 9% in 2021, the ministry said.").unwrap().rect();
    let second = paragraph(&h, "Imports fell by $3 billion in 2022.").unwrap().rect();
    let gap = second.top() - first.bottom();
    assert!(gap < first.height() * 2.5, "three blank lines take {gap} points; a line is {}", first.height());
}

/// Where "Split at cursor" will split is shown before it is pressed.
#[test]
fn split_at_cursor_shows_where_it_will_split() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let claim = selected(&h);
    let at = claim.span.start + claim.text.find(" which").unwrap();
    h.state_mut().session.as_mut().unwrap().doc_cursor = Some(at);
    h.run();
    h.get_by_label_contains("Splits at the marker");
    h.get_by_label_contains("visit to Israel, | which will begin");
}

#[test]
fn a_manual_claim_says_manual_instead_of_a_score() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    {
        let s = h.state_mut().session.as_mut().unwrap();
        let start = s.file.document.text.find("Israeli sailors have trained").unwrap();
        s.doc_selection = Some(claimdesk::Span::new(start, start + "Israeli sailors have trained".len()));
    }
    chord(&mut h, CTRL, Key::M);
    h.get_by_label("Score  manual (added by a reviewer)");
    let row = h.get_by(|n| {
        n.role() == egui::Role::ListItem && n.label().is_some_and(|l| l.contains("Israeli sailors have trained"))
    });
    let label = row.accesskit_node().label().unwrap_or_default();
    assert!(label.contains(" manual ") && !label.contains("0.00"), "{label}");
}

/// The export dialog proposes the format and scope last chosen for this review file, across runs.
#[test]
fn the_export_dialog_remembers_format_and_scope_per_review_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mine, _) = reviewer_files(dir.path());
    let csv_out = dir.path().join("mine.csv");
    {
        let dialogs = ScriptedDialogs::new();
        let mut h = harness(dialogs.clone(), &data);
        h.state_mut().open_path(&mine);
        h.run();
        chord(&mut h, CTRL, Key::E);
        click(&mut h, "CSV");
        h.get_by_label_contains("All claims, unreviewed ones too").click();
        h.run();
        dialogs.answer(&csv_out);
        h.get_by_label_contains("Export ").click();
        h.run();
        assert!(csv_out.exists());
        chord(&mut h, CTRL, Key::E);
        let d = h.state().export.as_ref().unwrap();
        assert_eq!((d.format, d.all), (claimdesk::export::Format::Csv, true), "proposed again at once");
    }
    // Another run, the same review file: the same choices.
    let mut h = harness(ScriptedDialogs::new(), &data);
    h.state_mut().open_path(&mine);
    h.run();
    chord(&mut h, CTRL, Key::E);
    let d = h.state().export.as_ref().unwrap();
    assert_eq!((d.format, d.all), (claimdesk::export::Format::Csv, true));
}

/// The status bar is one line however long its message; the whole message is on hover.
#[test]
fn the_status_bar_never_wraps() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_sized(ScriptedDialogs::new(), &dir.path().join("data"), egui::vec2(1024.0, 700.0));
    h.run();
    h.get_by_label("Open the sample article").click();
    h.run();
    press(&mut h, Key::Num1);
    h.state_mut().message = Some(format!("A very long message {}", "that goes on and on ".repeat(20)));
    h.run();
    let reviewed = h.get_by_label_contains("of 13 reviewed").rect();
    let unsaved = h.get_by_label("Unsaved changes").rect();
    let message = h.get_by_label_contains("A very long message").rect();
    for r in [unsaved, message] {
        assert!((r.center().y - reviewed.center().y).abs() < 1.0, "one line: {reviewed:?} {r:?}");
    }
    assert!(message.right() <= 1024.0 + 0.5, "the message is cut at the window's edge: {message:?}");
}

/// The help overlay's keys line up in columns.
#[test]
fn the_help_overlays_columns_line_up() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    press(&mut h, Key::F1);
    let left = |label: &str| h.get_by_label(label).rect().left();
    assert_eq!(left("j / Down"), left("Ctrl+Z"), "Reviewing and Editing keys in one column");
    assert_eq!(left("Ctrl+S"), left("F1 / ?"), "Files, View and Help keys in one column");
    assert_eq!(left("Next claim"), left("Undo"), "and their actions too");
}

/// A transcript opened in the window: claims credited to their speakers in the list and the editor, the labels
/// outside every claim, and a filter by speaker.
#[test]
fn a_transcript_shows_claims_credited_to_their_speakers_and_filters_by_speaker() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/debate-transcript.txt");
    let mut h = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    h.state_mut().open_path(&transcript);
    h.run();
    let f = file(&h).clone();
    assert!(f.is_transcript());
    assert!(
        f.claims.iter().all(|c| !c.text.contains("ALVAREZ:") && !c.text.contains("BECKER:")),
        "labels never in a claim"
    );
    // The jobs claim is Alvarez's; the unemployment one Becker's, citing the bureau.
    let rows: Vec<String> =
        h.query_all_by_role(egui::Role::ListItem).filter_map(|n| n.accesskit_node().label()).collect();
    assert!(rows.iter().any(|r| r.contains("Manufacturing employment fell") && r.contains("ALVAREZ")), "{rows:#?}");
    assert!(rows.iter().any(|r| r.contains("citing the Bureau of Labor Statistics")), "{rows:#?}");
    click_row(&mut h, "Manufacturing employment fell");
    h.get_by_label_contains("Speaker  ");
    // Only Becker's claims.
    let becker = f.speakers().into_iter().find(|(s, _)| s.name.to_uppercase().contains("BECKER")).unwrap().0.name;
    h.get_by_label("Speaker:").click();
    h.run();
    h.get_by_label_contains(&format!("{becker} (")).click();
    h.run();
    let listed = list_rows(&h);
    let expected = f.claims_at_threshold().filter(|c| c.speaker_name() == Some(becker.as_str())).count();
    assert!(listed > 0 && listed == expected, "{listed} rows, {expected} of Becker's claims");
}
