//! Drawing: the menu bar, the document pane, the claims list, the review editor, the status bar and the dialogs.
//!
//! Nothing here changes the review: every action pushes a [`Command`] that [`App::apply`] carries out after the
//! frame. The document pane and the list lay out only what is in view, so a book-length document costs no more per
//! frame than a short one.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Key, RichText, ScrollArea, Stroke, TextEdit, Ui};

use super::app::{App, Pending, Session, SortBy, ThemeChoice};
use super::commands::{Binding, Command, Menu, shortcut_text, table};
use super::dialogs::Purpose;
use crate::Span;
use crate::export::Format;
use crate::extract::ClaimKind;
use crate::review::{EvidenceSource, Status};

/// The colour of a status, for highlights and badges.
pub fn status_color(status: Status, dark: bool) -> Color32 {
    match (status, dark) {
        (Status::Unreviewed, false) => Color32::from_rgb(255, 236, 153),
        (Status::Unreviewed, true) => Color32::from_rgb(110, 95, 30),
        (Status::Verified, false) => Color32::from_rgb(170, 225, 170),
        (Status::Verified, true) => Color32::from_rgb(40, 105, 50),
        (Status::Disputed, false) => Color32::from_rgb(245, 170, 170),
        (Status::Disputed, true) => Color32::from_rgb(130, 45, 45),
        (Status::Unsourced, false) => Color32::from_rgb(200, 190, 245),
        (Status::Unsourced, true) => Color32::from_rgb(80, 65, 140),
    }
}

fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Unreviewed => "·",
        Status::Verified => "V",
        Status::Disputed => "D",
        Status::Unsourced => "U",
    }
}

/// Draw one frame of the whole app into `ui`.
pub fn draw(app: &mut App, ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    app.editable_ids_last = std::mem::take(&mut app.editable_ids);
    let extracting = app.poll_extraction();
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
        egui::Panel::right("editor").resizable(true).default_size(340.0).show(ui, |ui| editor(app, ui));
        egui::Panel::left("claims").resizable(true).default_size(380.0).show(ui, |ui| claims_list(app, ui));
        egui::CentralPanel::default().show(ui, |ui| document_pane(app, ui));
    } else {
        egui::CentralPanel::default().show(ui, |ui| start_screen(app, ui));
    }

    dialogs(app, &ctx);
    if extracting {
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
    }
}

/// Shortcuts from the command table. Chords work everywhere; single keys only when no text field has focus.
fn handle_keys(app: &mut App, ctx: &egui::Context) {
    let focused = ctx.memory(|m| m.focused());
    let typing = focused.is_some_and(|id| app.editable_ids_last.contains(&id));
    if typing && ctx.input(|i| i.key_pressed(Key::Escape)) {
        if let Some(id) = focused {
            ctx.memory_mut(|m| m.surrender_focus(id));
        }
        app.push(Command::LeaveField);
        return;
    }
    let modal = app.confirm.is_some() || !app.recoveries.is_empty();
    // egui matches Ctrl+Z against Ctrl+Shift+Z too (it ignores extra Shift), so the chords with more modifiers are
    // tried first.
    let mut bindings: Vec<(Binding, Command)> = table()
        .into_iter()
        .flat_map(|spec| spec.bindings.into_iter().map(move |b| (b, spec.command.clone())))
        .collect();
    bindings.sort_by_key(|(b, _)| match b {
        Binding::Chord(s) => std::cmp::Reverse(u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt) + 1),
        Binding::Single(_) => std::cmp::Reverse(0),
    });
    for (binding, command) in bindings {
        {
            let hit = match &binding {
                Binding::Chord(shortcut) => ctx.input_mut(|i| i.consume_shortcut(shortcut)),
                Binding::Single(key) => {
                    !typing && !modal && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, *key))
                }
            };
            if hit {
                app.push(command.clone());
            }
        }
    }
    // `?` arrives as text on most keyboards (Shift+/).
    if !typing && ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Text(t) if t == "?"))) {
        app.push(Command::ToggleHelp);
    }
}

fn menu_bar(app: &mut App, ui: &mut Ui) {
    egui::MenuBar::new().ui(ui, |ui| {
        let table = table();
        for menu in Menu::ALL {
            ui.menu_button(menu.label(), |ui| {
                for spec in table.iter().filter(|s| s.menu == menu) {
                    let enabled = app.enabled(&spec.command);
                    let checked = match spec.command {
                        Command::ToggleBelowThreshold => Some(app.prefs.show_below_threshold),
                        _ => None,
                    };
                    let label = match checked {
                        Some(true) => format!("[x] {}", spec.label),
                        _ => spec.label.to_owned(),
                    };
                    let button = egui::Button::new(label).shortcut_text(shortcut_text(spec));
                    if ui.add_enabled(enabled, button).clicked() {
                        app.push(spec.command.clone());
                        ui.close();
                    }
                }
                if menu == Menu::File && !app.prefs.recent.is_empty() {
                    ui.separator();
                    ui.menu_button("Recent files", |ui| {
                        for p in app.prefs.recent.clone() {
                            if ui.button(p.display().to_string()).clicked() {
                                app.push(Command::OpenPath(p));
                                ui.close();
                            }
                        }
                    });
                }
            });
        }
    });
}

fn start_screen(app: &mut App, ui: &mut Ui) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading("ClaimDesk");
        ui.label("Find the check-worthy claims in an article, review each one, export the verdicts.");
        ui.add_space(20.0);
        if ui.button("Open a document or review…").clicked() {
            app.push(Command::Open);
        }
        if ui.button("Open the sample article").clicked() {
            app.push(Command::OpenSample);
        }
        ui.add_space(10.0);
        ui.label("Or drop a .txt, .md, .html or review .json file onto this window.");
        if !app.prefs.recent.is_empty() {
            ui.add_space(20.0);
            ui.label(RichText::new("Recent files").strong());
            for p in app.prefs.recent.clone() {
                if ui.link(p.display().to_string()).clicked() {
                    app.push(Command::OpenPath(p));
                }
            }
        }
    });
}

fn status_bar(app: &mut App, ui: &mut Ui) {
    ui.horizontal(|ui| {
        if let Some(s) = &app.session {
            let total = s.file.claims.iter().filter(|c| s.is_shown_claim(c)).count();
            let reviewed = s.file.reviewed();
            ui.label(format!("{reviewed} of {total} reviewed"));
            let fraction = if total == 0 { 0.0 } else { reviewed as f32 / total as f32 };
            ui.add(egui::ProgressBar::new(fraction).desired_width(120.0));
            let counts = s.file.counts();
            let dark = ui.visuals().dark_mode;
            for status in Status::ALL {
                ui.label(
                    RichText::new(format!("{} {} {}", status_symbol(status), status.label(), counts[status as usize]))
                        .background_color(status_color(status, dark)),
                );
            }
            ui.separator();
            ui.label(if s.is_dirty() { "Unsaved changes" } else { "Saved" });
        } else {
            ui.label("No document open");
        }
        if let Some(err) = &app.last_error {
            ui.separator();
            ui.colored_label(ui.visuals().error_fg_color, err);
        } else if let Some(msg) = &app.message {
            ui.separator();
            ui.label(msg);
        }
    });
}

/// The claims list: filters, sort, counts, and one row per claim, laying out only visible rows.
fn claims_list(app: &mut App, ui: &mut Ui) {
    let focus_search = std::mem::take(&mut app.focus_search);
    let Some(s) = &mut app.session else { return };
    ui.heading("Claims");
    let counts = s.file.counts();
    ui.horizontal_wrapped(|ui| {
        for status in Status::ALL {
            let i = status as usize;
            let label = format!("{} {}", status.label(), counts[i]);
            ui.toggle_value(&mut s.filter.statuses[i], label);
        }
    });
    ui.horizontal(|ui| {
        let search =
            TextEdit::singleline(&mut s.filter.search).hint_text("Search claims (Ctrl+F)").desired_width(170.0);
        let label = ui.label("Search:");
        let r = ui.add(search).labelled_by(label.id);
        app.editable_ids.push(r.id);
        if focus_search {
            r.request_focus();
        }
        egui::ComboBox::from_label("Kind").selected_text(s.filter.kind.map_or("any kind", |k| k.as_str())).show_ui(
            ui,
            |ui| {
                ui.selectable_value(&mut s.filter.kind, None, "any kind");
                for k in ClaimKind::ALL {
                    ui.selectable_value(&mut s.filter.kind, Some(k), k.as_str());
                }
            },
        );
    });
    ui.horizontal(|ui| {
        ui.label("Sort:");
        ui.radio_value(&mut s.filter.sort, SortBy::Position, "position");
        ui.radio_value(&mut s.filter.sort, SortBy::Score, "score");
    });
    let mut threshold = s.threshold();
    ui.horizontal(|ui| {
        let label = ui.label("Threshold:");
        let r = ui.add(egui::Slider::new(&mut threshold, 0.0..=1.0).fixed_decimals(2)).labelled_by(label.id);
        if r.changed() {
            app.commands.push(Command::SetThreshold(threshold));
        }
    });
    ui.separator();

    let dark = ui.visuals().dark_mode;
    let visible = s.visible().to_vec();
    let selected = s.selected_index();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut area = ScrollArea::vertical().id_salt("claims-list").auto_shrink([false, false]);
    if s.scroll_to_selection
        && let Some(pos) = selected.and_then(|sel| visible.iter().position(|&i| i == sel))
    {
        let spacing = ui.spacing().item_spacing.y;
        let y = pos as f32 * (row_height + spacing);
        let view = ui.available_height();
        let current = ui.ctx().data(|d| d.get_temp::<f32>(egui::Id::unique("claims-list-offset"))).unwrap_or(0.0);
        if y < current || y + row_height > current + view - row_height {
            area = area.vertical_scroll_offset((y - view / 3.0).max(0.0));
        }
    }
    let mut clicked = None;
    let output = area.show_rows(ui, row_height, visible.len(), |ui, rows| {
        for row in rows {
            let i = visible[row];
            let c = &s.file.claims[i];
            ui.push_id(&c.id, |ui| {
                let status = c.review.status;
                let kinds: Vec<&str> = c.kinds.iter().map(|k| k.as_str()).collect();
                let source = c.source().map(|s| s.to_owned()).unwrap_or_else(|| "unattributed".to_owned());
                let words: String = crate::export::excerpt(&c.text, 70);
                let mut job = LayoutJob::default();
                let body = FontId::proportional(ui.text_style_height(&egui::TextStyle::Body) - 2.0);
                let fg = ui.visuals().text_color();
                job.append(
                    &format!("{} ", status_symbol(status)),
                    0.0,
                    TextFormat {
                        font_id: body.clone(),
                        color: fg,
                        background: status_color(status, dark),
                        ..Default::default()
                    },
                );
                job.append(&format!(" {:.2} ", c.score), 0.0, TextFormat::simple(body.clone(), fg));
                if c.is_manual() {
                    job.append("[manual] ", 0.0, TextFormat::simple(body.clone(), ui.visuals().weak_text_color()));
                }
                if !kinds.is_empty() {
                    job.append(
                        &format!("[{}] ", kinds.join(", ")),
                        0.0,
                        TextFormat::simple(body.clone(), ui.visuals().weak_text_color()),
                    );
                }
                job.append(
                    &format!("{source} — "),
                    0.0,
                    TextFormat::simple(body.clone(), ui.visuals().hyperlink_color),
                );
                job.append(&words, 0.0, TextFormat::simple(body, fg));
                job.wrap.max_rows = 1;
                job.wrap.max_width = ui.available_width();
                let r = ui
                    .add_sized(
                        [ui.available_width(), row_height],
                        egui::Button::selectable(Some(i) == selected, job).truncate(),
                    )
                    .on_hover_text(&c.text);
                if r.clicked() {
                    clicked = Some(c.id.clone());
                }
            });
        }
    });
    ui.ctx().data_mut(|d| d.insert_temp(egui::Id::unique("claims-list-offset"), output.state.clamped_offset().y));
    if visible.is_empty() {
        ui.label("No claims match the filters.");
    }
    if let Some(id) = clicked {
        app.commands.push(Command::Select(id));
    }
}

/// Build the highlighted layout of one paragraph.
fn paragraph_job(s: &Session, para: Span, ui: &Ui, show_below: bool, width: f32) -> LayoutJob {
    let text = &s.file.document.text;
    let dark = ui.visuals().dark_mode;
    let font = FontId::proportional(ui.text_style_height(&egui::TextStyle::Body) + 2.0);
    let fg = ui.visuals().text_color();
    let faint = ui.visuals().weak_text_color();
    let selected = s.selected_index();
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
        let format = if Some(i) == selected {
            TextFormat {
                font_id: font.clone(),
                color: fg,
                background: status_color(c.review.status, dark),
                underline: Stroke::new(2.0, ui.visuals().selection.stroke.color),
                ..Default::default()
            }
        } else if shown {
            TextFormat {
                font_id: font.clone(),
                color: fg,
                background: status_color(c.review.status, dark).gamma_multiply(0.55),
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
        job.append(" ", 0.0, TextFormat::simple(font, fg));
    }
    job
}

/// The document with every claim highlighted. Only paragraphs in view are laid out; their heights are remembered
/// so the scroll bar and "scroll to the selected claim" stay right without laying out the rest.
fn document_pane(app: &mut App, ui: &mut Ui) {
    let show_below = app.prefs.show_below_threshold;
    let Some(s) = &mut app.session else { return };
    ui.horizontal(|ui| {
        ui.heading(&s.file.document.title);
        ui.label(
            RichText::new(format!("{} claims shown", s.file.claims.iter().filter(|c| s.is_shown_claim(c)).count()))
                .weak(),
        );
    });
    ui.separator();
    let width = ui.available_width() - 16.0;
    let row = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let chars_per_line = (width / (row * 0.45)).max(10.0);
    for (i, h) in s.heights.iter_mut().enumerate() {
        if *h <= 0.0 {
            let len = s.paragraphs[i].len() as f32;
            *h = ((len / chars_per_line).ceil().max(1.0)) * row + ui.spacing().item_spacing.y;
        }
    }
    let mut tops = Vec::with_capacity(s.heights.len() + 1);
    let mut y = 0.0;
    for h in &s.heights {
        tops.push(y);
        y += h;
    }
    let total = y;
    let mut area = ScrollArea::vertical().id_salt("document").auto_shrink([false, false]);
    if s.scroll_to_selection {
        if let Some(c) = s.selected_claim() {
            let p = s.paragraphs.partition_point(|p| p.end < c.span.start).min(s.paragraphs.len() - 1);
            let view = ui.available_height();
            let current = ui.ctx().data(|d| d.get_temp::<f32>(egui::Id::unique("document-offset"))).unwrap_or(0.0);
            if tops[p] < current || tops[p] + s.heights[p] > current + view {
                area = area.vertical_scroll_offset((tops[p] - view / 4.0).max(0.0));
            }
        }
        s.scroll_to_selection = false;
    }
    let mut clicked_at: Option<usize> = None;
    let mut selection: Option<(Span, usize)> = None;
    let output = area.show_viewport(ui, |ui, viewport| {
        ui.set_height(total);
        let first = tops.partition_point(|&t| t <= viewport.min.y).saturating_sub(1);
        let top_y = ui.min_rect().top();
        let in_view = tops[first..].iter().take_while(|&&t| t <= viewport.max.y).count();
        for (i, &top) in tops.iter().enumerate().skip(first).take(in_view) {
            let para = s.paragraphs[i];
            let job = paragraph_job(s, para, ui, show_below, width);
            let rect = egui::Rect::from_min_size(
                egui::pos2(ui.min_rect().left(), top_y + top),
                egui::vec2(width, s.heights[i]),
            );
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).id_salt(("para", i)));
            let mut para_text: &str = &s.file.document.text[para.range()];
            let mut layouter =
                |ui: &Ui, _buf: &dyn egui::TextBuffer, _w: f32| ui.fonts_mut(|f| f.layout_job(job.clone()));
            let out = TextEdit::multiline(&mut para_text)
                .id(egui::Id::unique(("para", i)))
                .frame(egui::Frame::NONE)
                .desired_width(width)
                .desired_rows(1)
                .layouter(&mut layouter)
                .show(&mut child);
            let measured = out.response.rect.height() + ui.spacing().item_spacing.y;
            if (measured - s.heights[i]).abs() > 0.5 {
                s.heights[i] = measured;
            }
            if let Some(range) = out.cursor_range {
                let to_byte =
                    |ci: usize| para.start + para_text.char_indices().nth(ci).map_or(para_text.len(), |(b, _)| b);
                let a = to_byte(range.primary.index.0);
                let b = to_byte(range.secondary.index.0);
                if out.response.has_focus() || out.response.clicked() {
                    selection = Some((Span::new(a.min(b), a.max(b)), a));
                }
                if out.response.clicked() {
                    clicked_at = Some(a);
                }
            }
        }
    });
    ui.ctx().data_mut(|d| d.insert_temp(egui::Id::unique("document-offset"), output.state.clamped_offset().y));
    if let Some((span, cursor)) = selection {
        s.doc_selection = (!span.is_empty()).then_some(span);
        s.doc_cursor = Some(cursor);
    }
    if let Some(at) = clicked_at
        && let Some(c) = s.claim_at(at)
        && s.selected.as_ref() != Some(&c.id)
    {
        let id = c.id.clone();
        s.selected = Some(id);
        s.history.seal();
    }
}

/// The review editor for the selected claim.
fn editor(app: &mut App, ui: &mut Ui) {
    let focus_note = std::mem::take(&mut app.focus_note);
    let mut reviewer = app.prefs.reviewer.clone();
    ui.heading("Review");
    ui.horizontal(|ui| {
        let label = ui.label("Reviewer:");
        let r = ui
            .add(TextEdit::singleline(&mut reviewer).hint_text("your name").desired_width(160.0))
            .labelled_by(label.id);
        app.editable_ids.push(r.id);
    });
    app.set_reviewer(reviewer);
    let Some(s) = &app.session else { return };
    let Some(claim) = s.selected_claim().cloned() else {
        ui.label("Select a claim in the list or the document.");
        return;
    };
    let id = claim.id.clone();
    ui.separator();
    ScrollArea::vertical().id_salt("editor").show(ui, |ui| {
        ui.label(RichText::new(&claim.text).size(15.0));
        ui.add_space(4.0);
        let source =
            claim.attribution.as_ref().map_or("unattributed (no source credited in the text)".to_owned(), |a| {
                format!("{} (cue: \"{}\")", a.source, a.cue)
            });
        ui.label(format!("Attributed to: {source}"));
        let kinds: Vec<&str> = claim.kinds.iter().map(|k| k.as_str()).collect();
        ui.label(format!(
            "Score: {:.2}   Kinds: {}",
            claim.score,
            if kinds.is_empty() { "—".to_owned() } else { kinds.join(", ") }
        ));
        ui.label(format!(
            "Origin: {}",
            match &claim.origin {
                crate::review::Origin::Manual => "manual".to_owned(),
                crate::review::Origin::Extractor { name, version } => format!("{name} {version}"),
            }
        ));
        ui.separator();
        ui.label(RichText::new("Status").strong());
        ui.horizontal(|ui| {
            let dark = ui.visuals().dark_mode;
            for (status, key) in
                [(Status::Verified, "1"), (Status::Disputed, "2"), (Status::Unsourced, "3"), (Status::Unreviewed, "0")]
            {
                let selected = claim.review.status == status;
                let text = RichText::new(format!("{} {} ({key})", status_symbol(status), status.label()));
                let button = egui::Button::selectable(selected, text).fill(if selected {
                    status_color(status, dark)
                } else {
                    Color32::TRANSPARENT
                });
                if ui.add(button).clicked() {
                    app.commands.push(Command::SetStatus(status));
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
            app.commands.push(Command::SetNote(id.clone(), note));
        }
        if r.lost_focus() {
            app.commands.push(Command::SealHistory);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new("Sources").strong());
            if ui.button("Add source").clicked() {
                app.commands.push(Command::AddSource);
            }
        });
        let mut sources = claim.review.sources.clone();
        let mut changed: Option<usize> = None;
        let mut remove: Option<usize> = None;
        for (i, src) in sources.iter_mut().enumerate() {
            ui.push_id(i, |ui| {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    let fields: [(&str, &str, &mut String); 2] = [
                        ("URL or citation:", "https://… or a citation", &mut src.reference),
                        ("Quoted passage:", "the passage that bears on the claim", &mut src.quote),
                    ];
                    for (label, hint, value) in fields {
                        let l = ui.label(label);
                        let r = ui
                            .add(TextEdit::singleline(value).hint_text(hint).desired_width(f32::INFINITY))
                            .labelled_by(l.id);
                        app.editable_ids.push(r.id);
                        if r.changed() {
                            changed = Some(i);
                        }
                        if r.lost_focus() {
                            app.commands.push(Command::SealHistory);
                        }
                    }
                    ui.horizontal(|ui| {
                        let l = ui.label("Accessed:");
                        let mut date = src.accessed.clone().unwrap_or_default();
                        let r = ui
                            .add(TextEdit::singleline(&mut date).hint_text("YYYY-MM-DD").desired_width(100.0))
                            .labelled_by(l.id);
                        app.editable_ids.push(r.id);
                        if r.changed() {
                            src.accessed = (!date.trim().is_empty()).then_some(date);
                            changed = Some(i);
                        }
                        if let Some(d) = &src.accessed
                            && !crate::review::file::is_date(d)
                        {
                            ui.colored_label(ui.visuals().warn_fg_color, "not a YYYY-MM-DD date");
                        }
                        if ui.button("Remove source").clicked() {
                            remove = Some(i);
                        }
                    });
                });
            });
        }
        if let Some(i) = remove {
            sources.remove(i);
            app.commands.push(Command::SetSources(id.clone(), sources, None));
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
            app.commands.push(Command::SetSources(id.clone(), stored, Some(i)));
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            for (label, command) in [
                ("Merge with next", Command::MergeWithNext),
                ("Split at cursor", Command::SplitClaim),
                ("Delete claim", Command::DeleteClaim),
            ] {
                if ui.add_enabled(app.enabled(&command), egui::Button::new(label)).clicked() {
                    app.commands.push(command);
                }
            }
        });
        if ui
            .add_enabled(app.enabled(&Command::AddManualClaim), egui::Button::new("Add selected text as claim"))
            .clicked()
        {
            app.commands.push(Command::AddManualClaim);
        }
    });
}

/// Modal dialogs: unsaved changes, recovery, help, export, compare.
fn dialogs(app: &mut App, ctx: &egui::Context) {
    if let Some(pending) = app.confirm.clone() {
        egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            let what = match pending {
                Pending::Open(_) | Pending::OpenSample => "opening another file",
                Pending::Close => "closing the document",
                Pending::Quit => "quitting",
            };
            ui.heading("Unsaved changes");
            ui.label(format!("Save your changes before {what}?"));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    app.resolve_confirm(true);
                }
                if ui.button("Discard changes").clicked() {
                    app.resolve_confirm(false);
                }
                if ui.button("Cancel").clicked() {
                    app.confirm = None;
                }
            });
        });
    } else if let Some((_, rec)) = app.recoveries.first().cloned() {
        egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
            ui.heading("Restore unsaved work?");
            ui.label(format!(
                "ClaimDesk found unsaved work on \"{}\" ({} of {} claims reviewed), autosaved at {}.",
                rec.file.document.title,
                rec.file.reviewed(),
                rec.file.claims.len(),
                rec.saved_at
            ));
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    app.restore_recovery(0);
                }
                if ui.button("Discard").clicked() {
                    app.discard_recovery(0);
                }
            });
        });
    }
    if app.help_open {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts").open(&mut open).collapsible(false).show(ctx, |ui| {
            egui::Grid::new("help-grid").striped(true).show(ui, |ui| {
                for spec in table().iter().filter(|s| !s.bindings.is_empty()) {
                    ui.label(shortcut_text(spec));
                    ui.label(spec.label);
                    ui.end_row();
                }
            });
            ui.label("Single keys act only when no text field has focus. Setting a status moves to the next claim.");
        });
        app.help_open = open;
    }
    if app.export.is_some() {
        export_dialog(app, ctx);
    }
    if app.compare.is_some() {
        compare_dialog(app, ctx);
    }
}

fn export_dialog(app: &mut App, ctx: &egui::Context) {
    let mut open = true;
    let mut run = false;
    let Some(d) = &mut app.export else { return };
    egui::Window::new("Export").open(&mut open).collapsible(false).show(ctx, |ui| {
        egui::ComboBox::from_label("Format").selected_text(d.format.label()).show_ui(ui, |ui| {
            for f in Format::ALL {
                ui.selectable_value(&mut d.format, f, f.label());
            }
        });
        ui.checkbox(&mut d.all, "Include unreviewed claims");
        if d.format == Format::ClaimReview {
            ui.horizontal(|ui| {
                let l = ui.label("Fact-check URL:");
                ui.add(TextEdit::singleline(&mut d.fact_check_url).hint_text("https://…")).labelled_by(l.id);
            });
            ui.horizontal(|ui| {
                let l = ui.label("Organisation:");
                ui.add(TextEdit::singleline(&mut d.organisation)).labelled_by(l.id);
            });
        }
        if ui.button("Export…").clicked() {
            run = true;
        }
    });
    if run {
        app.run_export();
    }
    if !open {
        app.export = None;
    }
}

fn compare_dialog(app: &mut App, ctx: &egui::Context) {
    let mut open = true;
    let mut add = false;
    let mut settle = None;
    let Some(c) = &app.compare else { return };
    egui::Window::new("Compare reviewers").open(&mut open).default_width(640.0).show(ctx, |ui| {
        ui.label(format!("This review and {} other reviewer file(s).", c.others.len()));
        if ui.button("Add a reviewer's file…").clicked() {
            add = true;
        }
        match &c.comparison {
            None => {
                ui.label("Add another reviewer's review of this document to compare.");
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            Some(Ok(cmp)) => {
                let a = &cmp.agreement;
                let pct = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.1}%", v * 100.0));
                let num = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.3}"));
                ui.label(format!("Claims every reviewer reviewed: {}", a.claims));
                ui.label(format!("Percent agreement: {}", pct(a.percent_agreement)));
                if a.reviewers == 2 {
                    ui.label(format!("Cohen's kappa: {}", num(a.cohen_kappa)));
                } else {
                    ui.label(format!("Fleiss' kappa: {}", num(a.fleiss_kappa)));
                }
                for st in &a.per_status {
                    ui.label(format!(
                        "{}: {} ratings, specific agreement {}",
                        st.status.label(),
                        st.ratings,
                        pct(st.specific_agreement)
                    ));
                }
                ui.separator();
                let disagreements: Vec<_> = cmp.disagreements().collect();
                ui.label(RichText::new(format!("Disagreements: {}", disagreements.len())).strong());
                ScrollArea::vertical().id_salt("disagreements").max_height(360.0).show(ui, |ui| {
                    for d in disagreements {
                        ui.push_id(&d.claim.id, |ui| {
                            ui.label(RichText::new(crate::export::excerpt(&d.claim.text, 120)).strong());
                            egui::Grid::new("verdicts").show(ui, |ui| {
                                for (r, review) in cmp.reviewers.iter().zip(&d.reviews) {
                                    ui.label(&r.name);
                                    match review {
                                        Some(rv) => {
                                            ui.label(format!(
                                                "{} {}",
                                                rv.status.label(),
                                                crate::export::excerpt(&rv.note, 60)
                                            ));
                                            if ui.button(format!("Use {}'s verdict", r.name)).clicked() {
                                                settle = Some((d.claim.id.clone(), rv.clone()));
                                            }
                                        }
                                        None => {
                                            ui.label("—");
                                            ui.label("");
                                        }
                                    }
                                    ui.end_row();
                                }
                            });
                            ui.separator();
                        });
                    }
                });
            }
        }
    });
    if add && let Some(p) = app.dialogs.open(Purpose::OpenReview) {
        app.add_reviewer_file(&p);
    }
    if let Some((id, review)) = settle {
        app.settle(&id, review);
    }
    if !open {
        app.compare = None;
    }
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
