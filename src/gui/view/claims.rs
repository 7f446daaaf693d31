//! The claims list: status filter chips, search, kind, sort, the threshold slider, and one row per claim, laying
//! out only the rows in view.

use super::*;

/// The claims list: filters, sort, threshold, counts, and one two-line row per claim, laying out only visible rows.
pub(super) fn claims_list(app: &mut App, ui: &mut Ui) {
    let focus_search = std::mem::take(&mut app.focus_search);
    let mut commands = Vec::new();
    let Some(s) = &mut app.session else { return };
    ui.add_space(2.0);
    ui.heading("Claims");
    let counts = s.counts();
    // Filter chips: a click shows only that status; a click on the chosen one (or "Show all") shows every status.
    let p = colours(ui);
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        ui.spacing_mut().button_padding.x = 5.0;
        for status in Status::ALL {
            let i = status as usize;
            let only = s.filter.showing_only() == Some(status);
            let text = RichText::new(format!("{} {}", status.label(), counts.per_status[i])).small();
            let chip = if only {
                egui::Button::selectable(true, text.color(p.on_chip)).fill(p.chip(status))
            } else {
                egui::Button::selectable(false, text).stroke(Stroke::new(1.0, p.chip(status)))
            };
            let hint = if only {
                "Show every status again".to_owned()
            } else {
                format!("Show only {} claims", status.label().to_lowercase())
            };
            if ui.add(chip).on_hover_text(hint).clicked() {
                s.filter.statuses = if only { [true; 4] } else { std::array::from_fn(|j| j == i) };
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Search:");
        // Focus is given before the field is drawn, so the keys typed right after Ctrl+F land in it.
        let search_id = egui::Id::unique("claims-search");
        if focus_search {
            ui.memory_mut(|m| m.request_focus(search_id));
        }
        let r = ui
            .add(
                TextEdit::singleline(&mut s.filter.search)
                    .id(search_id)
                    .hint_text("text, source or note (Ctrl+F)")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        app.editable_ids.push(r.id);
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
        if s.file.is_transcript() {
            use crate::gui::session::SpeakerFilter;
            ui.add_space(8.0);
            let label = ui.label("Speaker:");
            let shown = match &s.filter.speaker {
                SpeakerFilter::Anyone => "anyone".to_owned(),
                SpeakerFilter::Only(name) => name.clone(),
                SpeakerFilter::NoModerators => "not the moderators".to_owned(),
            };
            egui::ComboBox::from_id_salt("speaker-filter")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut s.filter.speaker, SpeakerFilter::Anyone, "anyone");
                    ui.selectable_value(&mut s.filter.speaker, SpeakerFilter::NoModerators, "not the moderators");
                    for (speaker, n) in s.file.speakers() {
                        let text = format!("{} ({n})", speaker.name);
                        ui.selectable_value(&mut s.filter.speaker, SpeakerFilter::Only(speaker.name), text);
                    }
                })
                .response
                .labelled_by(label.id);
        }
        ui.add_space(8.0);
        ui.label("Sort:");
        ui.radio_value(&mut s.filter.sort, SortBy::Position, "position");
        ui.radio_value(&mut s.filter.sort, SortBy::Score, "score");
        ui.radio_value(&mut s.filter.sort, SortBy::Match, "match")
            .on_hover_text("The strongest match in the library (checked before) first");
    });
    ui.horizontal(|ui| {
        ui.label("Only:");
        ui.checkbox(&mut s.filter.checked_before, "checked before")
            .on_hover_text("Only claims with a strong match in the library (0.5 or more)");
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
    let visible = s.visible().to_vec();
    let shown_total = counts.shown;
    let mut summary = format!("{} of {shown_total} claims listed", visible.len());
    if hidden > 0 {
        summary.push_str(&format!(" · {hidden} below the threshold"));
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(summary).weak());
        if s.filter.statuses != [true; 4] {
            let what = s.filter.showing_only().map_or("some statuses".to_owned(), |st| st.label().to_lowercase());
            ui.label(RichText::new(format!("· {what} only")).weak());
            if ui.link("Show all").clicked() {
                s.filter.statuses = [true; 4];
            }
        }
    });
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
            let credited = c.credited();
            let source = credited.as_deref().unwrap_or("unattributed");
            let kinds: Vec<&str> = c.kinds.iter().map(|k| k.as_str()).collect();
            let excerpt = crate::export::excerpt(&c.text, 90);
            let strength = s.match_strength.get(&c.id).copied().filter(|m| *m >= crate::gui::memory::STRONG);
            let checked = strength.map(|m| format!(" checked before {:.0}%", m * 100.0)).unwrap_or_default();
            let label = format!(
                "{} {} {} [{}] {source}{checked} — {excerpt}",
                status_symbol(c.review.status),
                c.review.status.label(),
                score_text(c),
                kinds.join(", ")
            );
            response.widget_info(|| WidgetInfo::selected(Role::ListItem, true, is_selected, &label));
            if ui.is_rect_visible(rect) {
                paint_row(ui, rect, &response, (c, strength), is_selected, (&body, &small), &kinds);
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

/// A claim's score as shown: a manual claim was chosen by a reviewer, not scored into the list, so it says "manual".
pub(super) fn score_text(c: &Claim) -> String {
    if c.is_manual() { "manual".to_owned() } else { format!("{:.2}", c.score) }
}

/// One row of the claims list: a status badge, the claim's first words, and a line of score, kinds and source.
#[allow(clippy::too_many_arguments)]
pub(super) fn paint_row(
    ui: &Ui,
    rect: Rect,
    response: &egui::Response,
    (c, strength): (&Claim, Option<f32>),
    is_selected: bool,
    (body, small): (&FontId, &FontId),
    kinds: &[&str],
) {
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let p = colours(ui);
    if is_selected {
        painter.rect_filled(rect, 4.0, p.row_selected);
        painter.rect_filled(
            Rect::from_min_size(rect.min, vec2(3.0, rect.height())),
            1.0,
            visuals.selection.stroke.color,
        );
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, p.row_hover);
    }
    let status = c.review.status;
    let badge = Rect::from_min_size(rect.min + vec2(8.0, 6.0), vec2(18.0, 18.0));
    painter.rect_filled(badge, 4.0, p.chip(status));
    painter.text(badge.center(), Align2::CENTER_CENTER, status_symbol(status), FontId::proportional(12.0), p.on_chip);
    let x = badge.right() + 8.0;
    let width = (rect.right() - x - 6.0).max(10.0);
    let (fg, weak) = (p.text, p.weak);
    // No more characters than the row can show (the rest would be laid out only to be cut).
    let fits = (width / (body.size * 0.3)) as usize + 1;
    let first_line: String = c.text.lines().next().unwrap_or("").chars().take(fits).collect();
    let mut line1 = LayoutJob::single_section(first_line, TextFormat::simple(body.clone(), fg));
    line1.wrap = TextWrapping::truncate_at_width(width);
    let g1 = painter.layout_job(line1);
    let h1 = g1.size().y;
    painter.galley(egui::pos2(x, rect.top() + 5.0), g1, fg);
    let mut line2 = LayoutJob::default();
    line2.append(&score_text(c), 0.0, TextFormat::simple(small.clone(), weak));
    // A strong match in the library: checked before (early in the line, so a narrow list still shows it).
    if let Some(m) = strength {
        let text = format!("  · checked before {:.0}%", m * 100.0);
        line2.append(&text, 0.0, TextFormat::simple(small.clone(), p.link));
    }
    if !kinds.is_empty() {
        line2.append(&format!("  {}", kinds.join(", ")), 0.0, TextFormat::simple(small.clone(), weak));
    }
    // Who it is credited to: the speaker in a transcript, and the source the words credit ("Joe Biden, citing the
    // CBO").
    let credited = c.credited();
    let source_color = if credited.is_some() { p.link } else { weak };
    line2.append(
        &format!("  · {}", credited.as_deref().unwrap_or("unattributed")),
        0.0,
        TextFormat::simple(small.clone(), source_color),
    );
    if c.review.verdicts.iter().map(|v| v.review.status).collect::<std::collections::BTreeSet<_>>().len() > 1 {
        line2.append("  · reviewers disagree", 0.0, TextFormat::simple(small.clone(), p.warn));
    }
    line2.wrap = TextWrapping::truncate_at_width(width);
    painter.galley(egui::pos2(x, rect.top() + 7.0 + h1), painter.layout_job(line2), weak);
}
