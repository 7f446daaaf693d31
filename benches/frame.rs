//! Headless frame time of the real workbench UI (egui pass plus tessellation, no GPU) on a 2 MB document with more
//! than 10,000 claims: an idle frame, a scrolling frame, and selecting a claim far down the document; then the same
//! three with claim memory on: a library of 14,000 fact-checks, the window's matcher thread working through the
//! document's claims in the background while the frames are measured (its answers arriving between frames), and
//! the selected claim's "Checked before" section drawn.
//!
//! The library's entries are 1,000 distinct sentences of another generated corpus (similar, not equal, to the
//! document's), each under 14 ids, embedded by the real matcher (once per distinct sentence: embedding 14,000 would
//! add minutes to the setup and change nothing a frame does). Queries are embedded by the real matcher, on the
//! memory thread.
//!
//! Criterion reports the mean and median; the percentiles are measured by a plain loop of 300 frames per case and
//! printed first, since criterion does not report a 99th percentile.

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::gui::App;
use claimdesk::gui::app::Session;
use claimdesk::gui::commands::Command;
use claimdesk::gui::dialogs::ScriptedDialogs;
use claimdesk::library::Embedder;
use claimdesk::review::ReviewFile;

struct Bench {
    ctx: egui::Context,
    app: App,
    _dir: tempfile::TempDir,
    far: [claimdesk::review::ClaimId; 2],
    flip: usize,
}

fn input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0))),
        events,
        ..Default::default()
    }
}

/// The matcher's embedder, remembering what it embedded: the library repeats each distinct sentence under several
/// ids, and each is embedded once.
struct Remembering {
    matcher: claimdesk::library::search::Matcher,
    seen: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl Embedder for Remembering {
    fn model(&self) -> &str {
        self.matcher.model()
    }

    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>> {
        let mut seen = self.seen.lock().unwrap();
        let new: Vec<(&str, Option<&str>)> = texts.iter().filter(|(c, _)| !seen.contains_key(*c)).copied().collect();
        for ((claim, _), v) in new.iter().zip(self.matcher.embed(&new)) {
            seen.insert((*claim).to_owned(), v);
        }
        texts.iter().map(|(claim, _)| seen[*claim].clone()).collect()
    }
}

/// A library of `n` fact-checks in `dir/library`: 1,000 sentences of another generated corpus, repeated under new
/// ids, with verdicts, URLs and dates.
fn library(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    const DISTINCT: usize = 1_000;
    let text = claimdesk::corpus::generate(11, 512 * 1024);
    let ex = Extractor::default();
    let sentences: Vec<&str> = ex
        .sentences(&text)
        .into_iter()
        .filter(|s| !s.boilerplate)
        .map(|s| &text[s.span.range()])
        .take(DISTINCT)
        .collect();
    assert_eq!(sentences.len(), DISTINCT, "the corpus has {DISTINCT} sentences");
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["id", "claim", "verdict", "url", "date"]).unwrap();
    for (i, claim) in sentences.iter().cycle().take(n).enumerate() {
        let verdict = ["False", "True", "Mostly false", "Misleading"][i % 4];
        let url = format!("https://factcheck.example/{i}");
        csv.write_record([&i.to_string(), *claim, verdict, &url, "2024-01-01"]).unwrap();
    }
    let feed = dir.join("feed.csv");
    std::fs::write(&feed, csv.into_inner().unwrap()).unwrap();
    let folder = dir.join("library");
    let mut lib = claimdesk::library::Library::open(&folder).unwrap();
    let embedder =
        Remembering { matcher: claimdesk::library::search::Matcher::load().unwrap(), seen: Default::default() };
    let options = claimdesk::library::ImportOptions { source_name: None, embedder: Some(&embedder) };
    lib.import(&[feed], &options, &mut |_| {}).unwrap();
    assert_eq!(lib.stats().unwrap().entries as usize, n);
    folder
}

impl Bench {
    fn new() -> Self {
        Self::with_memory(None)
    }

    /// The bench, with claim memory on a library of `entries` fact-checks when given; it waits until the matcher is
    /// under way (its first answers are in), so the frames measured are those of a window whose memory is working.
    fn with_memory(entries: Option<usize>) -> Self {
        let text = claimdesk::corpus::generate(3, 2 * 1024 * 1024);
        let doc = Document::from_text("bench", text);
        let ex = Extractor::default();
        let sentences: Vec<_> = ex.sentences(&doc.text).into_iter().filter(|s| !s.boilerplate).collect();
        let file = ReviewFile::new(&doc, ex.info(), &sentences);
        let shown = file.claims.iter().filter(|c| c.score >= file.extractor.threshold).count();
        assert!(shown >= 10_000, "the 2 MB document must show at least 10,000 claims, got {shown}");
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut app = App::new(Box::new(ScriptedDialogs::new()), dir.path().to_path_buf());
        let n = file.claims.len();
        let far = [file.claims[n - 10].id.clone(), file.claims[n - 400].id.clone()];
        let far = match entries {
            Some(entries) => {
                app.memory = claimdesk::gui::memory::Memory::start(library(dir.path(), entries), dir.path());
                app.memory.match_file(&file);
                // Between a claim answered first (its "Checked before" section full) and one far down.
                [file.claims[1].id.clone(), far[0].clone()]
            }
            None => far,
        };
        app.session = Some(Session::new(file, None, &dir.path().join("recovery")));
        let mut b = Self { ctx: egui::Context::default(), app, _dir: dir, far, flip: 0 };
        for _ in 0..3 {
            b.frame(Vec::new());
        }
        if entries.is_some() {
            let start = Instant::now();
            while b.app.session.as_ref().is_none_or(|s| s.match_strength.is_empty()) {
                assert!(start.elapsed().as_secs() < 300, "claim memory gave no answer in 5 minutes");
                std::thread::sleep(std::time::Duration::from_millis(50));
                b.frame(Vec::new());
            }
        }
        b
    }

    fn frame(&mut self, events: Vec<egui::Event>) -> usize {
        let app = &mut self.app;
        let out = self.ctx.run_ui(input(events), |ui| {
            claimdesk::gui::view::draw(app, ui);
            app.apply_pending();
        });
        self.ctx.tessellate(out.shapes, out.pixels_per_point).len()
    }

    fn idle(&mut self) -> usize {
        self.frame(Vec::new())
    }

    fn scroll(&mut self) -> usize {
        self.flip += 1;
        let dy = if self.flip % 40 < 20 { -120.0 } else { 120.0 };
        let events = vec![
            egui::Event::PointerMoved(egui::pos2(700.0, 450.0)),
            egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, dy),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            },
        ];
        self.frame(events)
    }

    fn select_far(&mut self) -> usize {
        self.flip += 1;
        let id = self.far[self.flip % 2].clone();
        self.app.push(Command::Select(id));
        self.app.apply_pending();
        self.frame(Vec::new())
    }
}

fn percentiles(name: &str, b: &mut Bench, f: fn(&mut Bench) -> usize) {
    let mut times: Vec<f64> = (0..300)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f(b));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!("frame/{name}: median {:.2} ms, p99 {:.2} ms, max {:.2} ms (300 frames)", p(0.5), p(0.99), p(1.0));
}

fn frames(c: &mut Criterion) {
    let mut b = Bench::new();
    percentiles("idle", &mut b, Bench::idle);
    percentiles("scroll", &mut b, Bench::scroll);
    percentiles("select_far", &mut b, Bench::select_far);
    let mut group = c.benchmark_group("frame_2MB");
    group.sample_size(30);
    group.bench_function("idle", |x| x.iter(|| b.idle()));
    group.bench_function("scroll", |x| x.iter(|| b.scroll()));
    group.bench_function("select_far", |x| x.iter(|| b.select_far()));
    group.finish();
    drop(b);

    let mut b = Bench::with_memory(Some(14_000));
    percentiles("library_on/idle", &mut b, Bench::idle);
    percentiles("library_on/scroll", &mut b, Bench::scroll);
    percentiles("library_on/select_far", &mut b, Bench::select_far);
    let (answered, claims) = (b.app.memory.matches.len(), b.app.session.as_ref().map_or(0, |s| s.file.claims.len()));
    println!("frame/library_on: {answered} of {claims} claims answered by then (matching: {})", b.app.memory.matching);
    let mut group = c.benchmark_group("frame_2MB_library_14000");
    group.sample_size(30);
    group.bench_function("idle", |x| x.iter(|| b.idle()));
    group.bench_function("scroll", |x| x.iter(|| b.scroll()));
    group.bench_function("select_far", |x| x.iter(|| b.select_far()));
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
