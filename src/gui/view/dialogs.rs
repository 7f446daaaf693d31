//! The modal dialogs: unsaved changes, a review changed on disk, recovery, the path prompt, the help overlay and
//! export.

use super::*;

/// Modal dialogs: unsaved changes, recovery, help, export, compare.
pub(super) fn dialogs(app: &mut App, ctx: &egui::Context) {
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
                    app.push(Command::LeaveField);
                }
            });
        });
    } else if let Some(conflict) = app.conflict.clone() {
        egui::Modal::new(egui::Id::unique("conflict")).show(ctx, |ui| {
            use crate::gui::app::ConflictChoice;
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
    if app.library_dialog.is_some() {
        library_dialog(app, ctx);
    }
    if app.reuse_ask.is_some() {
        reuse_question(app, ctx);
    }
    if app.path_prompt.is_some() {
        path_prompt(app, ctx);
    }
}

/// Where the desktop has no file dialog service: ask for the path in the window.
pub(super) fn path_prompt(app: &mut App, ctx: &egui::Context) {
    use crate::gui::dialogs::Purpose;
    let Some(prompt) = &mut app.path_prompt else { return };
    let (title, button) = match prompt.purpose {
        Purpose::Open => ("Open a document or a review file", "Open"),
        Purpose::OpenReviewFile => ("Open a review file", "Open"),
        Purpose::OpenReview => ("Add a reviewer's file", "Add"),
        Purpose::ImportFeed => ("Import fact-checks into the library", "Import"),
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
        // Focus before drawing: the keys typed right after the prompt opened land in it. Asked for until the field
        // has it: on the frame a modal opens, egui does not yet count it the top layer and refuses focus to what it
        // holds, so a single request was lost (the path typed next went nowhere).
        let path_id = egui::Id::unique("path-prompt");
        if prompt.focus {
            ui.memory_mut(|m| m.request_focus(path_id));
        }
        let r = ui.add(TextEdit::singleline(&mut prompt.text).id(path_id).desired_width(500.0)).labelled_by(label.id);
        if r.has_focus() {
            prompt.focus = false;
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
        app.push(Command::LeaveField);
    } else if answer {
        app.push(Command::AnswerPathPrompt);
    }
}

pub(super) fn help_overlay(app: &mut App, ctx: &egui::Context) {
    let table = table();
    // Each column is one grid, its sections rows of it, and every key cell has the same width: keys and actions
    // line up down the whole column and across both.
    let key_width = 150.0;
    let column = |ui: &mut Ui, id: &str, sections: &[(Menu, &str)]| {
        egui::Grid::new(id).num_columns(2).min_col_width(key_width).spacing([16.0, 4.0]).show(ui, |ui| {
            for (menu, title) in sections {
                ui.label(RichText::new(*title).strong());
                ui.end_row();
                for spec in table.iter().filter(|s| s.menu == *menu && !s.bindings.is_empty()) {
                    ui.label(RichText::new(shortcut_text(spec)).monospace());
                    ui.label(spec.label);
                    ui.end_row();
                }
                ui.label("");
                ui.end_row();
            }
        });
    };
    // A modal: the window behind is dimmed, and a click outside closes it.
    let response = egui::Modal::new(egui::Id::unique("help")).show(ctx, |ui| {
        ui.heading("Keyboard shortcuts");
        ui.add_space(6.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| column(ui, "help-left", &[(Menu::Review, "Reviewing"), (Menu::Edit, "Editing")]));
            ui.add_space(24.0);
            ui.vertical(|ui| {
                column(ui, "help-right", &[(Menu::File, "Files"), (Menu::View, "View"), (Menu::Help, "Help")])
            });
        });
        ui.label(
            RichText::new(
                "Single keys act only while you navigate: not while a text field, button or link has keyboard focus \
                 (Esc leaves it). Setting a status moves to the next claim. F1, ? or Esc closes this.",
            )
            .weak(),
        );
        ui.button("Close").clicked()
    });
    if (response.inner || response.should_close()) && app.help_open {
        app.push(Command::ToggleHelp);
    }
}

pub(super) fn export_dialog(app: &mut App, ctx: &egui::Context) {
    let mut commands = Vec::new();
    let (Some(d), Some(s)) = (&mut app.export, &app.session) else { return };
    let reviewed = crate::export::selected(&s.file, &crate::export::Options { all: false, ..Default::default() }).len();
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
