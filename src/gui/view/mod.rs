//! Drawing: the menu bar, the document pane, the claims list, the review editor, the status bar and the dialogs.
//!
//! Nothing here changes the review: every action pushes a [`Command`] that [`App::apply`] carries out after the
//! frame. (View state that is not the review, such as the list's filters or a dialog's half-typed fields, is
//! edited in place.) The document pane and the list lay out only what is in view, so a book-length document costs
//! no more per frame than a short one.

use std::path::PathBuf;

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{
    Align2, Color32, FontId, Key, Rect, RichText, Role, ScrollArea, Sense, Stroke, StrokeKind, TextEdit, Ui,
    WidgetInfo, vec2,
};

use super::app::{App, Session, SortBy, ThemeChoice};
use super::commands::{Command, Menu, shortcut_text, table};
use crate::Span;
use crate::export::Format;
use crate::extract::ClaimKind;
use crate::review::{Claim, EvidenceSource, Review, Status};

mod claims;
mod compare;
mod dialogs;
mod document;
mod editor;
mod keys;

use claims::*;
use compare::*;
use dialogs::*;
use document::*;
use editor::*;
use keys::*;

/// The colour of a status, for highlights and badges.
pub fn status_color(status: Status, dark: bool) -> Color32 {
    match (status, dark) {
        (Status::Unreviewed, false) => Color32::from_rgb(255, 229, 128),
        (Status::Unreviewed, true) => Color32::from_rgb(112, 94, 24),
        (Status::Verified, false) => Color32::from_rgb(160, 222, 160),
        (Status::Verified, true) => Color32::from_rgb(38, 110, 52),
        (Status::Disputed, false) => Color32::from_rgb(246, 164, 164),
        (Status::Disputed, true) => Color32::from_rgb(140, 44, 44),
        (Status::Unsourced, false) => Color32::from_rgb(196, 184, 246),
        (Status::Unsourced, true) => Color32::from_rgb(82, 64, 150),
    }
}

/// The one-letter mark of a status, drawn on its colour (so the status does not rest on colour alone).
pub(super) fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Unreviewed => "·",
        Status::Verified => "V",
        Status::Disputed => "D",
        Status::Unsourced => "U",
    }
}

/// The key that sets a status.
pub(super) fn status_key(status: Status) -> &'static str {
    match status {
        Status::Unreviewed => "0",
        Status::Verified => "1",
        Status::Disputed => "2",
        Status::Unsourced => "3",
    }
}

/// Text colour readable on a status colour.
pub(super) fn on_status(dark: bool) -> Color32 {
    if dark { Color32::from_gray(235) } else { Color32::from_gray(20) }
}

/// A status as a small coloured chip with its mark and label.
pub(super) fn status_chip(ui: &mut Ui, status: Status, text: &str) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let chip = RichText::new(format!(" {} {text} ", status_symbol(status)))
        .color(on_status(dark))
        .background_color(status_color(status, dark));
    ui.label(chip)
}

/// Draw one frame of the whole app into `ui`.
pub fn draw(app: &mut App, ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    app.editable_ids_last = std::mem::take(&mut app.editable_ids);
    let extracting = app.extraction.is_some();
    if app.extraction.as_ref().is_some_and(|job| job.ended()) {
        app.push(Command::FinishExtraction);
    }
    handle_dropped_files(app, &ctx);
    handle_keys(app, &ctx);

    egui::Panel::top("menu").show(ui, |ui| menu_bar(app, ui));
    egui::Panel::bottom("status").show(ui, |ui| status_bar(app, ui));

    if let Some(job) = &app.extraction {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                ui.heading(format!("Extracting claims from {}", job.name));
                ui.add(egui::ProgressBar::new(job.fraction()).show_percentage().desired_width(360.0));
            });
        });
    } else if app.session.is_some() {
        // The document gets the room; the list and the editor are kept to a third of the width each, so nothing
        // overlaps on a small screen.
        let width = ui.available_width();
        let side_max = (width * 0.34).max(240.0);
        let side_default = (width * 0.26).clamp(260.0, 440.0).min(side_max);
        egui::Panel::right("editor")
            .resizable(true)
            .default_size(side_default)
            .size_range(240.0..=side_max)
            .show(ui, |ui| editor(app, ui));
        egui::Panel::left("claims")
            .resizable(true)
            .default_size(side_default)
            .size_range(220.0..=side_max)
            .show(ui, |ui| claims_list(app, ui));
        egui::CentralPanel::default().show(ui, |ui| document_pane(app, ui));
    } else {
        egui::CentralPanel::default().show(ui, |ui| start_screen(app, ui));
    }

    dialogs(app, &ctx);
    focus_ring(app, &ctx);
    if extracting {
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
    }
}

/// Files dropped onto the window: with "Compare reviewers" open they are added as reviewers' files, otherwise the
/// first one opens like File > Open.
pub(super) fn handle_dropped_files(app: &mut App, ctx: &egui::Context) {
    let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
        i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
    });
    if app.compare_open() {
        for p in dropped {
            app.push(Command::AddReviewerFile(Some(p)));
        }
    } else if let Some(p) = dropped.into_iter().next() {
        app.push(Command::OpenPath(p));
    }
}

/// Commands a menu separates from the ones above them.
pub(super) fn starts_group(command: &Command) -> bool {
    matches!(
        command,
        Command::Save
            | Command::Export
            | Command::CloseDocument
            | Command::SearchClaims
            | Command::AddSource
            | Command::SetTheme(ThemeChoice::System)
            | Command::ZoomIn
    )
}

pub(super) fn menu_bar(app: &mut App, ui: &mut Ui) {
    let mut open = false;
    egui::MenuBar::new().ui(ui, |ui| {
        let table = table();
        for menu in Menu::ALL {
            open |= ui
                .menu_button(menu.label(), |ui| {
                    for spec in table.iter().filter(|s| s.menu == menu) {
                        if starts_group(&spec.command) {
                            ui.separator();
                        }
                        let enabled = app.enabled(&spec.command);
                        let clicked = match &spec.command {
                            Command::ToggleBelowThreshold => {
                                let mut on = app.prefs.show_below_threshold;
                                ui.add_enabled(enabled, egui::Checkbox::new(&mut on, spec.label)).clicked()
                            }
                            Command::SetTheme(theme) => ui
                                .add_enabled(enabled, egui::RadioButton::new(app.prefs.theme == *theme, spec.label))
                                .clicked(),
                            _ => {
                                let keys = shortcut_text(spec);
                                let button = if keys.is_empty() {
                                    egui::Button::new(spec.label)
                                } else {
                                    egui::Button::new(spec.label).shortcut_text(keys)
                                };
                                ui.add_enabled(enabled, button).clicked()
                            }
                        };
                        if clicked {
                            app.push(spec.command.clone());
                            ui.close();
                        }
                        if spec.command == Command::OpenSample && !app.prefs.recent.is_empty() {
                            ui.menu_button("Recent files", |ui| {
                                for p in app.prefs.recent.clone() {
                                    if ui.button(p.display().to_string()).clicked() {
                                        app.push(Command::OpenPath(p));
                                        ui.close();
                                    }
                                }
                            });
                        }
                    }
                })
                .inner
                .is_some();
        }
    });
    app.menu_open = open;
}

pub(super) fn start_screen(app: &mut App, ui: &mut Ui) {
    ScrollArea::vertical().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space((ui.available_height() * 0.1).clamp(16.0, 80.0));
            ui.label(RichText::new("ClaimDesk").size(30.0).strong());
            ui.label("Find the check-worthy claims in an article, review each one, export the verdicts.");
            ui.add_space(24.0);
            for (label, command) in [
                ("Open a document…", Command::Open),
                ("Open a review file…", Command::OpenReview),
                ("Open the sample article", Command::OpenSample),
            ] {
                if ui.add_sized([260.0, 32.0], egui::Button::new(label)).clicked() {
                    app.push(command);
                }
            }
            ui.add_space(8.0);
            ui.label(RichText::new("or drop a .txt, .md, .html or review .json file onto this window").weak());
            ui.add_space(8.0);
            // For desktops without a file dialog service (rfd then answers at once with nothing).
            ui.horizontal(|ui| {
                let width = 420.0f32.min(ui.available_width());
                ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                let label = ui.label("or type a path:");
                let r = ui
                    .add(
                        TextEdit::singleline(&mut app.typed_path)
                            .hint_text("/path/to/article.txt")
                            .desired_width(width - 160.0),
                    )
                    .labelled_by(label.id);
                app.editable_ids.push(r.id);
                let entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let typed = app.typed_path.trim().to_owned();
                if (ui.add_enabled(!typed.is_empty(), egui::Button::new("Open path")).clicked() || entered)
                    && !typed.is_empty()
                {
                    app.push(Command::OpenPath(PathBuf::from(typed)));
                }
            });
            if !app.prefs.recent.is_empty() {
                ui.add_space(24.0);
                ui.label(RichText::new("Recent files").strong());
                ui.add_space(4.0);
                for p in app.prefs.recent.clone() {
                    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let folder = p.parent().map(|f| f.display().to_string()).unwrap_or_default();
                    let exists = p.exists();
                    let r = ui.add_enabled(exists, egui::Link::new(RichText::new(&name).size(15.0)));
                    ui.label(RichText::new(if exists { folder } else { format!("{folder} (not found)") }).weak());
                    if r.clicked() {
                        app.push(Command::OpenPath(p));
                    }
                    ui.add_space(4.0);
                }
            }
            ui.add_space(24.0);
            ui.label(RichText::new("F1 or ? lists the keyboard shortcuts.").weak());
        });
    });
}

pub(super) fn status_bar(app: &mut App, ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        if let Some(s) = &mut app.session {
            // Counts are over the claims shown at the threshold: sentences below it are not claims to review.
            let counts = s.counts();
            let (total, reviewed) = (counts.shown, counts.reviewed());
            ui.label(RichText::new(format!("{reviewed} of {total} reviewed")).strong());
            let fraction = if total == 0 { 0.0 } else { reviewed as f32 / total as f32 };
            ui.add(egui::ProgressBar::new(fraction).desired_width(120.0).text(format!("{:.0}%", fraction * 100.0)));
            for status in Status::ALL {
                status_chip(ui, status, &format!("{} {}", status.label(), counts.per_status[status as usize]));
            }
            ui.separator();
            if s.is_dirty() {
                ui.label(RichText::new("Unsaved changes").color(ui.visuals().warn_fg_color));
            } else if s.on_disk {
                let r = ui.label(format!("Saved to {}", s.display_name()));
                if let Some(path) = &s.path {
                    r.on_hover_text(path.display().to_string());
                }
            } else {
                ui.label("Not saved yet");
            }
        } else {
            ui.label("No document open");
        }
        if let Some(err) = &app.last_error {
            ui.separator();
            ui.colored_label(ui.visuals().error_fg_color, format!("Error: {err}"));
        } else if let Some(msg) = &app.message {
            ui.separator();
            ui.label(msg);
        }
    });
}

/// Apply the theme and zoom preferences.
pub fn apply_prefs(app: &App, ctx: &egui::Context) {
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
    ctx.set_theme(match app.prefs.theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
    if (ctx.zoom_factor() - app.prefs.zoom).abs() > 0.001 {
        ctx.set_zoom_factor(app.prefs.zoom);
    }
}
