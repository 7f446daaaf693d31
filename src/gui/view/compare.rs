//! "Compare reviewers": agreement figures and each disagreement side by side, each one a way to settle it.

use super::*;

pub(super) fn compare_dialog(app: &mut App, ctx: &egui::Context) {
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
        // Each file by the reviewer its reviews name (else its file name), never by a full path (that is on hover).
        let names: Vec<String> = match &c.comparison {
            Some(Ok(cmp)) => cmp.reviewers.iter().map(|r| r.name.clone()).collect(),
            _ => Vec::new(),
        };
        egui::Grid::new("reviewers").num_columns(2).show(ui, |ui| {
            ui.label("1.");
            let mine = names.first().cloned().unwrap_or_else(|| s.display_name());
            ui.label(format!("This review: {mine} ({})", s.display_name()));
            ui.end_row();
            for (i, (path, _)) in c.others.iter().enumerate() {
                ui.label(format!("{}.", i + 2));
                ui.horizontal(|ui| {
                    let file = std::path::Path::new(path)
                        .file_name()
                        .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
                    let label = match names.get(i + 1) {
                        Some(name) if *name != file => format!("{name} ({file})"),
                        _ => file,
                    };
                    ui.label(label).on_hover_text(path);
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
        let crate::gui::app::CompareDialog { comparison, drafts, mine, .. } = c;
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
                ui.label(
                    RichText::new(
                        "κ (kappa) is agreement corrected for chance: 1 means the reviewers always agree, 0 no more \
                         than chance would give; above 0.6 is usually read as substantial.",
                    )
                    .weak(),
                );
                egui::Grid::new("per-status").striped(true).num_columns(5).show(ui, |ui| {
                    for h in ["Status", "Times given", "All gave it", "Agreement on it", "κ against the rest"] {
                        ui.label(RichText::new(h).strong());
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
                // Claims this review left unreviewed that others reviewed (and agree on): their verdicts can be
                // adopted too.
                let adoptable: Vec<_> = cmp
                    .claims
                    .iter()
                    .filter(|x| x.outcome != crate::merge::Outcome::Disagreed)
                    .filter(|x| !x.reviews.first().and_then(Option::as_ref).is_some_and(Review::is_reviewed))
                    .filter(|x| x.reviews.iter().skip(1).flatten().any(Review::is_reviewed))
                    .filter(|x| s.file.claim(&x.claim.id).is_some())
                    .collect();
                let live = |id| s.file.claim(id).map(|c: &Claim| &c.review);
                let settled = disagreements.iter().filter(|d| live(&d.claim.id) != compared(&d.claim.id)).count();
                ui.label(RichText::new(format!("Disagreements: {} ({settled} settled)", disagreements.len())).strong());
                // A fixed height: an auto-sized scroll area in an auto-sized dialog would grow frame by frame.
                let height = ((disagreements.len() + adoptable.len()) as f32 * 150.0)
                    .clamp(60.0, (screen.height() * 0.5).max(200.0));
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
                                    // Columns that fit the card with the spacing between them, so nothing is clipped.
                                    let n = cmp.reviewers.len();
                                    let gaps = ui.spacing().item_spacing.x * (n as f32 - 1.0) + 8.0;
                                    let col = ((ui.available_width() - gaps) / n as f32).max(100.0);
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
                                        settled_line(ui, now);
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
                        if !adoptable.is_empty() {
                            ui.add_space(6.0);
                            ui.label(
                                RichText::new(format!("Reviewed by others, not in this review ({})", adoptable.len()))
                                    .strong(),
                            );
                            for x in &adoptable {
                                let id = &x.claim.id;
                                ui.push_id(("adopt", id), |ui| {
                                    egui::Frame::group(ui.style()).show(ui, |ui| {
                                        ui.set_width(ui.available_width());
                                        ui.add(egui::Label::new(crate::export::excerpt(&x.claim.text, 160)).wrap())
                                            .on_hover_text(&x.claim.text);
                                        for (r, review) in cmp.reviewers.iter().zip(&x.reviews).skip(1) {
                                            let Some(rv) = review.as_ref().filter(|rv| rv.is_reviewed()) else {
                                                continue;
                                            };
                                            ui.horizontal_wrapped(|ui| {
                                                ui.label(RichText::new(&r.name).strong());
                                                status_chip(ui, rv.status, rv.status.label());
                                                if !rv.note.is_empty() {
                                                    ui.add(egui::Label::new(&rv.note).wrap());
                                                }
                                                if ui.button(format!("Use {}'s verdict", r.name)).clicked() {
                                                    let taken = Some(r.name.clone());
                                                    commands.push(Command::Settle(id.clone(), rv.clone(), taken));
                                                }
                                            });
                                        }
                                        if let Some(now) = live(id).filter(|now| Some(*now) != compared(id)) {
                                            settled_line(ui, now);
                                        }
                                    });
                                });
                            }
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

/// "Settled: Verified, by Carol with Bob's verdict", under a claim settled since the comparison opened.
fn settled_line(ui: &mut Ui, now: &Review) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Settled:");
        status_chip(ui, now.status, now.status.label());
        if let Some(settled) = &now.settled {
            let how = match &settled.verdict_of {
                Some(who) => format!("by {}, taking {who}'s verdict", settled.by),
                None => format!("by {}, with a verdict of their own", settled.by),
            };
            ui.label(RichText::new(how).weak());
        }
        if !now.note.is_empty() {
            ui.label(RichText::new(crate::export::excerpt(&now.note, 80)).weak());
        }
    });
}
