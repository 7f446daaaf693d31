//! Headless frame time of the real workbench UI (egui pass plus tessellation, no GPU) on a 2 MB document with more
//! than 10,000 claims: an idle frame, a scrolling frame, and selecting a claim far down the document.
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

impl Bench {
    fn new() -> Self {
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
        app.session = Some(Session::new(file, None, &dir.path().join("recovery")));
        let mut b = Self { ctx: egui::Context::default(), app, _dir: dir, far, flip: 0 };
        for _ in 0..3 {
            b.frame(Vec::new());
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
}

criterion_group!(benches, frames);
criterion_main!(benches);
