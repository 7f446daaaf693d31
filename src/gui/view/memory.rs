//! Claim memory on screen: "Checked before" in the editor, the question a neither-true-nor-false rating asks, and
//! File > Library.

use super::*;
use crate::gui::memory::{Found, Memory, MemoryStatus};
use crate::library::reuse;

/// The editor's "Checked before" section for `claim`: up to three earlier fact-checks, each with its similarity,
/// verdict, the earlier claim with what differs marked, who checked it and when, its note, sources and link, where it
/// came from, and the ways to use or dismiss it.
pub(super) fn checked_before(memory: &Memory, ui: &mut Ui, claim: &Claim, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Checked before").strong());
        ui.label(RichText::new("(u reuses the first)").weak());
    });
    let shown = memory.shown_for(&claim.id, &claim.dismissed);
    match &memory.status {
        MemoryStatus::Off(why) => {
            // Why, in full, is on the status bar.
            ui.label(RichText::new("Claim memory is not available").weak()).on_hover_text(why);
            return;
        }
        _ if shown.is_empty() && memory.matching && !memory.matches.contains_key(&claim.id) => {
            ui.label(RichText::new("Looking in the library…").weak());
            return;
        }
        _ if shown.is_empty() => {
            ui.label(RichText::new("Nothing similar checked before").weak());
            return;
        }
        _ => {}
    }
    for (i, found) in shown.into_iter().enumerate() {
        ui.push_id(("checked-before", i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                earlier_check(ui, claim, found, i, commands);
            });
        });
    }
}

/// One earlier fact-check.
fn earlier_check(ui: &mut Ui, claim: &Claim, found: &Found, index: usize, commands: &mut Vec<Command>) {
    let p = colours(ui);
    let record = &found.entry.record;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{:.0}% similar", found.score * 100.0)).strong());
        let verdict = record.verdict.clone().unwrap_or_else(|| "no verdict".to_owned());
        match reuse::status_for(&found.entry) {
            Some(status) => {
                status_chip(ui, status, &verdict);
            }
            None => {
                ui.label(RichText::new(verdict).strong());
            }
        }
    });
    // The earlier claim, what differs from this one (numbers, names, dates, negation) marked.
    let body = egui::TextStyle::Body.resolve(ui.style());
    let mut job = LayoutJob::default();
    let text = &record.claim;
    let mut at = 0;
    for span in reuse::differences(&claim.text, text) {
        job.append(&text[at..span.start], 0.0, TextFormat::simple(body.clone(), p.text));
        let marked = TextFormat {
            font_id: body.clone(),
            color: p.warn,
            underline: Stroke::new(1.5, p.warn),
            ..Default::default()
        };
        job.append(&text[span.range()], 0.0, marked);
        at = span.end;
    }
    job.append(&text[at..], 0.0, TextFormat::simple(body, p.text));
    ui.add(egui::Label::new(job).wrap()).on_hover_text("Underlined: what differs from this claim");
    let who = record.author.as_deref().unwrap_or("someone unnamed");
    let when = record.date.as_deref().map(|d| format!(" on {}", d.get(..10).unwrap_or(d))).unwrap_or_default();
    let from = match (&found.entry.source.document_title, found.entry.source.kind) {
        (Some(title), crate::library::SourceKind::Review) => format!("a review of \"{title}\""),
        _ => format!("the feed {}", found.entry.source.name),
    };
    ui.label(RichText::new(format!("Checked by {who}{when}, from {from}")).weak());
    if !record.note.trim().is_empty() {
        ui.add(egui::Label::new(crate::export::excerpt(&record.note, 240)).wrap()).on_hover_text(&record.note);
    }
    for source in record.sources.iter().take(3) {
        ui.label(RichText::new(crate::export::excerpt(source, 90)).weak()).on_hover_text(source);
    }
    ui.horizontal_wrapped(|ui| {
        if let Some(url) = record.url.as_deref().filter(|u| crate::export::claimreview::is_http_url(u)) {
            ui.hyperlink_to("Open the fact-check", url).on_hover_text(url);
        }
        let label = if index == 0 { "Use this verdict (u)" } else { "Use this verdict" };
        if ui.button(label).clicked() {
            commands.push(Command::ReuseMatch(Some((claim.id.clone(), index))));
        }
        if ui
            .button("Not this claim")
            .on_hover_text("Dismiss this match: it is not offered for this claim again")
            .clicked()
        {
            commands.push(Command::DismissMatch(claim.id.clone(), index));
        }
    });
}

/// A reused rating that says neither true nor false ("Mixture"): which status?
pub(super) fn reuse_question(app: &mut App, ctx: &egui::Context) {
    let Some((id, index)) = app.reuse_ask.clone() else { return };
    let rating = app
        .session
        .as_ref()
        .and_then(|s| s.file.claim(&id))
        .and_then(|c| app.memory.shown_for(&c.id, &c.dismissed).get(index).map(|f| f.entry.record.verdict.clone()))
        .flatten()
        .unwrap_or_default();
    egui::Modal::new(egui::Id::unique("reuse-ask")).show(ctx, |ui| {
        ui.heading("Which status?");
        ui.label(format!("The earlier fact-check rated it \"{rating}\", which says neither true nor false."));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            for status in [Status::Verified, Status::Disputed, Status::Unsourced] {
                if ui.button(status.label()).clicked() {
                    app.push(Command::ReuseAs(id.clone(), index, status));
                }
            }
            if ui.button("Cancel").clicked() {
                app.push(Command::LeaveField);
            }
        });
    });
}

/// File > Library: where the library is, its figures, a search, another folder, and imports (a file dialog, a typed
/// path, or files dropped on the window while this is open), with progress.
pub(super) fn library_dialog(app: &mut App, ctx: &egui::Context) {
    let mut commands = Vec::new();
    let remember = app.prefs.remember_verdicts && !app.remember_off;
    let Some(d) = &mut app.library_dialog else { return };
    let memory = &app.memory;
    let screen = ctx.content_rect();
    egui::Modal::new(egui::Id::unique("library")).show(ctx, |ui| {
        ui.set_width((screen.width() * 0.7).min(760.0));
        ui.heading("Claim library");
        let place = memory.location.to_string_lossy();
        let place = if crate::library::is_server_url(&place) {
            format!("Server: {}", crate::library::redact(&place))
        } else {
            format!("Folder: {place}")
        };
        ui.label(RichText::new(place).weak());
        if let Some(notice) = &memory.notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
        if memory.needs_password {
            ui.horizontal(|ui| {
                let l = ui.label("The server asks for a password:");
                let r = ui.add(TextEdit::singleline(&mut d.password).password(true).desired_width(200.0));
                let r = r.labelled_by(l.id);
                app.editable_ids.push(r.id);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.add_enabled(!d.password.is_empty(), egui::Button::new("Connect")).clicked() || enter)
                    && !d.password.is_empty()
                {
                    commands.push(Command::LibraryPassword(std::mem::take(&mut d.password)));
                }
            });
        }
        match &memory.status {
            MemoryStatus::Off(why) => {
                ui.colored_label(ui.visuals().warn_fg_color, why);
            }
            _ => match &memory.stats {
                Some(stats) => {
                    let sources = stats.per_source.len();
                    ui.label(format!("{} fact-checks from {sources} sources", stats.entries));
                    for (name, kind, n) in stats.per_source.iter().take(6) {
                        ui.label(RichText::new(format!("  {name} ({kind}): {n}")).weak());
                    }
                }
                None => {
                    ui.label(RichText::new("Counting…").weak());
                }
            },
        }
        let mut on = remember;
        if ui.checkbox(&mut on, "Add my verdicts to the library when I save").changed() {
            commands.push(Command::ToggleRememberVerdicts);
        }
        ui.separator();
        ui.horizontal(|ui| {
            let l = ui.label("Search:");
            let r = ui.add(TextEdit::singleline(&mut d.search).hint_text("words of a claim").desired_width(300.0));
            let r = r.labelled_by(l.id);
            app.editable_ids.push(r.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.button("Search").clicked() || enter) && !d.search.trim().is_empty() {
                commands.push(Command::SearchLibrary(d.search.trim().to_owned()));
            }
        });
        if !memory.search_results.is_empty() {
            ScrollArea::vertical().id_salt("library-search").max_height(screen.height() * 0.3).show(ui, |ui| {
                for e in &memory.search_results {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(e.record.verdict.as_deref().unwrap_or("—")).strong());
                        ui.add(egui::Label::new(crate::export::excerpt(&e.record.claim, 140)).wrap());
                        ui.label(RichText::new(format!("({})", e.source.name)).weak());
                    });
                }
            });
        }
        ui.separator();
        ui.label(RichText::new("Import fact-checks").strong());
        ui.label(
            RichText::new(
                "Review files, ClaimReview JSON-LD or feeds, Fact Check Tools JSON, CSV or TSV; or drop files here.",
            )
            .weak(),
        );
        ui.horizontal(|ui| {
            if ui.button("Choose a file…").clicked() {
                commands.push(Command::ImportIntoLibrary(None));
            }
            let l = ui.label("or its path:");
            let r = ui.add(TextEdit::singleline(&mut d.import).hint_text("/path/to/feed.jsonld").desired_width(260.0));
            app.editable_ids.push(r.labelled_by(l.id).id);
            if ui.add_enabled(!d.import.trim().is_empty(), egui::Button::new("Import")).clicked() {
                commands.push(Command::ImportIntoLibrary(Some(vec![PathBuf::from(d.import.trim())])));
                d.import.clear();
            }
        });
        if let Some((line, fraction)) = &memory.import_progress {
            ui.add(egui::ProgressBar::new(*fraction).text(line.as_str()));
        }
        if let Some(last) = &memory.last {
            ui.label(RichText::new(last).weak());
        }
        ui.separator();
        ui.horizontal(|ui| {
            let l = ui.label("Use the library in:");
            let r = ui.add(TextEdit::singleline(&mut d.folder).hint_text("/path/to/folder").desired_width(260.0));
            app.editable_ids.push(r.labelled_by(l.id).id);
            if ui.add_enabled(!d.folder.trim().is_empty(), egui::Button::new("Use")).clicked() {
                commands.push(Command::UseLibrary(Some(PathBuf::from(d.folder.trim()))));
            }
            if ui.button("Use the default").clicked() {
                commands.push(Command::UseLibrary(None));
            }
        });
        ui.add_space(6.0);
        if ui.button("Close").clicked() {
            commands.push(Command::LeaveField);
        }
    });
    app.commands.extend(commands);
}
