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
fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Unreviewed => "·",
        Status::Verified => "V",
        Status::Disputed => "D",
        Status::Unsourced => "U",
    }
}

/// The key that sets a status.
fn status_key(status: Status) -> &'static str {
    match status {
        Status::Unreviewed => "0",
        Status::Verified => "1",
        Status::Disputed => "2",
        Status::Unsourced => "3",
    }
}

/// Text colour readable on a status colour.
fn on_status(dark: bool) -> Color32 {
    if dark { Color32::from_gray(235) } else { Color32::from_gray(20) }
}

/// A status as a small coloured chip with its mark and label.
fn status_chip(ui: &mut Ui, status: Status, text: &str) -> egui::Response {
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
    let extracting = app.poll_extraction();
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
fn handle_dropped_files(app: &mut App, ctx: &egui::Context) {
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

/// Shortcuts from the command table, every press in the order it came (a burst of three `j` in one frame moves three
/// claims). Chords act everywhere; single keys only while the reviewer is visibly navigating: no dialog is open, no
/// widget has keyboard focus (a text field, or a button or link reached with Tab, which is drawn with a focus ring),
/// and no typing is under way (a key typed into a text field starts a typing run; Esc, Enter or a click ends it), so
/// a letter typed after Tab left a text field never acts as a shortcut. Esc leaves the text field or closes what is
/// on top, an open menu first.
fn handle_keys(app: &mut App, ctx: &egui::Context) {
    use egui::Event;
    let focused = ctx.memory(|m| m.focused());
    let in_text = focused.is_some_and(|id| app.editable_ids_last.contains(&id));
    let asking = app.confirm.is_some() || app.conflict.is_some() || !app.recoveries.is_empty();
    let modal = asking || app.export.is_some() || app.compare_open() || app.path_prompt.is_some();
    let menu_open = app.menu_open || egui::Popup::is_any_open(ctx);
    // A click (by pointer, or by a screen reader's click action) ends a typing run.
    let clicked = ctx.input(|i| {
        i.pointer.any_pressed()
            || i.events
                .iter()
                .any(|e| matches!(e, Event::AccessKitActionRequest(r) if r.action == egui::accesskit::Action::Click))
    });
    if clicked {
        app.typing = false;
    }
    let mut typing = app.typing;
    // A button or link reached with Tab after typing: Space would press it. While a typing run lasts it is held back.
    let tabbed_out = focused.is_some() && !in_text && typing;
    let mut pushed: Vec<Command> = Vec::new();
    let mut close_menus = false;
    ctx.input_mut(|i| {
        i.events.retain(|event| {
            let (key, modifiers) = match event {
                Event::Key { key, pressed: true, modifiers, .. } => (*key, *modifiers),
                Event::Text(_) => {
                    typing |= in_text;
                    return true;
                }
                _ => return true,
            };
            if key == Key::Escape && !modifiers.any() {
                typing = false;
                if menu_open {
                    // Left for the menu, which closes on Esc.
                    close_menus = true;
                    return true;
                } else if in_text || focused.is_some() {
                    // egui has already let go of the field's focus; the typing run ends, and its undo step with it.
                    pushed.push(Command::SealHistory);
                } else {
                    pushed.push(Command::LeaveField);
                }
                return false;
            }
            let singles = !modal && focused.is_none() && !typing && !menu_open;
            let command = super::commands::command_for(key, modifiers, !asking, singles);
            if key == Key::Enter {
                typing = false;
            } else if in_text {
                typing = true;
            }
            match command {
                // A key bound twice to one command (F1 and ?) arriving as a pair is one press.
                Some(Command::ToggleHelp) if pushed.last() == Some(&Command::ToggleHelp) => false,
                Some(command) => {
                    pushed.push(command.clone());
                    false
                }
                None if tabbed_out && key == Key::Space => false,
                None => true,
            }
        });
    });
    if close_menus {
        egui::Popup::close_all(ctx);
    }
    app.typing = typing;
    app.keyboard_focus = focused.filter(|_| !in_text);
    // (`?` is Shift+/ on many keyboards: winit reports its logical key, `?`, so the binding catches it; the text event
    // that comes with it is left alone, or the overlay would toggle twice.)
    for command in pushed {
        app.push(command);
    }
}

/// A clear ring around the button or link that has keyboard focus (egui marks a focused link only by underlining
/// it), so a reviewer who pressed Tab sees where the keys go.
fn focus_ring(app: &App, ctx: &egui::Context) {
    let Some(rect) = app.keyboard_focus.and_then(|id| ctx.read_response(id)).map(|r| r.rect) else { return };
    let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("focus-ring")));
    let colour = ctx.global_style().visuals.selection.stroke.color;
    painter.rect_stroke(rect.expand(2.0), 3.0, Stroke::new(2.0, colour), StrokeKind::Outside);
}

/// Commands a menu separates from the ones above them.
fn starts_group(command: &Command) -> bool {
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

fn menu_bar(app: &mut App, ui: &mut Ui) {
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

fn start_screen(app: &mut App, ui: &mut Ui) {
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

fn status_bar(app: &mut App, ui: &mut Ui) {
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

/// The claims list: filters, sort, threshold, counts, and one two-line row per claim, laying out only visible rows.
fn claims_list(app: &mut App, ui: &mut Ui) {
    let focus_search = std::mem::take(&mut app.focus_search);
    let mut commands = Vec::new();
    let Some(s) = &mut app.session else { return };
    ui.add_space(2.0);
    ui.heading("Claims");
    let counts = s.counts();
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for status in Status::ALL {
            let i = status as usize;
            let label = format!("{} {} {}", status_symbol(status), status.label(), counts.per_status[i]);
            ui.toggle_value(&mut s.filter.statuses[i], label)
                .on_hover_text(format!("Show {} claims", status.label().to_lowercase()));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Search:");
        let r = ui
            .add(
                TextEdit::singleline(&mut s.filter.search)
                    .hint_text("text, source or note (Ctrl+F)")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        app.editable_ids.push(r.id);
        if focus_search {
            r.request_focus();
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Kind:");
        egui::ComboBox::from_id_salt("kind-filter")
            .selected_text(s.filter.kind.map_or("any kind", |k| k.as_str()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut s.filter.kind, None, "any kind");
                for k in ClaimKind::ALL {
                    ui.selectable_value(&mut s.filter.kind, Some(k), k.as_str());
                }
            })
            .response
            .labelled_by(label.id);
        ui.add_space(8.0);
        ui.label("Sort:");
        ui.radio_value(&mut s.filter.sort, SortBy::Position, "position");
        ui.radio_value(&mut s.filter.sort, SortBy::Score, "score");
    });
    let mut threshold = s.threshold();
    ui.horizontal(|ui| {
        let label = ui.label("Threshold:");
        let r = ui
            .add(egui::Slider::new(&mut threshold, 0.0..=1.0).step_by(0.01).fixed_decimals(2))
            .labelled_by(label.id)
            .on_hover_text(
                "Sentences scoring below this are hidden. Reviewed and manual claims stay, whatever the threshold.",
            );
        if r.changed() {
            commands.push(Command::SetThreshold(threshold));
        }
        if r.drag_stopped() || r.lost_focus() {
            commands.push(Command::SealHistory);
        }
    });
    let hidden = counts.below_threshold;
    let dark = ui.visuals().dark_mode;
    let visible = s.visible().to_vec();
    let shown_total = counts.shown;
    let mut summary = format!("{} of {shown_total} claims listed", visible.len());
    if hidden > 0 {
        summary.push_str(&format!(" · {hidden} below the threshold"));
    }
    ui.label(RichText::new(summary).weak());
    if !s.file.detached.is_empty() {
        // Claims of an earlier version of the document whose text is no longer in it: kept, with their reviews, and
        // shown here so that nothing a reviewer did disappears from view.
        egui::CollapsingHeader::new(format!("Detached claims ({})", s.file.detached.len()))
            .id_salt("detached-claims")
            .show(ui, |ui| {
                ui.label(
                    RichText::new("Their text is no longer in the document; they are kept with their reviews.").weak(),
                );
                ScrollArea::vertical().id_salt("detached-list").max_height(140.0).show(ui, |ui| {
                    for c in &s.file.detached {
                        ui.horizontal_wrapped(|ui| {
                            status_chip(ui, c.review.status, c.review.status.label());
                            ui.label(crate::export::excerpt(&c.text, 90)).on_hover_text(&c.text);
                            if !c.review.note.is_empty() {
                                ui.label(RichText::new(format!("Note: {}", c.review.note)).weak());
                            }
                        });
                    }
                });
            });
    }
    ui.separator();

    let selected = s.selected_index();
    let body = egui::TextStyle::Body.resolve(ui.style());
    let small = FontId::proportional((body.size - 1.5).max(8.0));
    let row_height = ui.fonts_mut(|f| f.row_height(&body) + f.row_height(&small)) + 12.0;
    let mut area = ScrollArea::vertical().id_salt("claims-list").auto_shrink([false, false]);
    let offset_id = egui::Id::unique("claims-list-offset");
    if s.scroll_to_selection
        && let Some(pos) = selected.and_then(|sel| visible.iter().position(|&i| i == sel))
    {
        let spacing = ui.spacing().item_spacing.y;
        let y = pos as f32 * (row_height + spacing);
        let view = ui.available_height();
        let current = ui.ctx().data(|d| d.get_temp::<f32>(offset_id)).unwrap_or(0.0);
        if y < current || y + row_height > current + view {
            area = area.vertical_scroll_offset((y - view / 3.0).max(0.0));
        }
    }
    let output = area.show_rows(ui, row_height, visible.len(), |ui, rows| {
        for row in rows {
            let i = visible[row];
            let c = &s.file.claims[i];
            let is_selected = Some(i) == selected;
            let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), row_height), Sense::click());
            let source = c.source().unwrap_or("unattributed");
            let kinds: Vec<&str> = c.kinds.iter().map(|k| k.as_str()).collect();
            let excerpt = crate::export::excerpt(&c.text, 90);
            let label = format!(
                "{} {} {:.2} [{}] {source} — {excerpt}",
                status_symbol(c.review.status),
                c.review.status.label(),
                c.score,
                kinds.join(", ")
            );
            response.widget_info(|| WidgetInfo::selected(Role::ListItem, true, is_selected, &label));
            if ui.is_rect_visible(rect) {
                paint_row(ui, rect, &response, c, is_selected, dark, (&body, &small), &kinds);
            }
            if response.clicked() {
                commands.push(Command::Select(c.id.clone()));
            }
            response.on_hover_text(&c.text);
        }
    });
    ui.ctx().data_mut(|d| d.insert_temp(offset_id, output.state.clamped_offset().y));
    if visible.is_empty() {
        ui.label("No claims match the filters.");
    }
    app.commands.extend(commands);
}

/// One row of the claims list: a status badge, the claim's first words, and a line of score, kinds and source.
#[allow(clippy::too_many_arguments)]
fn paint_row(
    ui: &Ui,
    rect: Rect,
    response: &egui::Response,
    c: &Claim,
    is_selected: bool,
    dark: bool,
    (body, small): (&FontId, &FontId),
    kinds: &[&str],
) {
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    if is_selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill.gamma_multiply(0.55));
        painter.rect_filled(
            Rect::from_min_size(rect.min, vec2(3.0, rect.height())),
            1.0,
            visuals.selection.stroke.color,
        );
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let status = c.review.status;
    let badge = Rect::from_min_size(rect.min + vec2(8.0, 6.0), vec2(18.0, 18.0));
    painter.rect_filled(badge, 4.0, status_color(status, dark));
    painter.text(
        badge.center(),
        Align2::CENTER_CENTER,
        status_symbol(status),
        FontId::proportional(12.0),
        on_status(dark),
    );
    let x = badge.right() + 8.0;
    let width = (rect.right() - x - 6.0).max(10.0);
    let fg = visuals.text_color();
    let weak = visuals.weak_text_color();
    // No more characters than the row can show (the rest would be laid out only to be cut).
    let fits = (width / (body.size * 0.3)) as usize + 1;
    let first_line: String = c.text.lines().next().unwrap_or("").chars().take(fits).collect();
    let mut line1 = LayoutJob::single_section(first_line, TextFormat::simple(body.clone(), fg));
    line1.wrap = TextWrapping::truncate_at_width(width);
    let g1 = painter.layout_job(line1);
    let h1 = g1.size().y;
    painter.galley(egui::pos2(x, rect.top() + 5.0), g1, fg);
    let mut line2 = LayoutJob::default();
    line2.append(&format!("{:.2}", c.score), 0.0, TextFormat::simple(small.clone(), weak));
    if c.is_manual() {
        line2.append("  manual", 0.0, TextFormat::simple(small.clone(), weak));
    }
    if !kinds.is_empty() {
        line2.append(&format!("  {}", kinds.join(", ")), 0.0, TextFormat::simple(small.clone(), weak));
    }
    let source_color = if c.source().is_some() { visuals.hyperlink_color } else { weak };
    line2.append(
        &format!("  · {}", c.source().unwrap_or("unattributed")),
        0.0,
        TextFormat::simple(small.clone(), source_color),
    );
    if c.review.verdicts.iter().map(|v| v.review.status).collect::<std::collections::BTreeSet<_>>().len() > 1 {
        line2.append("  · reviewers disagree", 0.0, TextFormat::simple(small.clone(), visuals.warn_fg_color));
    }
    line2.wrap = TextWrapping::truncate_at_width(width);
    painter.galley(egui::pos2(x, rect.top() + 7.0 + h1), painter.layout_job(line2), weak);
}

/// Build the highlighted layout of one paragraph.
/// (`selected` is the selected claim's index, looked up once per frame: finding it by id walks the claims.)
fn paragraph_job(
    s: &Session,
    para: Span,
    ui: &Ui,
    (show_below, selected): (bool, Option<usize>),
    width: f32,
    font: &FontId,
) -> LayoutJob {
    let text = &s.file.document.text;
    let dark = ui.visuals().dark_mode;
    let fg = ui.visuals().text_color();
    let faint = ui.visuals().weak_text_color();
    let mut job =
        LayoutJob { wrap: egui::text::TextWrapping { max_width: width, ..Default::default() }, ..Default::default() };
    let mut pos = para.start;
    // Claims overlapping this paragraph, in order. Claims are kept in document order, so a binary search finds
    // the first; manual claims inserted out of order are still sorted by the splice position.
    let first = s.file.claims.partition_point(|c| c.span.end <= para.start);
    let mut pieces: Vec<(Span, TextFormat)> = Vec::new();
    for (i, c) in s.file.claims.iter().enumerate().skip(first.saturating_sub(1)) {
        if c.span.start >= para.end {
            break;
        }
        if !c.span.overlaps(para) {
            continue;
        }
        let span = Span::new(c.span.start.max(para.start), c.span.end.min(para.end));
        let shown = s.is_shown_claim(c);
        let colour = status_color(c.review.status, dark);
        let format = if Some(i) == selected {
            TextFormat { font_id: font.clone(), color: fg, background: colour, ..Default::default() }
        } else if shown {
            // Unreviewed claims are a light wash, so the reviewed ones and the selection stand out.
            let strength = if c.review.is_reviewed() { 0.8 } else { 0.45 };
            TextFormat {
                font_id: font.clone(),
                color: fg,
                background: colour.gamma_multiply(strength),
                ..Default::default()
            }
        } else if show_below {
            TextFormat { font_id: font.clone(), color: faint, underline: Stroke::new(1.0, faint), ..Default::default() }
        } else {
            continue;
        };
        pieces.push((span, format));
    }
    pieces.sort_by_key(|(sp, _)| sp.start);
    for (span, format) in pieces {
        if span.start < pos {
            continue;
        }
        if span.start > pos {
            job.append(&text[pos..span.start], 0.0, TextFormat::simple(font.clone(), fg));
        }
        job.append(&text[span.range()], 0.0, format);
        pos = span.end;
    }
    if pos < para.end {
        job.append(&text[pos..para.end], 0.0, TextFormat::simple(font.clone(), fg));
    }
    if job.text.is_empty() {
        job.append(" ", 0.0, TextFormat::simple(font.clone(), fg));
    }
    job
}

/// The rectangles, one per wrapped row, that chars `from..to` of `galley` cover, relative to the galley.
fn char_range_rects(galley: &egui::Galley, from: usize, to: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut start = 0;
    for row in &galley.rows {
        let n = row.glyphs.len();
        let (a, b) = (from.max(start), to.min(start + n));
        if a < b {
            let left = row.glyphs[a - start].logical_rect().left();
            let right = row.glyphs[b - 1 - start].logical_rect().right();
            let (top, bottom) = (row.pos.y, row.pos.y + row.size.y);
            rects.push(Rect::from_x_y_ranges(row.pos.x + left..=row.pos.x + right, top..=bottom));
        }
        start += n + usize::from(row.ends_with_newline);
    }
    rects
}

/// The outline of rows stacked one under the other (a claim wrapped over several lines), as one closed path: down
/// the right edges, back up the left ones.
fn outline(rows: &[Rect]) -> Vec<egui::Pos2> {
    let mut points = Vec::with_capacity(rows.len() * 4);
    for r in rows {
        points.push(r.right_top());
        points.push(r.right_bottom());
    }
    for r in rows.iter().rev() {
        points.push(r.left_bottom());
        points.push(r.left_top());
    }
    points
}

/// The document with every claim highlighted. Only paragraphs in view are laid out; their heights are remembered
/// so the scroll bar and "scroll to the selected claim" stay right without laying out the rest.
fn document_pane(app: &mut App, ui: &mut Ui) {
    let show_below = app.prefs.show_below_threshold;
    let mut commands = Vec::new();
    let Some(s) = &mut app.session else { return };
    ui.add_space(2.0);
    ui.heading(&s.file.document.title);
    let shown = s.counts().shown;
    ui.label(
        RichText::new(format!(
            "{shown} claims at threshold {:.2}. Click a highlight to select its claim; select text, then Ctrl+M, to \
             add it as a claim.",
            s.threshold()
        ))
        .weak(),
    );
    ui.separator();
    // Lines of about 80 characters read best; wider panes get a margin instead.
    let font = FontId::proportional(ui.text_style_height(&egui::TextStyle::Body) + 2.5);
    let width = (ui.available_width() - 16.0).min(font.size * 42.0).max(80.0);
    let row = font.size * 1.3;
    let gap = (row * 0.45).round();
    let chars_per_line = (width / (font.size * 0.5)).max(10.0);
    for (i, h) in s.heights.iter_mut().enumerate() {
        if *h <= 0.0 {
            let len = s.paragraphs[i].len() as f32;
            *h = ((len / chars_per_line).ceil().max(1.0)) * row + gap;
        }
    }
    let mut tops = Vec::with_capacity(s.heights.len() + 1);
    let mut y = 0.0;
    for h in &s.heights {
        tops.push(y);
        y += h;
    }
    let total = y;
    let offset_id = egui::Id::unique("document-offset");
    let mut area = ScrollArea::vertical().id_salt("document").auto_shrink([false, false]);
    let selected = s.selected_index();
    let selected_span = selected.map(|i| s.file.claims[i].span);
    if s.scroll_to_selection {
        if let Some(span) = selected_span {
            let p = s.paragraphs.partition_point(|p| p.end < span.start).min(s.paragraphs.len() - 1);
            let view = ui.available_height();
            let current = ui.ctx().data(|d| d.get_temp::<f32>(offset_id)).unwrap_or(0.0);
            if tops[p] < current || tops[p] + s.heights[p].min(view / 2.0) > current + view {
                area = area.vertical_scroll_offset((tops[p] - view / 4.0).max(0.0));
            }
        }
        s.scroll_to_selection = false;
    }
    let mut clicked_at: Option<usize> = None;
    let mut selection: Option<(Span, usize)> = None;
    let clear_selection = std::mem::take(&mut s.clear_doc_selection);
    let outline_color = ui.visuals().selection.stroke.color;
    let output = area.show_viewport(ui, |ui, viewport| {
        ui.set_height(total);
        let first = tops.partition_point(|&t| t <= viewport.min.y).saturating_sub(1);
        let top_y = ui.min_rect().top();
        let left = ui.min_rect().left() + 4.0;
        let in_view = tops[first..].iter().take_while(|&&t| t <= viewport.max.y).count();
        for (i, &top) in tops.iter().enumerate().skip(first).take(in_view) {
            let para = s.paragraphs[i];
            let job = paragraph_job(s, para, ui, (show_below, selected), width, &font);
            let rect = egui::Rect::from_min_size(egui::pos2(left, top_y + top), egui::vec2(width, s.heights[i]));
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).id_salt(("para", i)));
            let para_id = egui::Id::unique(("para", i));
            if clear_selection && let Some(mut state) = egui::text_edit::TextEditState::load(ui.ctx(), para_id) {
                state.cursor.set_char_range(None);
                state.store(ui.ctx(), para_id);
                ui.memory_mut(|m| m.surrender_focus(para_id));
            }
            let mut para_text: &str = &s.file.document.text[para.range()];
            let mut layouter =
                |ui: &Ui, _buf: &dyn egui::TextBuffer, _w: f32| ui.fonts_mut(|f| f.layout_job(job.clone()));
            let out = TextEdit::multiline(&mut para_text)
                .id(para_id)
                .frame(egui::Frame::NONE)
                .margin(egui::Margin::ZERO)
                .desired_width(width)
                .desired_rows(1)
                .layouter(&mut layouter)
                .show(&mut child);
            let measured = out.response.rect.height() + gap;
            if (measured - s.heights[i]).abs() > 0.5 {
                s.heights[i] = measured;
            }
            let char_to_byte =
                |ci: usize| para.start + para_text.char_indices().nth(ci).map_or(para_text.len(), |(b, _)| b);
            // The selected claim gets an outline, row by row.
            if let Some(span) = selected_span
                && span.overlaps(para)
            {
                let to_char = |b: usize| para_text[..b.clamp(para.start, para.end) - para.start].chars().count();
                let (a, b) = (to_char(span.start), to_char(span.end));
                let rows: Vec<Rect> = char_range_rects(&out.galley, a, b)
                    .into_iter()
                    .map(|r| r.translate(out.galley_pos.to_vec2()).expand2(vec2(2.0, 0.0)))
                    .collect();
                if let [only] = rows[..] {
                    ui.painter().rect_stroke(only, 3.0, Stroke::new(2.0, outline_color), StrokeKind::Outside);
                } else if !rows.is_empty() {
                    ui.painter().add(egui::Shape::closed_line(outline(&rows), Stroke::new(2.0, outline_color)));
                }
            }
            if out.response.clicked()
                && let Some(pointer) = out.response.interact_pointer_pos()
            {
                // Where the click landed, from the layout itself (the text cursor may only move next frame).
                let ci = out.galley.cursor_from_pos(pointer - out.galley_pos).index.0;
                clicked_at = Some(char_to_byte(ci));
            }
            if let Some(range) = out.cursor_range
                && out.response.has_focus()
            {
                let a = char_to_byte(range.primary.index.0);
                let b = char_to_byte(range.secondary.index.0);
                selection = Some((Span::new(a.min(b), a.max(b)), a));
            }
        }
    });
    ui.ctx().data_mut(|d| d.insert_temp(offset_id, output.state.clamped_offset().y));
    if let Some((span, cursor)) = selection {
        s.doc_selection = (!span.is_empty()).then_some(span);
        s.doc_cursor = Some(cursor);
    }
    if let Some(at) = clicked_at {
        s.doc_cursor = Some(at);
        if let Some(c) = s.claim_at(at)
            && s.selected.as_ref() != Some(&c.id)
        {
            commands.push(Command::Select(c.id.clone()));
        }
    }
    app.commands.extend(commands);
}

/// The review editor for the selected claim.
fn editor(app: &mut App, ui: &mut Ui) {
    let focus_note = std::mem::take(&mut app.focus_note);
    let focus_new_source = std::mem::take(&mut app.focus_new_source);
    let mut reviewer = app.prefs.reviewer.clone();
    ui.add_space(2.0);
    ui.horizontal(|ui| {
        ui.heading("Review");
        ui.add_space(8.0);
        let label = ui.label("Reviewer:");
        let r = ui
            .add(TextEdit::singleline(&mut reviewer).hint_text("your name").desired_width(f32::INFINITY))
            .labelled_by(label.id)
            .on_hover_text("Recorded with each review you change; remembered between runs.");
        app.editable_ids.push(r.id);
    });
    app.set_reviewer(reviewer);
    let Some(s) = &mut app.session else { return };
    let selected_index = s.selected_index();
    let Some(claim) = selected_index.map(|i| s.file.claims[i].clone()) else {
        ui.separator();
        ui.label("Select a claim in the list or the document.");
        return;
    };
    let visible = s.visible();
    let listed = visible.len();
    let position = selected_index.and_then(|i| visible.iter().position(|&v| v == i));
    let below_threshold = !s.is_shown_claim(&claim);
    let has_cursor_in_claim = s.doc_cursor.is_some_and(|c| c > claim.span.start && c < claim.span.end);
    let has_selection = s.doc_selection.is_some_and(|sel| !sel.is_empty());
    let id = claim.id.clone();
    let mut commands = Vec::new();
    ui.separator();
    ui.horizontal(|ui| {
        if ui.button("‹ Previous (k)").clicked() {
            commands.push(Command::PreviousClaim);
        }
        let where_ = match position {
            Some(p) => format!("claim {} of {listed}", p + 1),
            None if below_threshold => "below the threshold: not in the list".to_owned(),
            None => "not in the list (filtered out)".to_owned(),
        };
        ui.label(RichText::new(where_).weak());
        if ui.button("Next (j) ›").clicked() {
            commands.push(Command::NextClaim);
        }
    });
    ScrollArea::vertical().id_salt("editor").auto_shrink([false, false]).show(ui, |ui| {
        let dark = ui.visuals().dark_mode;
        egui::Frame::group(ui.style()).fill(status_color(claim.review.status, dark).gamma_multiply(0.35)).show(
            ui,
            |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(&claim.text).size(15.0));
            },
        );
        ui.add_space(4.0);
        // The claim's facts, each a wrapped line: "Attributed to  the Wall Street Journal (cue: "reported")".
        let kinds: Vec<&str> = claim.kinds.iter().map(|k| k.as_str()).collect();
        let facts = [
            (
                "Attributed to",
                claim.attribution.as_ref().map_or("unattributed (no source credited in the text)".to_owned(), |a| {
                    format!("{} (cue: \"{}\")", a.source, a.cue)
                }),
            ),
            ("Score", format!("{:.2}", claim.score)),
            ("Kinds", if kinds.is_empty() { "—".to_owned() } else { kinds.join(", ") }),
            (
                "Origin",
                match &claim.origin {
                    crate::review::Origin::Manual => "manual (added by a reviewer)".to_owned(),
                    crate::review::Origin::Extractor { name, version } => format!("{name} {version}"),
                },
            ),
        ];
        let body = egui::TextStyle::Body.resolve(ui.style());
        for (name, value) in facts {
            let mut job = LayoutJob::default();
            job.append(&format!("{name}  "), 0.0, TextFormat::simple(body.clone(), ui.visuals().weak_text_color()));
            job.append(&value, 0.0, TextFormat::simple(body.clone(), ui.visuals().text_color()));
            ui.add(egui::Label::new(job).wrap());
        }
        ui.separator();
        ui.label(RichText::new("Status").strong());
        ui.horizontal_wrapped(|ui| {
            for status in [Status::Verified, Status::Disputed, Status::Unsourced, Status::Unreviewed] {
                let selected = claim.review.status == status;
                let text =
                    RichText::new(format!("{} {} ({})", status_symbol(status), status.label(), status_key(status)));
                let text = if selected { text.color(on_status(dark)) } else { text };
                let button = egui::Button::selectable(selected, text).fill(if selected {
                    status_color(status, dark)
                } else {
                    Color32::TRANSPARENT
                });
                if ui.add(button).on_hover_text("Sets the status and moves to the next claim").clicked() {
                    commands.push(Command::SetStatus(status));
                }
            }
        });
        if let Some(by) = &claim.review.reviewer {
            ui.label(
                RichText::new(format!(
                    "Last change by {by}{}",
                    claim.review.changed.as_deref().map(|c| format!(" at {c}")).unwrap_or_default()
                ))
                .weak(),
            );
        }
        if !claim.review.verdicts.is_empty() {
            verdicts(ui, &claim, &mut commands);
        }
        ui.add_space(6.0);
        let note_label = ui.label(RichText::new("Note (n)").strong());
        let mut note = claim.review.note.clone();
        let r = ui
            .add(
                TextEdit::multiline(&mut note)
                    .id(egui::Id::unique("note-editor"))
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .hint_text("What you checked, and what you found"),
            )
            .labelled_by(note_label.id);
        app.editable_ids.push(r.id);
        if focus_note {
            r.request_focus();
        }
        if r.changed() {
            commands.push(Command::SetNote(id.clone(), note));
        }
        if r.lost_focus() {
            commands.push(Command::SealHistory);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Sources ({})", claim.review.sources.len())).strong());
            if ui.button("Add source").clicked() {
                commands.push(Command::AddSource);
            }
        });
        let mut sources = claim.review.sources.clone();
        let count = sources.len();
        let mut changed: Option<usize> = None;
        let mut remove: Option<usize> = None;
        for (i, src) in sources.iter_mut().enumerate() {
            ui.push_id(i, |ui| {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let l = ui.label(format!("Source {}: URL or citation", i + 1));
                    ui.horizontal(|ui| {
                        let is_url = crate::export::claimreview::is_http_url(src.reference.trim());
                        let width = ui.available_width() - if is_url { 56.0 } else { 0.0 };
                        let r = ui
                            .add(
                                TextEdit::singleline(&mut src.reference)
                                    .hint_text("https://… or a citation")
                                    .desired_width(width),
                            )
                            .labelled_by(l.id);
                        app.editable_ids.push(r.id);
                        if focus_new_source && i + 1 == count {
                            r.request_focus();
                        }
                        if r.changed() {
                            changed = Some(i);
                        }
                        if r.lost_focus() {
                            commands.push(Command::SealHistory);
                        }
                        if is_url {
                            ui.hyperlink_to("Open", src.reference.trim());
                        }
                    });
                    let l = ui.label("Quoted passage");
                    let r = ui
                        .add(
                            TextEdit::multiline(&mut src.quote)
                                .hint_text("the passage that bears on the claim")
                                .desired_rows(2)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(l.id);
                    app.editable_ids.push(r.id);
                    if r.changed() {
                        changed = Some(i);
                    }
                    if r.lost_focus() {
                        commands.push(Command::SealHistory);
                    }
                    ui.horizontal(|ui| {
                        let l = ui.label("Accessed");
                        let mut date = src.accessed.clone().unwrap_or_default();
                        let r = ui
                            .add(TextEdit::singleline(&mut date).hint_text("YYYY-MM-DD").desired_width(96.0))
                            .labelled_by(l.id);
                        app.editable_ids.push(r.id);
                        if r.changed() {
                            src.accessed = (!date.trim().is_empty()).then_some(date);
                            changed = Some(i);
                        }
                        if r.lost_focus() {
                            commands.push(Command::SealHistory);
                        }
                        if ui.button("Remove source").clicked() {
                            remove = Some(i);
                        }
                    });
                    if let Some(d) = &src.accessed
                        && !crate::review::file::is_date(d)
                    {
                        ui.colored_label(ui.visuals().warn_fg_color, "The access date must be YYYY-MM-DD");
                    }
                });
            });
        }
        if let Some(i) = remove {
            sources.remove(i);
            commands.push(Command::SetSources(id.clone(), sources, None));
        } else if let Some(i) = changed {
            // A date being typed is kept as typed; the file's validation only accepts full dates, so an unfinished
            // one is not stored.
            let stored: Vec<EvidenceSource> = sources
                .into_iter()
                .map(|mut s| {
                    if s.accessed.as_deref().is_some_and(|d| !crate::review::file::is_date(d)) {
                        s.accessed = None;
                    }
                    s
                })
                .collect();
            commands.push(Command::SetSources(id.clone(), stored, Some(i)));
        }
        ui.separator();
        ui.label(RichText::new("Claim").strong());
        ui.horizontal_wrapped(|ui| {
            let why_split = if has_cursor_in_claim { "" } else { "Click inside this claim in the document first" };
            let why_add = if has_selection { "" } else { "Select some text in the document first" };
            for (label, command, why) in [
                ("Split at cursor", Command::SplitClaim, why_split),
                ("Merge with next", Command::MergeWithNext, ""),
                ("Delete claim", Command::DeleteClaim, ""),
                ("Add selected text as claim", Command::AddManualClaim, why_add),
            ] {
                // A claim is selected here, so only the cursor and the selection decide.
                let enabled = why.is_empty();
                let r = ui.add_enabled(enabled, egui::Button::new(label));
                let r = if why.is_empty() { r } else { r.on_disabled_hover_text(why) };
                if r.clicked() {
                    commands.push(command);
                }
            }
        });
    });
    app.commands.extend(commands);
}

/// The reviewers' verdicts kept in a merged file, each one a way to settle the claim.
fn verdicts(ui: &mut Ui, claim: &Claim, commands: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.label(RichText::new("Reviewers' verdicts").strong());
    let statuses: std::collections::BTreeSet<Status> = claim.review.verdicts.iter().map(|v| v.review.status).collect();
    if statuses.len() > 1 && !claim.review.is_reviewed() {
        ui.colored_label(ui.visuals().warn_fg_color, "The reviewers disagree: pick a verdict, or set the status.");
    }
    egui::Grid::new("verdicts").num_columns(3).striped(true).show(ui, |ui| {
        for (i, v) in claim.review.verdicts.iter().enumerate() {
            status_chip(ui, v.review.status, v.review.status.label());
            ui.vertical(|ui| {
                ui.label(RichText::new(&v.reviewer).strong());
                if !v.review.note.is_empty() {
                    ui.label(crate::export::excerpt(&v.review.note, 120));
                }
                if !v.review.sources.is_empty() {
                    ui.label(RichText::new(format!("{} source(s)", v.review.sources.len())).weak());
                }
            });
            if ui.button(format!("Use {}'s verdict", v.reviewer)).clicked() {
                commands.push(Command::SettleWithVerdict(claim.id.clone(), i));
            }
            ui.end_row();
        }
    });
}

/// Modal dialogs: unsaved changes, recovery, help, export, compare.
fn dialogs(app: &mut App, ctx: &egui::Context) {
    if let Some(pending) = app.confirm.clone() {
        egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            let what = pending.doing();
            ui.heading("Unsaved changes");
            let name = app.session.as_ref().map(|s| s.display_name()).unwrap_or_default();
            ui.label(format!("Save your changes to {name} before {what}?"));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    app.push(Command::AnswerUnsaved(true));
                }
                if ui.button("Discard changes").clicked() {
                    app.push(Command::AnswerUnsaved(false));
                }
                if ui.button("Cancel").clicked() {
                    app.confirm = None;
                }
            });
        });
    } else if let Some(conflict) = app.conflict.clone() {
        egui::Modal::new(egui::Id::unique("conflict")).show(ctx, |ui| {
            use super::app::ConflictChoice;
            ui.set_max_width(560.0);
            ui.heading("The review file changed on disk");
            let name = conflict.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            ui.label(format!(
                "{name} is no longer the file you opened or last saved: someone or something else saved it since \
                 (another reviewer, `claimdesk update`, a synced folder). It holds a review of \"{}\" with {} claims \
                 reviewed.",
                conflict.theirs, conflict.reviewed
            ))
            .on_hover_text(conflict.path.display().to_string());
            ui.add_space(8.0);
            for (label, choice, about) in [
                (
                    "Keep theirs and reload",
                    ConflictChoice::ReloadTheirs,
                    "open their file; your unsaved changes are discarded",
                ),
                ("Save mine as a new file…", ConflictChoice::SaveMineAsNew, "keep both files"),
                ("Overwrite", ConflictChoice::Overwrite, "replace it with yours; theirs is kept as NAME.bak"),
            ] {
                ui.horizontal(|ui| {
                    if ui.button(label).clicked() {
                        app.push(Command::ResolveConflict(choice));
                    }
                    ui.label(RichText::new(about).weak());
                });
            }
            ui.add_space(4.0);
            if ui.button("Cancel").clicked() {
                app.push(Command::LeaveField);
            }
        });
    } else if let Some((_, rec)) = app.recoveries.first().cloned() {
        egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading("Restore unsaved work?");
            // "2026-11-25T10:47:56Z" reads better as "2026-11-25 10:47 UTC".
            let when = match (rec.saved_at.get(..10), rec.saved_at.get(11..16)) {
                (Some(day), Some(time)) if rec.saved_at.ends_with('Z') => format!("{day} {time} UTC"),
                _ => rec.saved_at.clone(),
            };
            ui.label(format!(
                "ClaimDesk found unsaved work on \"{}\" ({} claims reviewed), autosaved {when}{}.",
                rec.file.document.title,
                rec.file.reviewed(),
                rec.review_path
                    .as_ref()
                    .map(|p| format!("; it was to be saved to {}", p.display()))
                    .unwrap_or_default(),
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    app.push(Command::RestoreRecovery(0));
                }
                if ui.button("Discard").clicked() {
                    app.push(Command::DiscardRecovery(0));
                }
            });
        });
    }
    if app.help_open {
        help_overlay(app, ctx);
    }
    if app.export.is_some() {
        export_dialog(app, ctx);
    }
    if app.compare_open() {
        compare_dialog(app, ctx);
    }
    if app.path_prompt.is_some() {
        path_prompt(app, ctx);
    }
}

/// Where the desktop has no file dialog service: ask for the path in the window.
fn path_prompt(app: &mut App, ctx: &egui::Context) {
    use super::dialogs::Purpose;
    let Some(prompt) = &mut app.path_prompt else { return };
    let (title, button) = match prompt.purpose {
        Purpose::Open => ("Open a document or a review file", "Open"),
        Purpose::OpenReviewFile => ("Open a review file", "Open"),
        Purpose::OpenReview => ("Add a reviewer's file", "Add"),
        Purpose::SaveReview => ("Save the review as", "Save here"),
        Purpose::Export(_) => ("Export to", "Export here"),
    };
    let mut answer = false;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("path prompt")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(title);
        ui.label(RichText::new("This desktop has no file dialog: type the file's path.").weak());
        if let Some(then) = &prompt.then {
            ui.label(format!("Once the review is saved there: {}.", then.doing()));
        }
        ui.add_space(4.0);
        let label = ui.label("Path:");
        let r = ui.add(TextEdit::singleline(&mut prompt.text).desired_width(500.0)).labelled_by(label.id);
        if std::mem::take(&mut prompt.focus) {
            r.request_focus();
        }
        app.editable_ids.push(r.id);
        answer = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let typed = !prompt.text.trim().is_empty();
            answer |= ui.add_enabled(typed, egui::Button::new(button)).clicked();
            cancel = ui.button("Cancel").clicked();
        });
    });
    if cancel {
        app.path_prompt = None;
    } else if answer {
        app.push(Command::AnswerPathPrompt);
    }
}

fn help_overlay(app: &mut App, ctx: &egui::Context) {
    let mut open = true;
    let table = table();
    let section = |ui: &mut Ui, menu: Menu, title: &str| {
        ui.label(RichText::new(title).strong());
        egui::Grid::new(("help", menu.label())).striped(true).num_columns(2).show(ui, |ui| {
            for spec in table.iter().filter(|s| s.menu == menu && !s.bindings.is_empty()) {
                ui.label(RichText::new(shortcut_text(spec)).monospace());
                ui.label(spec.label);
                ui.end_row();
            }
        });
        ui.add_space(8.0);
    };
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.columns(2, |cols| {
                section(&mut cols[0], Menu::Review, "Reviewing");
                section(&mut cols[0], Menu::Edit, "Editing");
                section(&mut cols[1], Menu::File, "Files");
                section(&mut cols[1], Menu::View, "View");
                section(&mut cols[1], Menu::Help, "Help");
            });
            ui.label(
                RichText::new(
                    "Single keys act only when no text field has focus. Setting a status moves to the next claim. \
                     F1, ? or Esc closes this.",
                )
                .weak(),
            );
        });
    app.help_open = open && app.help_open;
}

fn export_dialog(app: &mut App, ctx: &egui::Context) {
    let mut commands = Vec::new();
    let (Some(d), Some(s)) = (&mut app.export, &app.session) else { return };
    let reviewed = crate::export::selected(&s.file, &crate::export::Options { all: false }).len();
    let all = s.file.claims.len();
    egui::Modal::new(egui::Id::unique("export")).show(ctx, |ui| {
        ui.set_width(500.0);
        ui.heading("Export");
        ui.add_space(4.0);
        ui.label(RichText::new("Format").strong());
        for f in Format::ALL {
            ui.radio_value(&mut d.format, f, f.label());
            let about = match f {
                Format::Json => "every field, readable back by ClaimDesk",
                Format::ClaimReview => "schema.org markup for search engines and fact-check aggregators",
                Format::Csv => "one row per claim, for spreadsheets",
                Format::Markdown => "a readable report: counts, then each claim with its note and sources",
                Format::Html => "the same report as a web page",
            };
            ui.horizontal(|ui| {
                ui.add_space(26.0);
                ui.label(RichText::new(about).weak());
            });
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Claims").strong());
        if d.format == Format::ClaimReview {
            ui.label(format!("ClaimReview holds reviewed claims only: {reviewed}."));
        } else {
            ui.radio_value(&mut d.all, false, format!("Reviewed claims only ({reviewed})"));
            ui.radio_value(&mut d.all, true, format!("All claims, unreviewed ones too ({all})"));
        }
        let count = if d.all && d.format != Format::ClaimReview { all } else { reviewed };
        let mut url_ok = true;
        if d.format == Format::ClaimReview {
            ui.add_space(6.0);
            ui.label(RichText::new("Publication").strong());
            ui.label(
                RichText::new("Asked once: kept in the review file for the next export, here or on the command line.")
                    .weak(),
            );
            let mut field = |ui: &mut Ui, label: &str, value: &mut String, hint: &str| {
                let l = ui.label(label);
                let r =
                    ui.add(TextEdit::singleline(value).hint_text(hint).desired_width(f32::INFINITY)).labelled_by(l.id);
                app.editable_ids.push(r.id);
            };
            field(ui, "Fact-check URL (required)", &mut d.fact_check_url, "https://your-site.example/fact-check/…");
            let url = d.fact_check_url.trim();
            url_ok = crate::export::claimreview::is_http_url(url);
            if !url_ok {
                let why = if url.is_empty() {
                    "ClaimReview needs the URL where your fact-check is published."
                } else {
                    "Not an absolute http:// or https:// URL."
                };
                ui.colored_label(ui.visuals().warn_fg_color, why);
            }
            field(ui, "Organisation (the reviews' author)", &mut d.organisation, "e.g. Example Fact Check");
            field(ui, "Article URL (where the claims appeared)", &mut d.article_url, "https://…");
        }
        if let Some(err) = &d.error {
            ui.add_space(6.0);
            ui.colored_label(ui.visuals().error_fg_color, format!("Error: {err}"));
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let ready = count > 0 && url_ok;
            let r = ui.add_enabled(ready, egui::Button::new(format!("Export {count} claims…")));
            let r =
                if count == 0 { r.on_disabled_hover_text("Nothing to export: no claim is reviewed yet") } else { r };
            if r.clicked() {
                d.error = None;
                commands.push(Command::RunExport);
            }
            if ui.button("Cancel").clicked() {
                commands.push(Command::LeaveField);
            }
        });
    });
    app.commands.extend(commands);
}

fn compare_dialog(app: &mut App, ctx: &egui::Context) {
    let mut commands = Vec::new();
    let reviewer_name = app.prefs.reviewer.trim().to_owned();
    let (Some(c), Some(s)) = (&mut app.compare, &app.session) else { return };
    let screen = ctx.content_rect();
    egui::Modal::new(egui::Id::unique("compare")).show(ctx, |ui| {
        ui.set_width((screen.width() * 0.8).min(980.0));
        ui.heading("Compare reviewers");
        ui.label(
            RichText::new(
                "This review against other reviewers' files of the same document. Settling a disagreement changes \
                 this review (undoable) and keeps every reviewer's verdict with it.",
            )
            .weak(),
        );
        ui.add_space(4.0);
        egui::Grid::new("reviewers").num_columns(2).show(ui, |ui| {
            ui.label("1.");
            ui.label(format!("This review ({})", s.display_name()));
            ui.end_row();
            for (i, (name, _)) in c.others.iter().enumerate() {
                ui.label(format!("{}.", i + 2));
                ui.horizontal(|ui| {
                    ui.label(name);
                    if ui.small_button("Remove").clicked() {
                        commands.push(Command::RemoveReviewerFile(i));
                    }
                });
                ui.end_row();
            }
        });
        ui.horizontal_wrapped(|ui| {
            if ui.button("Add a reviewer's file…").clicked() {
                commands.push(Command::AddReviewerFile(None));
            }
            let l = ui.label("or its path:");
            let r = ui.add(TextEdit::singleline(&mut c.path).hint_text("/path/to/review.json").desired_width(260.0));
            let r = r.labelled_by(l.id);
            app.editable_ids.push(r.id);
            let typed = c.path.trim().to_owned();
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.add_enabled(!typed.is_empty(), egui::Button::new("Add")).clicked() || enter) && !typed.is_empty() {
                commands.push(Command::AddReviewerFile(Some(typed.into())));
            }
            ui.label(RichText::new("(files dropped on the window are added too)").weak());
        });
        ui.separator();
        let super::app::CompareDialog { comparison, drafts, mine, .. } = c;
        let compared = |id: &crate::review::ClaimId| mine.claim(id).map(|c| &c.review);
        match &*comparison {
            None => {
                ui.label("Add at least one other reviewer's review of this document.");
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Error: {e}"));
            }
            Some(Ok(cmp)) => {
                let a = &cmp.agreement;
                let pct = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.1}%", v * 100.0));
                let num = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.3}"));
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!("Over the {} claims every reviewer reviewed:", a.claims));
                    ui.label(RichText::new(format!("percent agreement {}", pct(a.percent_agreement))).strong());
                    if a.reviewers == 2 {
                        ui.label(RichText::new(format!("Cohen's κ {}", num(a.cohen_kappa))).strong());
                    } else {
                        ui.label(RichText::new(format!("Fleiss' κ {}", num(a.fleiss_kappa))).strong());
                    }
                    let partial = cmp.partially_reviewed();
                    if partial > 0 {
                        ui.label(RichText::new(format!("({partial} more reviewed by only some)")).weak());
                    }
                });
                egui::Grid::new("per-status").striped(true).num_columns(5).show(ui, |ui| {
                    for h in ["status", "ratings", "all agree", "specific agreement", "κ vs the rest"] {
                        ui.label(RichText::new(h).weak());
                    }
                    ui.end_row();
                    for st in &a.per_status {
                        status_chip(ui, st.status, st.status.label());
                        ui.label(st.ratings.to_string());
                        ui.label(st.unanimous.to_string());
                        ui.label(pct(st.specific_agreement));
                        ui.label(num(st.kappa));
                        ui.end_row();
                    }
                });
                ui.separator();
                let disagreements: Vec<_> = cmp.disagreements().collect();
                let live = |id| s.file.claim(id).map(|c: &Claim| &c.review);
                let settled = disagreements.iter().filter(|d| live(&d.claim.id) != compared(&d.claim.id)).count();
                ui.label(RichText::new(format!("Disagreements: {} ({settled} settled)", disagreements.len())).strong());
                // A fixed height: an auto-sized scroll area in an auto-sized dialog would grow frame by frame.
                let height = (disagreements.len() as f32 * 150.0).clamp(60.0, (screen.height() * 0.5).max(200.0));
                ScrollArea::vertical()
                    .id_salt("disagreements")
                    .max_height(height)
                    .min_scrolled_height(height)
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for d in disagreements {
                            let id = &d.claim.id;
                            ui.push_id(id, |ui| {
                                egui::Frame::group(ui.style()).show(ui, |ui| {
                                    ui.set_width(ui.available_width());
                                    ui.label(RichText::new(crate::export::excerpt(&d.claim.text, 160)).strong())
                                        .on_hover_text(&d.claim.text);
                                    let n = cmp.reviewers.len();
                                    let col = ((ui.available_width() - 20.0) / n as f32).max(120.0);
                                    egui::Grid::new("side-by-side")
                                        .num_columns(n)
                                        .min_col_width(col)
                                        .max_col_width(col)
                                        .show(ui, |ui| {
                                            for r in &cmp.reviewers {
                                                ui.label(RichText::new(&r.name).strong());
                                            }
                                            ui.end_row();
                                            for review in &d.reviews {
                                                ui.vertical(|ui| match review {
                                                    Some(rv) => {
                                                        status_chip(ui, rv.status, rv.status.label());
                                                        if !rv.note.is_empty() {
                                                            ui.add(egui::Label::new(&rv.note).wrap());
                                                        }
                                                        for src in &rv.sources {
                                                            ui.label(
                                                                RichText::new(crate::export::source_line(src)).weak(),
                                                            );
                                                        }
                                                    }
                                                    None => {
                                                        ui.label(RichText::new("not in this file").weak());
                                                    }
                                                });
                                            }
                                            ui.end_row();
                                            for (r, review) in cmp.reviewers.iter().zip(&d.reviews) {
                                                match review {
                                                    Some(rv) if rv.is_reviewed() && s.file.claim(id).is_some() => {
                                                        if ui.button(format!("Use {}'s verdict", r.name)).clicked() {
                                                            commands.push(Command::Settle(
                                                                id.clone(),
                                                                rv.clone(),
                                                                Some(r.name.clone()),
                                                            ));
                                                        }
                                                    }
                                                    _ => {
                                                        ui.label("");
                                                    }
                                                }
                                            }
                                            ui.end_row();
                                        });
                                    let now = live(id);
                                    if let Some(now) = now.filter(|now| Some(*now) != compared(id)) {
                                        ui.horizontal(|ui| {
                                            ui.label("Settled:");
                                            status_chip(ui, now.status, now.status.label());
                                            if !now.note.is_empty() {
                                                ui.label(RichText::new(crate::export::excerpt(&now.note, 80)).weak());
                                            }
                                        });
                                    }
                                    if now.is_none() {
                                        ui.label(
                                            RichText::new(
                                                "This claim is not in this review; it cannot be settled here.",
                                            )
                                            .weak(),
                                        );
                                        return;
                                    }
                                    let draft = drafts.entry(id.clone()).or_default();
                                    ui.horizontal_wrapped(|ui| {
                                        ui.label("Or a new verdict:");
                                        for st in [Status::Verified, Status::Disputed, Status::Unsourced] {
                                            if ui.selectable_label(draft.status == Some(st), st.label()).clicked() {
                                                draft.status = Some(st);
                                            }
                                        }
                                        let l = ui.label("note");
                                        let r = ui.add(
                                            TextEdit::singleline(&mut draft.note).hint_text("why").desired_width(220.0),
                                        );
                                        app.editable_ids.push(r.labelled_by(l.id).id);
                                        let button = egui::Button::new("Settle with this verdict");
                                        if ui.add_enabled(draft.status.is_some(), button).clicked()
                                            && let Some(status) = draft.status
                                        {
                                            let review = Review {
                                                status,
                                                note: draft.note.clone(),
                                                reviewer: (!reviewer_name.is_empty()).then(|| reviewer_name.clone()),
                                                ..Default::default()
                                            };
                                            commands.push(Command::Settle(id.clone(), review, None));
                                        }
                                    });
                                });
                            });
                            ui.add_space(4.0);
                        }
                    });
            }
        }
        ui.add_space(6.0);
        if ui.button("Close").clicked() {
            commands.push(Command::LeaveField);
        }
    });
    app.commands.extend(commands);
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
