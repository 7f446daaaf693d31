//! The real window, driven headlessly through its accessible labels with egui_kittest.
//!
//! Each test clicks, types and presses keys as a reviewer would, finding controls by the labels people and screen
//! readers see, and checks the review the app holds (and the files it writes) afterwards.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use claimdesk::gui::App;
use claimdesk::gui::app::ThemeChoice;
use claimdesk::gui::dialogs::ScriptedDialogs;
use claimdesk::gui::view;
use claimdesk::review::{Claim, ReviewFile, Status};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/israel-arab-security-ties.txt")
}

/// The app in a harness of the given size, drawn and updated exactly as the window does each frame.
fn harness_sized(dialogs: ScriptedDialogs, data: &Path, size: egui::Vec2) -> Harness<'static, App> {
    let app = App::new(Box::new(dialogs), data.to_path_buf());
    Harness::builder().with_size(size).with_max_steps(64).build_ui_state(
        |ui, app: &mut App| {
            view::apply_prefs(app, ui.ctx());
            view::draw(app, ui);
            app.apply_pending();
            app.save_prefs();
        },
        app,
    )
}

fn harness(dialogs: ScriptedDialogs, data: &Path) -> Harness<'static, App> {
    harness_sized(dialogs, data, egui::vec2(1400.0, 900.0))
}

/// A harness with the sample article open from the start screen.
fn with_sample(dir: &Path) -> (Harness<'static, App>, ScriptedDialogs) {
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.join("data"));
    h.run();
    h.get_by_label("Open the sample article").click();
    h.run();
    (h, dialogs)
}

fn file<'a>(h: &'a Harness<'_, App>) -> &'a ReviewFile {
    &h.state().session.as_ref().expect("a document is open").file
}

/// The claims the list shows at the file's threshold, in document order.
fn shown(h: &Harness<'_, App>) -> Vec<Claim> {
    let s = h.state().session.as_ref().expect("a document is open");
    let mut claims: Vec<Claim> = s.file.claims.iter().filter(|c| s.is_shown_claim(c)).cloned().collect();
    claims.sort_by_key(|c| c.span.start);
    claims
}

fn statuses(h: &Harness<'_, App>, n: usize) -> Vec<Status> {
    shown(h).iter().take(n).map(|c| c.review.status).collect()
}

fn selected(h: &Harness<'_, App>) -> Claim {
    h.state().session.as_ref().and_then(|s| s.selected_claim()).cloned().expect("a claim is selected")
}

fn selected_text(h: &Harness<'_, App>) -> String {
    selected(h).text
}

/// How many rows the claims list shows.
fn list_rows(h: &Harness<'_, App>) -> usize {
    h.query_all_by_role(egui::Role::ListItem).count()
}

/// The document pane's paragraph with exactly this text (laid out only when in view).
fn paragraph<'a>(h: &'a Harness<'_, App>, text: &'a str) -> Option<egui_kittest::Node<'a>> {
    h.query_by(move |n| n.role() == egui::Role::MultilineTextInput && n.value().as_deref() == Some(text))
}

/// Click the claims list's row for the claim whose text starts with `prefix`.
fn click_row(h: &mut Harness<'_, App>, prefix: &str) {
    h.get_by(|n| n.role() == egui::Role::ListItem && n.label().is_some_and(|l| l.contains(prefix))).click();
    h.run();
}

fn press(h: &mut Harness<'_, App>, key: Key) {
    h.key_press(key);
    h.run();
}

fn chord(h: &mut Harness<'_, App>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

fn click(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Replace what the text field labelled `label` holds with `text`, as a person would: click in, select all, type.
fn retype(h: &mut Harness<'_, App>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    chord(h, CTRL, Key::A);
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Choose `item` from the menu bar's `menu`.
fn menu(h: &mut Harness<'_, App>, menu: &str, item: &str) {
    click(h, menu);
    click(h, item);
}

#[test]
fn review_the_sample_by_keyboard_and_list_then_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, dialogs) = with_sample(dir.path());

    // The first claim is selected at once.
    let first = selected_text(&h);
    assert!(first.starts_with("During his visit to Israel"), "{first}");

    // Keyboard: j and Down move down, k and Up move up.
    press(&mut h, Key::J);
    let second = selected_text(&h);
    assert!(second.contains("Bahrain has been working"), "{second}");
    press(&mut h, Key::ArrowDown);
    assert!(selected_text(&h).starts_with("Israel has also agreed"));
    press(&mut h, Key::ArrowUp);
    assert_eq!(selected_text(&h), second);
    press(&mut h, Key::K);
    assert_eq!(selected_text(&h), first);

    // 1, 2, 3 set the statuses and move on; 0 takes one back.
    for key in [Key::Num1, Key::Num2, Key::Num3, Key::Num1] {
        press(&mut h, key);
    }
    assert_eq!(
        statuses(&h, 5),
        [Status::Verified, Status::Disputed, Status::Unsourced, Status::Verified, Status::Unreviewed]
    );
    press(&mut h, Key::K);
    press(&mut h, Key::Num0);
    assert_eq!(statuses(&h, 4), [Status::Verified, Status::Disputed, Status::Unsourced, Status::Unreviewed]);

    // Undo twice (back to unreviewed, then the fourth verdict), redo once with Ctrl+Y and once with Ctrl+Shift+Z.
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(statuses(&h, 4), [Status::Verified, Status::Disputed, Status::Unsourced, Status::Verified]);
    chord(&mut h, CTRL, Key::Z);
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(statuses(&h, 4), [Status::Verified, Status::Disputed, Status::Unreviewed, Status::Unreviewed]);
    chord(&mut h, CTRL, Key::Y);
    assert_eq!(statuses(&h, 4), [Status::Verified, Status::Disputed, Status::Unsourced, Status::Unreviewed]);
    chord(&mut h, CTRL_SHIFT, Key::Z);
    assert_eq!(statuses(&h, 4), [Status::Verified, Status::Disputed, Status::Unsourced, Status::Verified]);

    // The list: clicking a row selects its claim; the editor's status button sets it.
    click_row(&mut h, "Israel has sold more than $3 billion");
    assert!(selected_text(&h).starts_with("Israel has sold more than $3 billion"));
    click(&mut h, "U Unsourced (3)");

    // A note, typed into the labelled note field, is one undo step.
    click_row(&mut h, "Joseph Votel");
    press(&mut h, Key::N);
    h.get_by_label("Note (n)").type_text("Checked CENTCOM records.");
    h.run();
    press(&mut h, Key::Escape);
    assert_eq!(selected(&h).review.note, "Checked CENTCOM records.");
    let depth = h.state().session.as_ref().unwrap().history.depth();
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).review.note, "");
    assert_eq!(h.state().session.as_ref().unwrap().history.depth(), depth - 1, "the whole note was one step");
    chord(&mut h, CTRL_SHIFT, Key::Z);
    assert_eq!(selected(&h).review.note, "Checked CENTCOM records.");

    // A manual claim from a selection in the document pane.
    {
        let s = h.state_mut().session.as_mut().unwrap();
        let text = s.file.document.text.clone();
        let start = text.find("Israeli sailors have trained").unwrap();
        s.doc_selection = Some(claimdesk::Span::new(start, start + "Israeli sailors have trained".len()));
    }
    click(&mut h, "Add selected text as claim");
    assert!(selected(&h).is_manual());
    assert_eq!(selected_text(&h), "Israeli sailors have trained");

    // Save through the (scripted) dialog, then reopen the file: everything as left.
    let out = dir.path().join("review.json");
    dialogs.answer(&out);
    assert!(h.state().title().starts_with("● "), "the title marks unsaved work: {}", h.state().title());
    chord(&mut h, CTRL, Key::S);
    assert!(!h.state().is_dirty(), "{:?}", h.state().last_error);
    assert_eq!(h.state().title(), "review.json — ClaimDesk");
    h.get_by_label("Saved to review.json");
    let saved = file(&h).clone();

    let mut again = harness(ScriptedDialogs::new(), &dir.path().join("data2"));
    again.state_mut().open_path(&out);
    again.run();
    let reopened = file(&again);
    assert_eq!(reopened, &saved);
    assert!(reopened.claims.iter().any(|c| c.is_manual() && c.text == "Israeli sailors have trained"));
    assert_eq!(reopened.claims.iter().filter(|c| c.review.status == Status::Unsourced).count(), 2);
    assert!(reopened.claims.iter().any(|c| c.review.note == "Checked CENTCOM records."));
    // Reopened, the first claim is selected again, ready for the keys.
    assert!(selected_text(&again).starts_with("During his visit to Israel"));
}

#[test]
fn sources_are_added_edited_and_removed_each_undoable() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let id = selected(&h).id;

    click(&mut h, "Add source");
    let sources = &selected(&h).review.sources;
    assert_eq!(sources.len(), 1);
    let today = sources[0].accessed.clone().expect("the access date defaults to today");
    assert!(claimdesk::review::file::is_date(&today), "{today}");

    // The new source's URL field has focus: type the URL, then the quoted passage.
    let url = h.get_by_label("Source 1: URL or citation");
    assert!(url.is_focused(), "the new source's URL field is focused");
    url.type_text("https://www.wsj.com/articles/biden-israel-arab-air-defense");
    h.run();
    h.get_by_label("Quoted passage").focus();
    h.run();
    h.get_by_label("Quoted passage").type_text("officials said the talks were at an early stage");
    h.run();
    h.get_by_label("Accessed").focus();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Accessed").type_text("2024-05-01");
    h.run();
    press(&mut h, Key::Escape);
    let source = selected(&h).review.sources[0].clone();
    assert_eq!(source.reference, "https://www.wsj.com/articles/biden-israel-arab-air-defense");
    assert_eq!(source.quote, "officials said the talks were at an early stage");
    assert_eq!(source.accessed.as_deref(), Some("2024-05-01"));
    // An http(s) reference can be opened.
    h.get_by_label("Open");

    // Each field typed into is one undo step: the date, then the passage, then the URL, then the source itself.
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).review.sources[0].accessed.as_deref(), Some(today.as_str()));
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).review.sources[0].quote, "");
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).review.sources[0].reference, "");
    chord(&mut h, CTRL, Key::Z);
    assert!(selected(&h).review.sources.is_empty());
    for _ in 0..4 {
        chord(&mut h, CTRL_SHIFT, Key::Z);
    }
    assert_eq!(selected(&h).review.sources, vec![source.clone()]);

    // A second source, then remove the first: undo brings it back in its place.
    click(&mut h, "Add source");
    assert_eq!(selected(&h).review.sources.len(), 2);
    h.get_all_by_label("Remove source").next().unwrap().click();
    h.run();
    let left = &selected(&h).review.sources;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].reference, "");
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).review.sources[0], source);
    assert_eq!(selected(&h).id, id);
}

#[test]
fn split_at_the_cursor_merge_and_delete_from_the_document_and_editor() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let original = file(&h).clone();
    let first = selected(&h);
    assert!(h.get_by_label("Split at cursor").accesskit_node().is_disabled(), "no cursor in the document yet");

    // Click in the middle of the first claim in the document: the cursor lands there, and the claim splits there.
    paragraph(&h, &first.text).expect("the first paragraph is in view").click();
    h.run();
    let cursor = h.state().session.as_ref().unwrap().doc_cursor.expect("the click placed the cursor");
    assert!(cursor > first.span.start && cursor < first.span.end, "{cursor} in {:?}", first.span);
    click(&mut h, "Split at cursor");
    let left = selected(&h);
    assert!(left.is_manual());
    assert!(first.text.starts_with(&left.text) && left.text.len() < first.text.len(), "{}", left.text);
    assert_eq!(file(&h).claims.len(), original.claims.len() + 1);
    let right = shown(&h)[1].clone();
    assert!(first.text.ends_with(&right.text), "{}", right.text);
    assert!(claimdesk::review::file::validate(file(&h)).is_empty());

    // Merge the two halves back: one claim with the original text.
    click(&mut h, "Merge with next");
    assert_eq!(selected_text(&h), first.text);
    assert_eq!(file(&h).claims.len(), original.claims.len());
    chord(&mut h, CTRL, Key::Z);
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(file(&h), &original, "undoing the merge and the split restores the file");

    // Delete: the next claim is selected; undo restores the claim.
    let rows = list_rows(&h);
    press(&mut h, Key::Delete);
    assert_eq!(list_rows(&h), rows - 1);
    assert!(selected_text(&h).contains("Bahrain has been working"));
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(file(&h), &original);
    assert_eq!(selected(&h).id, first.id);
}

#[test]
fn clicking_a_highlight_selects_its_claim_and_the_list_scrolls_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness_sized(dialogs, &dir.path().join("data"), egui::vec2(1024.0, 560.0));
    h.run();
    click(&mut h, "Open the sample article");
    let claims = shown(&h);
    let last = claims.last().unwrap().clone();
    let text = file(&h).document.text.clone();
    let paragraph_of = |c: &Claim| {
        let start = text[..c.span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[c.span.end..].find('\n').map_or(text.len(), |i| c.span.end + i);
        text[start..end].trim_end_matches('\r').to_owned()
    };
    let last_paragraph = paragraph_of(&last);
    // Only paragraphs in view are laid out: the last one is not, at this size.
    assert!(paragraph(&h, &last_paragraph).is_none(), "the document starts at the top");

    // Choosing the last claim in the list scrolls the document to it. (The list, too, lays out only the rows in
    // view: search brings the last claim's row up.)
    let words: String = last.text.split_whitespace().skip(1).take(4).collect::<Vec<_>>().join(" ");
    chord(&mut h, CTRL, Key::F);
    h.get_by_label("Search:").type_text(&words);
    h.run();
    click_row(&mut h, &last.text[..30]);
    assert_eq!(selected(&h).id, last.id);
    assert!(paragraph(&h, &last_paragraph).is_some(), "the document scrolled to the selected claim");
    h.get_by_label("Search:").focus();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.key_press(Key::Backspace);
    h.run();
    press(&mut h, Key::Escape);

    // Clicking a highlight selects its claim, and the list shows it selected.
    let votel = claims.iter().find(|c| c.text.starts_with("Joseph Votel")).unwrap().clone();
    let votel_paragraph = paragraph_of(&votel);
    for _ in 0..20 {
        if paragraph(&h, &votel_paragraph).is_some() {
            break;
        }
        press(&mut h, Key::K);
    }
    paragraph(&h, &votel_paragraph).expect("Votel's paragraph is in view").click();
    h.run();
    assert_eq!(selected(&h).id, votel.id);
    let row =
        h.get_by(|n| n.role() == egui::Role::ListItem && n.label().is_some_and(|l| l.contains("Joseph Votel, a")));
    assert_eq!(row.accesskit_node().toggled(), Some(egui::accesskit::Toggled::True), "the list row is selected");
}

#[test]
fn the_threshold_slider_refilters_live_and_keeps_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let all = shown(&h);
    assert_eq!(list_rows(&h), all.len());
    // Review the lowest-scoring claim, then raise the threshold above it.
    let lowest = all.iter().min_by(|a, b| a.score.total_cmp(&b.score)).unwrap().clone();
    click_row(&mut h, &lowest.text[..30]);
    press(&mut h, Key::Num2);
    let mut scores: Vec<f32> = all.iter().map(|c| c.score).collect();
    scores.sort_by(f32::total_cmp);
    let threshold = ((scores[scores.len() / 2] * 100.0).round() / 100.0).max(lowest.score + 0.01);
    h.get_by_role_and_label(egui::Role::Slider, "Threshold:").set_value_accesskit(f64::from(threshold));
    h.run();
    assert!((file(&h).extractor.threshold - threshold).abs() < 1e-6);
    let expected = all.iter().filter(|c| c.score >= threshold || c.id == lowest.id).count();
    assert!(expected < all.len(), "the threshold hides some claims");
    assert_eq!(list_rows(&h), expected, "the list re-filters at once");
    assert_eq!(shown(&h).len(), expected);
    assert!(shown(&h).iter().any(|c| c.id == lowest.id), "a reviewed claim stays, whatever the threshold");
    assert_eq!(file(&h).claim(&lowest.id).unwrap().review.status, Status::Disputed);
    assert!(h.state().is_dirty(), "the threshold is saved with the review");

    // The threshold is undoable like any edit.
    chord(&mut h, CTRL, Key::Z);
    assert!((file(&h).extractor.threshold - all_threshold(&all, &h)).abs() < 1e-6);
    assert_eq!(list_rows(&h), all.len());
    assert_eq!(file(&h).claim(&lowest.id).unwrap().review.status, Status::Disputed);
}

/// The sample's threshold as extracted (the extractor's default).
fn all_threshold(_all: &[Claim], _h: &Harness<'_, App>) -> f32 {
    claimdesk::extract::Extractor::default().info().threshold
}

/// Two reviewers' files of the sample: `mine` by Alice and `bob`, with statuses on the first four claims.
fn reviewer_files(dir: &Path) -> (PathBuf, PathBuf) {
    let doc = claimdesk::document::load(&sample_path()).unwrap();
    let extractor = claimdesk::extract::Extractor::default();
    let sentences: Vec<_> = extractor.sentences(&doc.text).into_iter().filter(|s| !s.boilerplate).collect();
    let base = ReviewFile::new(&doc, extractor.info(), &sentences);
    let write = |name: &str, statuses: [Status; 4], notes: [&str; 4]| {
        let mut f = base.clone();
        let threshold = f.extractor.threshold;
        let mut shown: Vec<&mut Claim> = f.claims.iter_mut().filter(|c| c.score >= threshold).collect();
        shown.sort_by_key(|c| c.span.start);
        for ((c, status), note) in shown.into_iter().zip(statuses).zip(notes) {
            c.review.status = status;
            c.review.note = note.to_owned();
            c.review.reviewer = Some(name.to_owned());
        }
        let path = dir.join(format!("{}.json", name.to_lowercase()));
        claimdesk::review::file::save(&f, &path).unwrap();
        path
    };
    use Status::*;
    let mine = write("Alice", [Verified, Disputed, Unsourced, Verified], ["", "No second source", "", ""]);
    let bob =
        write("Bob", [Verified, Verified, Unsourced, Disputed], ["", "Times of Israel confirms", "", "Wrong exercise"]);
    (mine, bob)
}

#[test]
fn compare_reviewers_shows_agreement_and_settles_disagreements() {
    let dir = tempfile::tempdir().unwrap();
    let (mine, bob) = reviewer_files(dir.path());
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().open_path(&mine);
    h.run();
    menu(&mut h, "File", "Compare reviewers…");
    h.get_by_label("Add at least one other reviewer's review of this document.");

    // A file of another document is refused, naming both.
    let other_doc = dir.path().join("other.json");
    let doc = claimdesk::document::Document::from_text("other", "Sales rose 7% in 2021, the ministry said.");
    let ex = claimdesk::extract::Extractor::default();
    claimdesk::review::file::save(&ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text)), &other_doc).unwrap();
    dialogs.answer(&other_doc);
    click(&mut h, "Add a reviewer's file…");
    h.get_by_label_contains("reviews of different documents");
    click(&mut h, "Remove");

    // Bob's file, typed as a path.
    h.get_by_label("or its path:").focus();
    h.run();
    h.get_by_label("or its path:").type_text(&bob.display().to_string());
    h.run();
    click(&mut h, "Add");
    h.get_by_label("percent agreement 50.0%");
    h.get_by_label_contains("Cohen's κ");
    h.get_by_label("Disagreements: 2 (0 settled)");
    // Side by side: both reviewers' notes on the second claim.
    h.get_by_label("No second source");
    h.get_by_label("Times of Israel confirms");

    // Settle the first disagreement with Bob's verdict.
    let second = shown(&h)[1].clone();
    h.get_all_by_label("Use Bob's verdict").next().unwrap().click();
    h.run();
    let settled = file(&h).claim(&second.id).unwrap().review.clone();
    assert_eq!(settled.status, Status::Verified);
    assert_eq!(settled.note, "Times of Israel confirms");
    let provenance: Vec<(&str, Status)> =
        settled.verdicts.iter().map(|v| (v.reviewer.as_str(), v.review.status)).collect();
    assert_eq!(provenance, [("Alice", Status::Disputed), ("Bob", Status::Verified)]);
    h.get_by_label("Disagreements: 2 (1 settled)");
    h.get_by_label("percent agreement 50.0%");

    // Settle the second by writing a new verdict.
    let fourth = shown(&h)[3].clone();
    h.get_all_by_label("Unsourced").last().unwrap().click();
    h.run();
    h.get_all_by_label("note").last().unwrap().focus();
    h.run();
    h.get_all_by_label("note").last().unwrap().type_text("Neither account holds up");
    h.run();
    h.get_all_by_label("Settle with this verdict").last().unwrap().click();
    h.run();
    let review = file(&h).claim(&fourth.id).unwrap().review.clone();
    assert_eq!((review.status, review.note.as_str()), (Status::Unsourced, "Neither account holds up"));
    assert_eq!(review.verdicts.len(), 2);
    h.get_by_label("Disagreements: 2 (2 settled)");

    // Settling is undoable, dialog open or not.
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(file(&h).claim(&fourth.id).unwrap().review.status, Status::Verified);
    h.get_by_label("Disagreements: 2 (1 settled)");
    chord(&mut h, CTRL_SHIFT, Key::Z);
    click(&mut h, "Close");
    assert!(!h.state().compare_open());
    // Opened again, the comparison is still there.
    menu(&mut h, "File", "Compare reviewers…");
    h.get_by_label("Disagreements: 2 (2 settled)");
    press(&mut h, Key::Escape);
    assert!(!h.state().compare_open(), "Esc closes it");

    // Saved, the verdicts stay with the settled claims.
    chord(&mut h, CTRL, Key::S);
    let reloaded = claimdesk::review::file::load(&mine).unwrap();
    assert_eq!(reloaded.claim(&second.id).unwrap().review.verdicts.len(), 2);
    assert_eq!(reloaded.claim(&fourth.id).unwrap().review.status, Status::Unsourced);
}

#[test]
fn a_merged_file_is_settled_from_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let (alice, bob) = reviewer_files(dir.path());
    let files: Vec<ReviewFile> = [&alice, &bob].iter().map(|p| claimdesk::review::file::load(p).unwrap()).collect();
    let names = ["alice.json", "bob.json"];
    let inputs: Vec<claimdesk::merge::Input> =
        names.iter().zip(&files).map(|(name, file)| claimdesk::merge::Input { name, file }).collect();
    let merged = claimdesk::merge::merge(&inputs).unwrap().file;
    let path = dir.path().join("merged.json");
    claimdesk::review::file::save(&merged, &path).unwrap();

    let mut h = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    h.state_mut().open_path(&path);
    h.run();
    let second = shown(&h)[1].clone();
    assert_eq!(second.review.status, Status::Unreviewed, "a disagreement stays unreviewed in the merged file");
    press(&mut h, Key::J);
    h.get_by_label("The reviewers disagree: pick a verdict, or set the status.");
    click(&mut h, "Use Alice's verdict");
    let review = file(&h).claim(&second.id).unwrap().review.clone();
    assert_eq!((review.status, review.note.as_str()), (Status::Disputed, "No second source"));
    assert_eq!(review.verdicts.len(), 2, "every verdict is kept");
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(file(&h).claim(&second.id).unwrap().review, second.review);
}

#[test]
fn export_asks_for_the_fact_check_url_once_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, dialogs) = with_sample(dir.path());
    press(&mut h, Key::Num1);
    press(&mut h, Key::Num2);
    chord(&mut h, CTRL, Key::E);
    h.get_by_label("Export");
    click(&mut h, "ClaimReview JSON-LD (schema.org)");
    h.get_by_label("ClaimReview needs the URL where your fact-check is published.");
    assert!(h.get_by_label("Export 2 claims…").accesskit_node().is_disabled(), "no URL, no ClaimReview");
    h.get_by_label("Fact-check URL (required)").focus();
    h.run();
    h.get_by_label("Fact-check URL (required)").type_text("https://factcheck.example/2024/security-ties");
    h.run();
    h.get_by_label("Organisation (the reviews' author)").focus();
    h.run();
    h.get_by_label("Organisation (the reviews' author)").type_text("Example Fact Check");
    h.run();
    let out = dir.path().join("claims.jsonld");
    dialogs.answer(&out);
    click(&mut h, "Export 2 claims…");
    assert!(h.state().export.is_none(), "the dialog closes after exporting: {:?}", h.state().export);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let reviews: Vec<&serde_json::Value> = match &json {
        serde_json::Value::Array(a) => a.iter().collect(),
        other => other["@graph"].as_array().expect("an array or @graph").iter().collect(),
    };
    assert_eq!(reviews.len(), 2);
    for r in &reviews {
        assert_eq!(r["url"], "https://factcheck.example/2024/security-ties");
        assert_eq!(r["author"]["name"], "Example Fact Check");
    }
    let ratings: Vec<&str> = reviews.iter().map(|r| r["reviewRating"]["alternateName"].as_str().unwrap()).collect();
    assert_eq!(ratings, ["Verified", "Disputed"]);

    // Kept in the review file: the next export already has it.
    let publication = &file(&h).publication;
    assert_eq!(publication.fact_check_url.as_deref(), Some("https://factcheck.example/2024/security-ties"));
    assert_eq!(publication.organisation.as_deref(), Some("Example Fact Check"));
    chord(&mut h, CTRL, Key::E);
    let field = h.get_by_label("Fact-check URL (required)");
    assert_eq!(field.value().as_deref(), Some("https://factcheck.example/2024/security-ties"));
    press(&mut h, Key::Escape);
    assert!(h.state().export.is_none(), "Esc closes the dialog");

    // Other formats: all claims, as CSV.
    chord(&mut h, CTRL, Key::E);
    click(&mut h, "CSV");
    let n = file(&h).claims.len();
    click(&mut h, &format!("All claims, unreviewed ones too ({n})"));
    let csv = dir.path().join("claims.csv");
    dialogs.answer(&csv);
    click(&mut h, &format!("Export {n} claims…"));
    let rows = csv::Reader::from_path(&csv).unwrap().records().count();
    assert_eq!(rows, n);
}

#[test]
fn a_file_that_fails_to_load_shows_its_error_and_keeps_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, b"{ not json").unwrap();
    let (mut h, dialogs) = with_sample(dir.path());
    press(&mut h, Key::Num2);
    let before = file(&h).clone();
    // Open asks first because of unsaved work: save, then the bad file is chosen.
    let saved = dir.path().join("kept.json");
    dialogs.answer(&saved);
    dialogs.answer(&bad);
    chord(&mut h, CTRL, Key::O);
    h.get_by_label_contains("before opening another file?");
    click(&mut h, "Save");
    let err = h.state().open_error.clone().unwrap_or_default();
    assert!(err.contains("broken.json"), "{err}");
    assert_eq!(file(&h), &before);
    assert!(saved.exists());
    // The error is on screen where the reviewer looks: above the document, until dismissed.
    h.get_by_label("Could not open the file");
    h.get_by_label_contains("broken.json");
    click(&mut h, "Dismiss");
    assert!(h.query_by_label("Could not open the file").is_none());
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    assert!(!h.state().title().starts_with('●'));
    h.get_by_label("Not saved yet");
    press(&mut h, Key::Num1);
    assert!(h.state().title().starts_with("● "));
    h.get_by_label("Unsaved changes");
    chord(&mut h, CTRL, Key::W);
    h.get_by_label_contains("before closing the document?");
    // While asking, single keys do nothing.
    press(&mut h, Key::Num2);
    assert_eq!(statuses(&h, 2), [Status::Verified, Status::Unreviewed]);
    click(&mut h, "Cancel");
    assert!(h.state().session.is_some());
    chord(&mut h, CTRL, Key::W);
    click(&mut h, "Discard changes");
    assert!(h.state().session.is_none());
    // Back on the start screen, with the ways in.
    h.get_by_label("Open a document…");
    h.get_by_label("Open a review file…");
    h.get_by_label("Open the sample article");
}

#[test]
fn the_start_screen_lists_recent_files_and_opens_dropped_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let review = dir.path().join("kept.json");
    {
        let mut h = harness(ScriptedDialogs::new(), &data);
        h.run();
        // A file dropped onto the window opens.
        h.input_mut().dropped_files.push(Arc::new(Dropped(sample_path())));
        h.run();
        assert_eq!(file(&h).document.title, "israel-arab-security-ties");
        press(&mut h, Key::Num3);
        h.state_mut().dialogs = Box::new({
            let d = ScriptedDialogs::new();
            d.answer(&review);
            d
        });
        chord(&mut h, CTRL, Key::S);
        assert!(review.exists());
    }
    let mut h = harness(ScriptedDialogs::new(), &data);
    h.run();
    h.get_by_label("Recent files");
    click(&mut h, "kept.json");
    assert_eq!(file(&h).claims.iter().filter(|c| c.review.status == Status::Unsourced).count(), 1);
    h.get_by_label("Saved to kept.json");
}

/// A file dropped onto the window, as the windowing layer hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn help_overlay_lists_the_keyboard_contract_on_f1_and_question_mark() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    press(&mut h, Key::F1);
    assert!(h.state().help_open);
    h.get_by_label("Reviewing");
    for keys in ["j / Down", "k / Up", "1", "2", "3", "0", "n", "Esc", "Ctrl+Z", "Ctrl+Shift+Z / Ctrl+Y", "Ctrl+S"] {
        h.get_by_label(keys);
    }
    for keys in ["Ctrl+Shift+S", "Ctrl+O", "Ctrl+E", "Ctrl+F", "F1 / ?"] {
        h.get_by_label(keys);
    }
    press(&mut h, Key::F1);
    assert!(!h.state().help_open);
    // `?` typed as Shift+/ arrives as the `?` key and as text: one press opens the overlay, not two.
    h.event(egui::Event::Key {
        key: Key::Questionmark,
        physical_key: Some(Key::Slash),
        pressed: true,
        repeat: false,
        modifiers: Modifiers::SHIFT,
    });
    h.event(egui::Event::Text("?".to_owned()));
    h.run();
    assert!(h.state().help_open, "? opens the help");
    press(&mut h, Key::Escape);
    assert!(!h.state().help_open, "Esc closes it");
    // Typing `?` in a text field types it.
    chord(&mut h, CTRL, Key::F);
    h.event(egui::Event::Text("?".to_owned()));
    h.run();
    assert!(!h.state().help_open);
    assert_eq!(h.state().session.as_ref().unwrap().filter.search, "?");
}

#[test]
fn single_keys_wait_while_typing_and_search_filters_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let all = list_rows(&h);
    chord(&mut h, CTRL, Key::F);
    h.get_by_label("Search:").type_text("gantz");
    h.run();
    press(&mut h, Key::Num1);
    h.get_by_label("Search:").type_text("1");
    h.run();
    // "1" went into the field, not to the review.
    assert!(file(&h).claims.iter().all(|c| !c.review.is_reviewed()));
    assert_eq!(h.state().session.as_ref().unwrap().filter.search, "gantz1");
    h.key_press_modifiers(Modifiers::NONE, Key::Backspace);
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().filter.search, "gantz");
    let rows = list_rows(&h);
    assert!(rows >= 2 && rows < all, "{rows} of {all}");
    press(&mut h, Key::Escape);
    // Out of the field, keys act again: j goes to the first listed claim, 1 marks it.
    press(&mut h, Key::J);
    assert!(
        selected_text(&h).to_lowercase().contains("gantz") || selected(&h).source().unwrap_or("").contains("Gantz")
    );
    press(&mut h, Key::Num1);
    assert_eq!(file(&h).claims.iter().filter(|c| c.review.is_reviewed()).count(), 1);
}

#[test]
fn reviewer_name_theme_and_zoom_are_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    {
        let (mut h, _) = with_sample(dir.path());
        h.get_by_label("Reviewer:").focus();
        h.run();
        h.get_by_label("Reviewer:").type_text("Dana");
        h.run();
        press(&mut h, Key::Escape);
        press(&mut h, Key::Num1);
        assert_eq!(shown(&h)[0].review.reviewer.as_deref(), Some("Dana"));

        menu(&mut h, "View", "Theme: dark");
        assert_eq!(h.state().prefs.theme, ThemeChoice::Dark);
        assert_eq!(h.ctx.theme(), egui::Theme::Dark);
        menu(&mut h, "View", "Theme: light");
        assert_eq!(h.ctx.theme(), egui::Theme::Light);
        menu(&mut h, "View", "Theme: follow the system");
        assert_eq!(h.state().prefs.theme, ThemeChoice::System);
        menu(&mut h, "View", "Theme: dark");

        chord(&mut h, CTRL, Key::Equals);
        chord(&mut h, CTRL, Key::Plus);
        assert!((h.ctx.zoom_factor() - 1.2).abs() < 1e-3, "{}", h.ctx.zoom_factor());
        chord(&mut h, CTRL, Key::Minus);
        assert!((h.ctx.zoom_factor() - 1.1).abs() < 1e-3, "{}", h.ctx.zoom_factor());
        chord(&mut h, CTRL, Key::Num0);
        assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-3);
        chord(&mut h, CTRL, Key::Plus);
    }
    let h = harness(ScriptedDialogs::new(), &data);
    let prefs = &h.state().prefs;
    assert_eq!(prefs.reviewer, "Dana");
    assert_eq!(prefs.theme, ThemeChoice::Dark);
    assert!((prefs.zoom - 1.1).abs() < 1e-3);
}

#[test]
fn every_symbol_the_window_draws_has_a_glyph() {
    // egui's default fonts lack many symbols (▶, ●, ✓ …), which then show as boxes; these are the ones used.
    let mut h = Harness::new_ui(|ui| {
        ui.label("fonts");
    });
    h.run();
    for font in [egui::FontId::proportional(14.0), egui::FontId::monospace(14.0)] {
        for symbol in ["·", "—", "…", "‹", "›", "κ", "×"] {
            assert!(h.ctx.fonts_mut(|f| f.has_glyphs(&font, symbol)), "{symbol} missing in {font:?}");
        }
    }
}

/// `claimdesk DOC --review OUT.json` where OUT.json already holds a review: of the same text it is continued, of an
/// earlier version it is carried over (never replaced by a fresh extraction); detached claims are shown.
#[test]
fn a_bound_review_on_disk_is_continued_or_carried_over_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("review.json");
    let (mut h, _) = with_sample(dir.path());
    h.key_press(Key::Num1); // Verified, and on to the next claim.
    h.run();
    h.key_press(Key::Num3);
    h.run();
    let reviewed: Vec<Claim> = file(&h).claims.iter().filter(|c| c.review.is_reviewed()).cloned().collect();
    assert_eq!(reviewed.len(), 2);
    claimdesk::review::file::save(file(&h), &out).unwrap();

    // The same text: the review on disk is continued, as saved.
    let mut again = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    again.state_mut().open_bound(&sample_path(), &out);
    again.run();
    assert_eq!(file(&again), &claimdesk::review::file::load(&out).unwrap());
    assert!(!again.state().is_dirty());

    // A new version of the text, with the second reviewed claim rewritten: the first keeps its verdict, the second
    // is kept as detached and listed, and the file on disk is untouched until Ctrl+S.
    let before = std::fs::read(&out).unwrap();
    let original = std::fs::read_to_string(sample_path()).unwrap();
    let v2 = dir.path().join("article-v2.txt");
    std::fs::write(&v2, original.replace(&reviewed[1].text, "Bahrain declined to comment, officials said.")).unwrap();
    let mut carried = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    carried.state_mut().open_bound(&v2, &out);
    carried.run();
    assert!(carried.state().last_error.is_none(), "{:?}", carried.state().last_error);
    assert_eq!(file(&carried).claim(&reviewed[0].id).unwrap().review.status, reviewed[0].review.status);
    assert_eq!(file(&carried).detached.len(), 1);
    assert_eq!(file(&carried).detached[0].review.status, reviewed[1].review.status);
    assert!(carried.state().is_dirty());
    assert_eq!(std::fs::read(&out).unwrap(), before);
    carried.get_by_label("Detached claims (1)").click();
    carried.run();
    let _ = carried.get_by_label_contains("Their text is no longer in the document");
    carried.key_press_modifiers(CTRL, Key::S);
    carried.run();
    let saved = claimdesk::review::file::load(&out).unwrap();
    assert_eq!(saved.document.text, std::fs::read_to_string(&v2).unwrap());
    assert_eq!(saved.detached.len(), 1);

    // A bound path holding something that is not a review: an error, and the file is left alone.
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, b"not json").unwrap();
    let mut bad = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    bad.state_mut().open_bound(&sample_path(), &junk);
    assert!(bad.state().open_error.as_deref().unwrap().contains("junk.json"));
    assert!(bad.state().session.is_none());
    assert_eq!(std::fs::read(&junk).unwrap(), b"not json");
}

/// Without a file dialog (a bare desktop), a path typed on the start screen opens the file, and a save with no file
/// chosen says so instead of doing nothing.
#[test]
fn a_typed_path_opens_a_file_and_an_unchosen_save_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    h.run();
    h.get_by_label("or type a path:").click();
    h.run();
    h.get_by_label("or type a path:").type_text(sample_path().to_str().unwrap());
    h.run();
    h.get_by_label("Open path").click();
    h.run();
    assert!(h.state().open_error.is_none(), "{:?}", h.state().open_error);
    assert!(!file(&h).claims.is_empty());
    h.key_press(Key::Num1);
    h.run();
    h.key_press_modifiers(CTRL, Key::S); // No path bound, the dialog answers nothing.
    h.run();
    assert!(h.state().is_dirty());
    assert!(h.state().message.as_deref().unwrap().starts_with("Not saved: no file was chosen"));
}

#[test]
fn without_a_file_dialog_service_the_window_asks_for_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ScriptedDialogs::missing(), &dir.path().join("data"));
    h.run();

    // Open: Ctrl+O asks in the window; Esc leaves the question unanswered.
    chord(&mut h, CTRL, Key::O);
    h.get_by_label("Open a document or a review file");
    press(&mut h, Key::Escape);
    assert!(h.state().path_prompt.is_none(), "Esc closes the prompt");
    chord(&mut h, CTRL, Key::O);
    h.get_by_label("Path:").type_text(sample_path().to_str().unwrap());
    h.run();
    press(&mut h, Key::Enter);
    assert!(h.state().path_prompt.is_none());
    assert_eq!(file(&h).document.title, "israel-arab-security-ties");

    // Save as: the prompt starts from the suggested name; the typed path is where the review goes.
    press(&mut h, Key::Num1);
    chord(&mut h, CTRL_SHIFT, Key::S);
    let suggested = h.state().path_prompt.as_ref().expect("asked where").text.clone();
    assert!(suggested.ends_with("israel-arab-security-ties.review.json"), "{suggested}");
    let out = dir.path().join("typed.review.json");
    retype(&mut h, "Path:", out.to_str().unwrap());
    click(&mut h, "Save here");
    assert!(h.state().path_prompt.is_none());
    let saved = claimdesk::review::file::load(&out).expect("saved where typed");
    assert_eq!(saved.claims.iter().filter(|c| c.review.status == Status::Verified).count(), 1);
    assert!(!h.state().is_dirty());

    // Export: the same question, then the file.
    chord(&mut h, CTRL, Key::E);
    click(&mut h, "CSV");
    click(&mut h, "Export 1 claims…");
    h.get_by_label("Export to");
    let csv = dir.path().join("typed.csv");
    retype(&mut h, "Path:", csv.to_str().unwrap());
    click(&mut h, "Export here");
    assert!(h.state().export.is_none() && h.state().path_prompt.is_none());
    assert_eq!(csv::Reader::from_path(&csv).unwrap().records().count(), 1);

    // "Save your changes?" answered Save where the review has no file yet: the prompt asks where, and once the review
    // is saved there, what the question held back (here, closing the document) is carried out.
    assert!(!h.state().is_dirty(), "exporting changed nothing");
    chord(&mut h, CTRL, Key::W);
    assert!(h.state().session.is_none(), "a saved document closes without asking");
    chord(&mut h, CTRL, Key::O);
    h.get_by_label("Path:").type_text(sample_path().to_str().unwrap());
    h.run();
    press(&mut h, Key::Enter);
    press(&mut h, Key::Num2);
    chord(&mut h, CTRL, Key::W);
    click(&mut h, "Save");
    h.get_by_label("Once the review is saved there: closing the document.");
    assert!(h.state().session.is_some(), "nothing is closed before the review is saved");
    let kept = dir.path().join("kept.review.json");
    retype(&mut h, "Path:", kept.to_str().unwrap());
    click(&mut h, "Save here");
    let saved = claimdesk::review::file::load(&kept).expect("saved where typed");
    assert_eq!(saved.claims.iter().filter(|c| c.review.status == Status::Disputed).count(), 1);
    assert!(h.state().session.is_none(), "and then the document closed");
}

mod compare;
mod reading;
mod trust;

/// One rule for which sentences become claims: the window and `claimdesk extract -o` write the same claims for the
/// same document and settings.
#[test]
fn the_window_and_extract_write_the_same_claims() {
    let dir = tempfile::tempdir().unwrap();
    let from_cli = dir.path().join("cli.json");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["extract", sample_path().to_str().unwrap(), "--threshold", "0.5", "-o", from_cli.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let from_window = dir.path().join("window.json");
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().open_path(&sample_path());
    h.run();
    h.get_by_role_and_label(egui::Role::Slider, "Threshold:").set_value_accesskit(0.5);
    h.run();
    dialogs.answer(&from_window);
    chord(&mut h, CTRL, Key::S);
    let (cli, window) =
        (claimdesk::review::file::load(&from_cli).unwrap(), claimdesk::review::file::load(&from_window).unwrap());
    assert_eq!(window.claims, cli.claims);
    assert_eq!(window.extractor, cli.extractor);
    assert!(cli.claims.iter().any(|c| c.score < cli.extractor.threshold), "both keep the sentences below it");
    // And the claims at the threshold are what the window lists.
    assert_eq!(list_rows(&h), cli.claims_at_threshold().count());
}
mod memory;
