//! The ClaimDesk window: eframe glue around [`app::App`].
//!
//! - [`commands`]: the command table that drives menus, shortcuts and the help overlay;
//! - [`app`]: the state and the one place commands are applied (undoable review edits go through
//!   `review::edit::History`);
//! - [`view`]: drawing, which only emits commands;
//! - [`dialogs`]: file dialogs behind a trait, so tests answer them.

pub mod app;
pub mod commands;
pub mod compare;
pub mod dialogs;
pub mod files;
pub mod memory;
pub mod persist;
pub mod session;
pub mod view;

use std::path::PathBuf;

pub use app::App;

/// How the window was started, beside the file: `--library` and `--no-remember`.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub library: Option<PathBuf>,
    /// `false` with `--no-remember`.
    pub remember: bool,
}

/// Open the window, optionally on `file` (a document or a review file), binding saves to `review_out`.
pub fn run(file: Option<PathBuf>, review_out: Option<PathBuf>, options: RunOptions) -> anyhow::Result<()> {
    let mut app = App::new(Box::new(dialogs::NativeDialogs::default()), App::default_data_dir());
    app.remember_off = !options.remember;
    if let Some(library) = options.library {
        app.use_library_given(library);
    }
    if let Some(path) = &file {
        match &review_out {
            Some(out) => app.open_bound(path, out),
            None => app.open_path(path),
        }
        if let Some(err) = app.open_error.take() {
            // A file named on the command line that cannot be opened is bad input: say so and stop.
            anyhow::bail!(err);
        }
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(app.title())
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native("ClaimDesk", options, Box::new(|_cc| Ok(Box::new(Window { app, title: String::new() }))))
        .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// eframe's view of the app.
struct Window {
    app: App,
    title: String,
}

impl eframe::App for Window {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let app = &mut self.app;
        // (Dropped files are handled by `view::draw`, so the headless tests see them too.)
        // Closing with unsaved changes asks first.
        if ctx.input(|i| i.viewport().close_requested()) && !app.allow_close {
            if app.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                app.push(commands::Command::Quit);
            } else {
                app.allow_close = true;
            }
        }
        if app.quit_requested {
            app.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        app.autosave(std::time::Instant::now());
        app.save_prefs();
        let title = app.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        // Autosave needs a frame now and then even when nothing moves.
        ctx.request_repaint_after(app::AUTOSAVE_EVERY);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        view::apply_prefs(&self.app, ui.ctx());
        view::draw(&mut self.app, ui);
        self.app.apply_pending();
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Unsaved work that was not explicitly discarded stays in the recovery file.
        self.app.autosave_now();
        self.app.save_prefs();
    }
}
