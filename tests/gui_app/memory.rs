//! Claim memory in the desk: what was checked before, beside the claim, reused in one key; every verdict remembered.

use super::*;
use claimdesk::library::{ImportOptions, Library};
use claimdesk::review::ClaimId;

/// A feed of earlier fact-checks: one repeats a claim of the sample in other words, the others are about other
/// things.
const FEED: &str = "id,claim,verdict,url,date,organisation\n\
    fc-1,\"Israel has sold more than $3 billion worth of arms to Gulf nations, Gantz says\",True,https://factcheck.example/gantz-arms,2022-07-01,Example Checks\n\
    fc-2,Bananas are the most eaten fruit in Norway,False,https://factcheck.example/bananas,2021-03-02,Example Checks\n\
    fc-3,The moon landing was filmed in a studio in 1969,False,https://factcheck.example/moon,2020-01-01,Example Checks\n";

/// A library in `data/library` holding the feed, embedded by the matcher.
fn library_with_feed(dir: &Path) -> PathBuf {
    let feed = dir.join("feed.csv");
    std::fs::write(&feed, FEED).unwrap();
    let folder = dir.join("data").join("library");
    let matcher = claimdesk::library::search::Matcher::load().unwrap();
    let mut library = Library::open(&folder).unwrap();
    let options = ImportOptions { source_name: None, embedder: Some(&matcher) };
    library.import(&[feed], &options, &mut |_| {}).unwrap();
    folder
}

/// Step the window until the library has said how a save's sync went (a condition, with a deadline).
fn wait_for_word_from_library(h: &mut Harness<'_, App>) {
    let start = std::time::Instant::now();
    while h.state().memory.last.is_none() {
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "no word from the library");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Step the window until claim memory has answered (a condition, with a deadline).
fn wait_for_memory(h: &mut Harness<'_, App>) {
    let start = std::time::Instant::now();
    loop {
        h.step();
        let m = &h.state().memory;
        if !m.matching && m.status != claimdesk::gui::memory::MemoryStatus::Starting {
            break;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(120), "claim memory did not answer");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
}

#[test]
fn what_was_checked_before_shows_beside_the_claim_and_u_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    library_with_feed(dir.path());
    let (mut h, _) = with_sample(dir.path());
    wait_for_memory(&mut h);
    click_row(&mut h, "Israel has sold more than $3 billion");
    let claim = selected(&h);
    // The earlier fact-check, its verdict, where it is, and the way to reuse it.
    h.get_by_label("Checked before");
    h.get_by_label_contains("% similar");
    h.get_by_label_contains("Israel has sold more than $3 billion worth of arms");
    h.get_by_label_contains("Checked by Example Checks on 2022-07-01, from the feed feed.csv");
    h.get_by_label("Open the fact-check");
    // In the list: the mark, and the "checked before" filter: exactly the claims with a strong match (0.5 or more),
    // the reworded one among them.
    let strong: Vec<ClaimId> = {
        let s = h.state().session.as_ref().unwrap();
        let mut ids: Vec<ClaimId> =
            s.match_strength.iter().filter(|(_, m)| **m >= 0.5).map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids
    };
    assert!(strong.contains(&claim.id), "the reworded claim is checked before");
    click(&mut h, "checked before");
    assert_eq!(list_rows(&h), strong.len(), "only the claims checked before");
    let marked = h
        .query_all_by_role(egui::Role::ListItem)
        .filter(|n| n.accesskit_node().label().is_some_and(|l| l.contains("checked before")))
        .count();
    assert_eq!(marked, strong.len(), "each carries the mark");
    click(&mut h, "checked before");

    // u: the earlier verdict ("True" reads as verified), its note and link, recorded as what it was based on.
    click_row(&mut h, "Israel has sold more than $3 billion");
    press(&mut h, Key::U);
    let reused = file(&h).claim(&claim.id).unwrap().review.clone();
    assert_eq!(reused.status, Status::Verified);
    assert!(reused.note.starts_with("Checked before: feed.csv (True)"), "{}", reused.note);
    assert!(reused.sources.iter().any(|s| s.reference == "https://factcheck.example/gantz-arms"));
    let based = reused.based_on.as_deref().expect("based on the entry");
    assert_eq!((based.id.as_str(), based.url.as_deref()), ("fc-1", Some("https://factcheck.example/gantz-arms")));
    assert_ne!(selected(&h).id, claim.id, "and on to the next claim, as 1 to 3 do");
    // One undoable step.
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(file(&h).claim(&claim.id).unwrap().review.status, Status::Unreviewed);
    assert!(file(&h).claim(&claim.id).unwrap().review.based_on.is_none());

    // A wrong match dismissed for this claim is not offered again (and the dismissal is undoable).
    click_row(&mut h, "Israel has sold more than $3 billion");
    h.get_all_by_label("Not this claim").next().unwrap().click();
    h.run();
    assert_eq!(file(&h).claim(&claim.id).unwrap().dismissed.len(), 1);
    assert!(h.query_by_label_contains("$3 billion worth of arms").is_none(), "not offered again");
    chord(&mut h, CTRL, Key::Z);
    assert!(file(&h).claim(&claim.id).unwrap().dismissed.is_empty());
    h.get_by_label("Use this verdict (u)");
}

/// With nothing in the library, the editor says so (and no model is loaded to say it).
#[test]
fn an_empty_library_says_nothing_similar_was_checked_before() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    wait_for_memory(&mut h);
    h.get_by_label("Nothing similar checked before");
    press(&mut h, Key::U);
    // Said as a notice, not an error: nothing went wrong.
    h.get_by_label_contains("Nothing checked before to reuse for this claim");
    assert_eq!(h.state().last_error, None);
    assert_eq!(statuses(&h, 1), [Status::Unreviewed], "u did nothing");
}

#[test]
fn every_verdict_saved_is_remembered_in_the_library_per_reviewer() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data").join("library");
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().prefs.reviewer = "Dana".into();
    h.state_mut().open_path(&sample_path());
    h.run();
    press(&mut h, Key::Num1);
    press(&mut h, Key::Num2);
    dialogs.answer(dir.path().join("mine.review.json"));
    chord(&mut h, CTRL, Key::S);
    wait_for_word_from_library(&mut h);
    h.run();
    let entries = Library::open(&folder).unwrap().list().unwrap();
    assert_eq!(entries.len(), 2, "both verdicts");
    assert!(entries.iter().all(|e| e.record.author.as_deref() == Some("Dana")));
    // Setting one back to unreviewed and saving removes its entry.
    let first: String = shown(&h)[0].text.chars().take(20).collect();
    click_row(&mut h, &first);
    press(&mut h, Key::Num0);
    h.state_mut().memory.last = None;
    chord(&mut h, CTRL, Key::S);
    wait_for_word_from_library(&mut h);
    assert_eq!(Library::open(&folder).unwrap().list().unwrap().len(), 1);
}

#[test]
fn a_library_that_cannot_be_opened_is_one_line_and_the_desk_works_on() {
    let dir = tempfile::tempdir().unwrap();
    // Where the library's folder should be, a file.
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data").join("library"), b"not a folder").unwrap();
    let (mut h, _) = with_sample(dir.path());
    wait_for_memory(&mut h);
    h.get_by_label_contains("Claim memory off");
    press(&mut h, Key::Num1);
    assert_eq!(statuses(&h, 1), [Status::Verified], "the desk works on");
}

/// A shared library's URL typed with a password: used for this run, remembered without it, never shown; a server
/// that cannot be reached is one line, and the desk works on.
#[test]
fn a_servers_password_is_never_shown_or_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    wait_for_memory(&mut h);
    // Port 1: nothing listens there.
    let url = std::path::PathBuf::from("postgres://alice:s3cret-pw@127.0.0.1:1/newsroom");
    h.state_mut().push(claimdesk::gui::commands::Command::UseLibrary(Some(url)));
    h.state_mut().push(claimdesk::gui::commands::Command::OpenLibrary);
    h.run();
    wait_for_memory(&mut h);
    h.get_by_label_contains("Server: postgres://alice@127.0.0.1:1/newsroom");
    let remembered = h.state().prefs.library.clone().expect("the library chosen is remembered");
    assert_eq!(remembered, std::path::PathBuf::from("postgres://alice@127.0.0.1:1/newsroom"));
    h.state_mut().save_prefs();
    let everything_on_disk = pg::files_under(dir.path());
    assert!(!everything_on_disk.is_empty());
    for path in everything_on_disk {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("s3cret-pw"), "{} holds the password", path.display());
    }
    let labels = texts(&h);
    assert!(labels.iter().any(|l| l.starts_with("Server: ")), "the texts are read: {labels:?}");
    assert!(labels.iter().all(|l| !l.contains("s3cret-pw")), "{labels:?}");
    assert!(h.state().memory.last.as_deref().is_none_or(|l| !l.contains("s3cret-pw")));
    if let claimdesk::gui::memory::MemoryStatus::Off(why) = &h.state().memory.status {
        assert!(!why.contains("s3cret-pw"), "{why}");
    }
    press(&mut h, Key::Escape);
    press(&mut h, Key::Num1);
    assert_eq!(statuses(&h, 1), [Status::Verified], "the desk works on");
}

/// Every text on screen: each node's value, else its label (a text label's words are its value, a button's its label).
fn texts(h: &Harness<'_, App>) -> Vec<String> {
    h.query_all_by(|_| true)
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.value().or(node.label())
        })
        .collect()
}

#[path = "../common/pg.rs"]
mod pg;

/// A throwaway cluster with a database `news` holding ClaimDesk's tables and roles (`library setup-roles`), and the
/// logins `sql` creates; with the administrator's URL. `None` (SKIPPED) without PostgreSQL.
fn newsroom(test: &str, sql: &str) -> Option<(pg::Cluster, String)> {
    let cluster = pg::Cluster::start(test)?;
    cluster.create_db("news");
    let admin = cluster.admin_url("news");
    let roles = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["library", "--library", &admin, "setup-roles"])
        .output()
        .unwrap();
    assert!(roles.status.success(), "{}", String::from_utf8_lossy(&roles.stderr));
    cluster.psql("postgres", sql);
    Some((cluster, admin))
}

/// A newsroom's shared library on a real PostgreSQL server: a reader's window saves the review file and says in one
/// line that its verdicts were not shared; a reviewer's window whose server goes away says so in one line, keeps its
/// save queued, and the desk works on. Without PostgreSQL installed it prints SKIPPED (a failure with
/// `CLAIMDESK_REQUIRE_POSTGRES=1`, as CI sets).
#[test]
fn a_shared_library_that_refuses_a_reader_or_goes_away_is_one_line() {
    let test = "a_shared_library_that_refuses_a_reader_or_goes_away_is_one_line";
    let Some((cluster, admin)) = newsroom(test, "CREATE ROLE rita LOGIN PASSWORD 'rita-pw' IN ROLE claimdesk_reader;")
    else {
        return;
    };

    // A reader: the review is saved; the library says in one line it did not take the verdicts.
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().prefs.reviewer = "Rita".into();
    h.state_mut().use_library_given(PathBuf::from(cluster.url_with_password("rita", "rita-pw", "news")));
    h.state_mut().open_path(&sample_path());
    h.run();
    wait_for_memory(&mut h);
    press(&mut h, Key::Num1);
    let saved = dir.path().join("rita.review.json");
    dialogs.answer(saved.clone());
    chord(&mut h, CTRL, Key::S);
    wait_for_word_from_library(&mut h);
    h.run();
    assert_eq!(claimdesk::review::file::load(&saved).unwrap().reviewed(), 1, "the review file is saved");
    h.get_by_label_contains("were not added to the library");
    assert!(h.state().memory.last.as_deref().is_some_and(|l| !l.contains("rita-pw")));
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM claimdesk_entries"), "0");

    // A reviewer whose server goes away: one line says so; the save is kept to send later; the desk works on.
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().prefs.reviewer = "Dana".into();
    h.state_mut().use_library_given(PathBuf::from(admin.clone()));
    h.state_mut().open_path(&sample_path());
    h.run();
    wait_for_memory(&mut h);
    assert_eq!(h.state().memory.notice, None, "online: nothing to say");
    cluster.stop();
    press(&mut h, Key::Num2);
    dialogs.answer(dir.path().join("dana.review.json"));
    chord(&mut h, CTRL, Key::S);
    let start = std::time::Instant::now();
    while h.state().memory.notice.is_none() {
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "no word that the server is gone");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    let notice = h.state().memory.notice.clone().unwrap();
    eprintln!("the status bar says: {notice}");
    h.get_by_label_contains(&notice);
    assert!(!notice.contains(pg::ADMIN_PASSWORD), "{notice}");
    press(&mut h, Key::Num1);
    assert_eq!(h.state().session.as_ref().unwrap().file.reviewed(), 2, "the desk works on");
}

/// A shared library whose server asks for a password none was given (no `PGPASSWORD`, no `~/.pgpass` line): File >
/// Library asks for it; typed there, it connects for this run, and is kept nowhere (not in the preferences, not on
/// screen).
#[test]
fn the_window_asks_for_the_shared_librarys_password() {
    assert!(std::env::var_os("PGPASSWORD").is_none(), "unset PGPASSWORD to run this test: it needs no password given");
    let test = "the_window_asks_for_the_shared_librarys_password";
    let login = "CREATE ROLE alice LOGIN PASSWORD 'al:ice@pw/1' IN ROLE claimdesk_reviewer;";
    let Some((cluster, _)) = newsroom(test, login) else { return };

    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().prefs.reviewer = "Alice".into();
    h.state_mut().open_path(&sample_path());
    h.run();
    let url = PathBuf::from(cluster.url("alice", "news"));
    h.state_mut().push(claimdesk::gui::commands::Command::UseLibrary(Some(url.clone())));
    h.state_mut().push(claimdesk::gui::commands::Command::OpenLibrary);
    h.run();
    let start = std::time::Instant::now();
    while !h.state().memory.needs_password {
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "no password asked for");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    let field = h.get_by_label("The server asks for a password:");
    field.click();
    h.run();
    h.get_by_label("The server asks for a password:").type_text("al:ice@pw/1");
    h.run();
    h.get_by_label("Connect").click();
    h.run();
    wait_for_memory(&mut h);
    assert!(!h.state().memory.needs_password);
    assert_eq!(h.state().memory.status, claimdesk::gui::memory::MemoryStatus::Ready, "connected");
    h.get_by_label_contains(&format!("Server: {}", url.display()));
    // Kept nowhere: the preferences hold the URL as typed (no password), nothing on screen or disk holds it.
    assert_eq!(h.state().prefs.library.as_deref(), Some(url.as_path()));
    h.state_mut().save_prefs();
    for path in pg::files_under(dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("al:ice@pw/1"), "{} holds the password", path.display());
    }
    let labels = texts(&h);
    assert!(labels.iter().any(|l| l.starts_with("Server: ")), "the texts are read: {labels:?}");
    assert!(labels.iter().all(|l| !l.contains("al:ice@pw") && !l.contains("al%3Aice")), "{labels:?}");
}

/// Several reviewers' verdicts on one earlier claim are all shown, the newest first.
#[test]
fn several_reviewers_verdicts_on_one_claim_show_the_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let sample = claimdesk::document::load(&sample_path()).unwrap();
    let ex = claimdesk::extract::Extractor::default();
    let folder = dir.path().join("data").join("library");
    let matcher = claimdesk::library::search::Matcher::load().unwrap();
    let mut library = Library::open(&folder).unwrap();
    let mut files = Vec::new();
    for (who, status, when) in [
        ("alice", Status::Verified, "2024-01-01T10:00:00Z"),
        ("carol", Status::Unsourced, "2026-03-01T10:00:00Z"),
        ("bob", Status::Disputed, "2025-01-01T10:00:00Z"),
    ] {
        let mut file = ReviewFile::extract(&sample, &ex);
        file.claims[0].review.status = status;
        file.claims[0].review.reviewer = Some(who.to_owned());
        file.claims[0].review.changed = Some(when.to_owned());
        let path = dir.path().join(format!("{who}.json"));
        claimdesk::review::file::save(&file, &path).unwrap();
        files.push(path);
    }
    let first_claim = ReviewFile::extract(&sample, &ex).claims[0].text.clone();
    let options = ImportOptions { source_name: None, embedder: Some(&matcher) };
    library.import(&files, &options, &mut |_| {}).unwrap();
    // Another document repeating that claim word for word.
    let other = dir.path().join("other.txt");
    std::fs::write(&other, format!("{first_claim}\n\nImports fell by $3 billion in 2022.\n")).unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs, &dir.path().join("data"));
    h.state_mut().open_path(&other);
    h.run();
    wait_for_memory(&mut h);
    click_row(&mut h, &first_claim.chars().take(30).collect::<String>());
    let mut who: Vec<String> = texts(&h)
        .iter()
        .filter(|t| t.starts_with("Checked by "))
        .map(|l| l.split_whitespace().nth(2).unwrap_or("").to_owned())
        .collect();
    who.dedup(); // a label's node and its text run's
    assert_eq!(who, ["carol", "bob", "alice"], "newest first");
    // The same claim: one similarity for all three.
    let s = h.state().session.as_ref().unwrap();
    let shown = h.state().memory.shown_for(s.selected.as_ref().unwrap(), &[]);
    assert!(
        shown.windows(2).all(|w| w[0].score == w[1].score),
        "{:?}",
        shown.iter().map(|f| f.score).collect::<Vec<_>>()
    );
}
