//! The review editor for the selected claim: status, note, sources, the claim's facts, and claim surgery.

use super::*;

/// The review editor for the selected claim.
pub(super) fn editor(app: &mut App, ui: &mut Ui) {
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
    if reviewer != app.prefs.reviewer {
        app.push(Command::SetReviewer(reviewer));
    }
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
    // The words either side of the split, when the cursor is in the claim.
    let split_preview = s.doc_cursor.filter(|_| has_cursor_in_claim).and_then(|at| {
        let text = &s.file.document.text;
        let left: String =
            text.get(claim.span.start..at)?.chars().rev().take(24).collect::<Vec<_>>().into_iter().rev().collect();
        let right: String = text.get(at..claim.span.end)?.chars().take(24).collect();
        Some((left.trim().to_owned(), right.trim().to_owned()))
    });
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
        // Truncated, never wider than the panel: a long state must not widen it (and leave it wide).
        ui.add(egui::Label::new(RichText::new(where_).weak()).truncate());
        if ui.button("Next (j) ›").clicked() {
            commands.push(Command::NextClaim);
        }
    });
    ScrollArea::vertical().id_salt("editor").auto_shrink([false, false]).show(ui, |ui| {
        egui::Frame::group(ui.style()).fill(colours(ui).highlight(claim.review.status)).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(&claim.text).size(15.0));
        });
        ui.add_space(4.0);
        // The claim's facts, each a wrapped line: "Attributed to  the Wall Street Journal (cue: "reported")".
        let kinds: Vec<&str> = claim.kinds.iter().map(|k| k.as_str()).collect();
        let speaker = claim
            .speaker
            .as_ref()
            .map(|sp| if sp.role.is_speaker() { sp.name.clone() } else { format!("{} ({})", sp.name, sp.role) });
        let facts = [
            ("Speaker", speaker.unwrap_or_default()),
            (
                "Attributed to",
                claim.attribution.as_ref().map_or("unattributed (no source credited in the text)".to_owned(), |a| {
                    format!("{} (cue: \"{}\")", a.source, a.cue)
                }),
            ),
            ("Score", if claim.is_manual() { "manual (added by a reviewer)".to_owned() } else { score_text(&claim) }),
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
        // (A fact with nothing to say, the speaker outside a transcript, is left out.)
        for (name, value) in facts.into_iter().filter(|(_, v)| !v.is_empty()) {
            let mut job = LayoutJob::default();
            job.append(&format!("{name}  "), 0.0, TextFormat::simple(body.clone(), ui.visuals().weak_text_color()));
            job.append(&value, 0.0, TextFormat::simple(body.clone(), ui.visuals().text_color()));
            ui.add(egui::Label::new(job).wrap());
        }
        ui.separator();
        checked_before(&app.memory, ui, &claim, &mut commands);
        ui.separator();
        ui.label(RichText::new("Status").strong());
        ui.horizontal_wrapped(|ui| {
            for status in [Status::Verified, Status::Disputed, Status::Unsourced, Status::Unreviewed] {
                let selected = claim.review.status == status;
                let text =
                    RichText::new(format!("{} {} ({})", status_symbol(status), status.label(), status_key(status)));
                let text = if selected { text.color(colours(ui).on_chip) } else { text };
                let button = egui::Button::selectable(selected, text).fill(if selected {
                    colours(ui).chip(status)
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
        // Focus before drawing: the keys typed right after `n` land in the note.
        let note_id = egui::Id::unique("note-editor");
        if focus_note {
            ui.memory_mut(|m| m.request_focus(note_id));
            // Typing goes at the end of this claim's note: the field is one widget for every claim, and its cursor
            // was left where the reviewer stopped typing in another claim's note (a note of 10 characters put the
            // next claim's typing 10 characters into its text).
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), note_id).unwrap_or_default();
            let end = egui::text::CCursor::new(note.chars().count());
            state.cursor.set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), note_id);
        }
        let r = ui
            .add(
                TextEdit::multiline(&mut note)
                    .id(note_id)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .hint_text("What you checked, and what you found"),
            )
            .labelled_by(note_label.id);
        app.editable_ids.push(r.id);
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
                        let source_id = ui.make_persistent_id("source-reference");
                        if focus_new_source && i + 1 == count {
                            ui.memory_mut(|m| m.request_focus(source_id));
                        }
                        let r = ui
                            .add(
                                TextEdit::singleline(&mut src.reference)
                                    .id(source_id)
                                    .hint_text("https://… or a citation")
                                    .desired_width(width),
                            )
                            .labelled_by(l.id);
                        source_field(&r, i, &mut app.editable_ids, &mut changed, &mut commands);
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
                    source_field(&r, i, &mut app.editable_ids, &mut changed, &mut commands);
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
        if let Some((left, right)) = split_preview {
            // Where "Split at cursor" will split, also marked in the document.
            let mut job = LayoutJob::default();
            let body = egui::TextStyle::Body.resolve(ui.style());
            let p = colours(ui);
            job.append("Splits at the marker: …", 0.0, TextFormat::simple(body.clone(), p.weak));
            job.append(&left, 0.0, TextFormat::simple(body.clone(), p.text));
            job.append(" | ", 0.0, TextFormat::simple(body.clone(), p.warn));
            job.append(&right, 0.0, TextFormat::simple(body.clone(), p.text));
            job.append("…", 0.0, TextFormat::simple(body, p.weak));
            ui.add(egui::Label::new(job).wrap());
        }
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
pub(super) fn verdicts(ui: &mut Ui, claim: &Claim, commands: &mut Vec<Command>) {
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

/// A text field of source `i` was drawn: it is editable (single keys wait while it has focus), a change marks source
/// `i` changed, and leaving it ends its typing run (one undo step).
fn source_field(
    r: &egui::Response,
    i: usize,
    editable: &mut Vec<egui::Id>,
    changed: &mut Option<usize>,
    commands: &mut Vec<Command>,
) {
    editable.push(r.id);
    if r.changed() {
        *changed = Some(i);
    }
    if r.lost_focus() {
        commands.push(Command::SealHistory);
    }
}
