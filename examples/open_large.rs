//! Open a generated 2 MB document in the real app, headlessly: time to the first frame (extraction running in the
//! background with progress), time until the claims are in, and the peak memory of the process.
//!
//! `cargo run --release --example open_large [-- MEGABYTES]`

use std::time::{Duration, Instant};

use claimdesk::document::Document;
use claimdesk::gui::App;
use claimdesk::gui::dialogs::ScriptedDialogs;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let mb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2);
    let text = claimdesk::corpus::generate(3, mb * 1024 * 1024);
    let dir = std::env::temp_dir().join(format!("claimdesk-open-large-{}", std::process::id()));
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0))),
        ..Default::default()
    };
    let start = Instant::now();
    let mut app = App::new(Box::new(ScriptedDialogs::new()), dir.clone());
    app.start_extraction(Document::from_text("large", text), None);
    let frame = |app: &mut App| {
        let out = ctx.run_ui(input(), |ui| {
            claimdesk::gui::view::draw(app, ui);
            app.apply_pending();
        });
        ctx.tessellate(out.shapes, out.pixels_per_point);
    };
    frame(&mut app);
    let first_frame = start.elapsed();
    while app.session.is_none() {
        std::thread::sleep(Duration::from_millis(5));
        frame(&mut app);
    }
    let loaded = start.elapsed();
    frame(&mut app);
    let claims = app.session.as_ref().map_or(0, |s| s.file.claims.len());
    println!("document: {:.1} MB, {claims} sentences kept", mb as f64);
    println!("first frame: {:.0} ms (extraction in the background, progress shown)", first_frame.as_secs_f64() * 1e3);
    println!("claims in the window: {:.0} ms", loaded.as_secs_f64() * 1e3);
    println!("peak memory (VmHWM): {:.0} MB", peak_rss_mb());
    let _ = std::fs::remove_dir_all(dir);
}
