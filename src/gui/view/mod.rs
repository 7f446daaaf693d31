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
mod memory;
pub mod theme;

use claims::*;
use compare::*;
use dialogs::*;
use document::*;
use editor::*;
use keys::*;
use memory::*;

/// The palette of the theme `ui` is drawn in.
pub(super) fn colours(ui: &Ui) -> theme::Palette {
    theme::palette(ui.visuals().dark_mode)
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

/// A status as a small coloured chip with its mark and label.
pub(super) fn status_chip(ui: &mut Ui, status: Status, text: &str) -> egui::Response {
    let p = colours(ui);
    let chip =
        RichText::new(format!(" {} {text} ", status_symbol(status))).color(p.on_chip).background_color(p.chip(status));
    ui.label(chip)
}

/// Below this width (in points, so zooming in narrows it), the claims list and the editor stack in one column.
pub const NARROW_WINDOW: f32 = 1100.0;

/// A file that could not be opened, said where the reviewer is looking (above the document or the start screen),
/// until dismissed or another file opens.
fn open_error_banner(app: &mut App, ui: &mut Ui) {
    let Some(error) = app.open_error.clone() else { return };
    let p = colours(ui);
    egui::Frame::group(ui.style()).stroke(Stroke::new(1.5, p.error)).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new("Could not open the file").strong().color(p.error));
            if ui.button("Dismiss").clicked() {
                app.push(Command::DismissOpenError);
            }
        });
        ui.add(egui::Label::new(error).wrap());
    });
    ui.add_space(4.0);
}

/// Draw one frame of the whole app into `ui`.
pub fn draw(app: &mut App, ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    app.editable_ids_last = std::mem::take(&mut app.editable_ids);
    app.passive_ids_last = std::mem::take(&mut app.passive_ids);
    let extracting = app.extraction.is_some();
    if app.extraction.as_ref().is_some_and(|job| job.ended()) {
        app.push(Command::FinishExtraction);
    }
    app.memory.wake_with(&ctx);
    if app.memory.has_news() {
        app.push(Command::MemoryNews);
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
        // The document gets the room. On a wide window the list and the editor sit either side of it, each at most
        // a quarter of the width; on a narrow one (a small screen, or zoomed in) they stack in one column beside
        // it, so the document keeps lines of 60 characters and more.
        let width = ui.available_width();
        if width >= NARROW_WINDOW {
            let side = (width * 0.26).clamp(260.0, 440.0);
            let range = 220.0..=(width * 0.3).max(240.0);
            egui::Panel::right("editor")
                .resizable(true)
                .default_size(side)
                .size_range(range.clone())
                .show(ui, |ui| editor(app, ui));
            egui::Panel::left("claims")
                .resizable(true)
                .default_size(side)
                .size_range(range)
                .show(ui, |ui| claims_list(app, ui));
        } else {
            let side = (width * 0.36).clamp(220.0, 340.0);
            egui::Panel::right("side")
                .resizable(true)
                .default_size(side)
                .size_range(200.0..=(width * 0.45).max(220.0))
                .show(ui, |ui| {
                    let height = ui.available_height();
                    egui::Panel::top("side-editor")
                        .resizable(true)
                        .default_size(height * 0.55)
                        .size_range(120.0..=height * 0.8)
                        .show(ui, |ui| editor(app, ui));
                    claims_list(app, ui);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            open_error_banner(app, ui);
            document_pane(app, ui);
        });
    } else {
        egui::CentralPanel::default().show(ui, |ui| {
            open_error_banner(app, ui);
            start_screen(app, ui);
        });
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
    } else if app.library_dialog.is_some() {
        if !dropped.is_empty() {
            app.push(Command::ImportIntoLibrary(Some(dropped)));
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
                            Command::ToggleRememberVerdicts => {
                                let mut on = app.prefs.remember_verdicts && !app.remember_off;
                                let enabled = enabled && !app.remember_off;
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

/// The status bar: one line, never wrapped; long file names and messages are shortened, whole on hover.
pub(super) fn status_bar(app: &mut App, ui: &mut Ui) {
    let zoom = app.prefs.zoom;
    // The zoom level at the right end, placed first so the rest truncates against what is left.
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if (zoom - 1.0).abs() > 0.001 {
            ui.label(format!("Zoom {:.0}%", zoom * 100.0)).on_hover_text("Ctrl+0 resets it");
        }
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| status_line(app, ui));
    });
}

fn status_line(app: &mut App, ui: &mut Ui) {
    {
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
                let saved = format!("Saved to {}", s.display_name());
                let r = ui.add(egui::Label::new(saved).truncate());
                if let Some(path) = &s.path {
                    r.on_hover_text(path.display().to_string());
                }
            } else {
                ui.label("Not saved yet").on_hover_text(format!("The first save proposes {}", s.proposed.display()));
            }
        } else {
            ui.label("No document open");
        }
        if let Some(err) = &app.last_error {
            ui.separator();
            let line = RichText::new(format!("Error: {err}")).color(ui.visuals().error_fg_color);
            ui.add(egui::Label::new(line).truncate()).on_hover_text(err);
        } else if let Some(msg) = &app.message {
            ui.separator();
            ui.add(egui::Label::new(msg).truncate()).on_hover_text(msg);
        } else if let crate::gui::memory::MemoryStatus::Off(why) = &app.memory.status {
            ui.separator();
            let line = RichText::new(why).color(ui.visuals().warn_fg_color);
            ui.add(egui::Label::new(line).truncate()).on_hover_text(why);
        } else if let Some(notice) = &app.memory.notice {
            ui.separator();
            let line = RichText::new(notice).color(ui.visuals().warn_fg_color);
            ui.add(egui::Label::new(line).truncate()).on_hover_text(notice);
        } else if let Some(last) = &app.memory.last {
            ui.separator();
            ui.add(egui::Label::new(last).truncate()).on_hover_text(last);
        } else if app.typing && app.keyboard_focus.is_some() {
            ui.separator();
            ui.label(RichText::new("Keys go to the focused control; Esc returns to the claims").weak());
        }
    }
}

/// Apply the theme and zoom preferences.
pub fn apply_prefs(app: &App, ctx: &egui::Context) {
    // This window's colours (see `theme`), installed once for both themes.
    if ctx.style_of(egui::Theme::Dark).visuals.weak_text_color != Some(theme::palette(true).weak) {
        ctx.set_visuals_of(egui::Theme::Dark, theme::visuals(true));
        ctx.set_visuals_of(egui::Theme::Light, theme::visuals(false));
    }
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
