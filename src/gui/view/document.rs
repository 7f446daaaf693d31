//! The document pane: the article with every claim highlighted, laying out only the paragraphs in view.

use super::*;

/// Build the highlighted layout of one paragraph.
/// (`selected` is the selected claim's index, looked up once per frame: finding it by id walks the claims.)
pub(super) fn paragraph_job(
    s: &Session,
    para: Span,
    ui: &Ui,
    (show_below, selected): (bool, Option<usize>),
    width: f32,
    font: &FontId,
) -> LayoutJob {
    let text = &s.file.document.text;
    let p = colours(ui);
    let (fg, faint) = (p.text, p.faint);
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
        let status = c.review.status;
        let format = if Some(i) == selected {
            // The selected claim reads best of all: the strongest text on its status colour (and an outline).
            TextFormat {
                font_id: font.clone(),
                color: p.selected_text,
                background: p.selected(status),
                ..Default::default()
            }
        } else if shown {
            // Unreviewed claims are a light wash, so the reviewed ones and the selection stand out.
            TextFormat { font_id: font.clone(), color: fg, background: p.highlight(status), ..Default::default() }
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
pub(super) fn char_range_rects(galley: &egui::Galley, from: usize, to: usize) -> Vec<Rect> {
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
pub(super) fn outline(rows: &[Rect]) -> Vec<egui::Pos2> {
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

/// Whether the paragraph at `para` is a blank line.
fn is_blank(text: &str, para: Span) -> bool {
    text[para.range()].trim().is_empty()
}

/// The document with every claim highlighted. Only paragraphs in view are laid out; their heights are remembered
/// so the scroll bar and "scroll to the selected claim" stay right without laying out the rest.
pub(super) fn document_pane(app: &mut App, ui: &mut Ui) {
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
    // A new width (the window resized, zoomed, the panels moved): every height is estimated again, and the selected
    // claim is brought back into view over the next frames, as the paragraphs around it are measured.
    if (s.layout_width - width).abs() > 0.5 {
        s.layout_width = width;
        s.heights.iter_mut().for_each(|h| *h = 0.0);
        s.scroll_frames = 3;
    }
    // A blank line between paragraphs is a small gap, not a band as tall as a line of text.
    let blank = (gap * 0.6).round();
    for (i, h) in s.heights.iter_mut().enumerate() {
        if *h <= 0.0 {
            let para = s.paragraphs[i];
            *h = if is_blank(&s.file.document.text, para) {
                blank
            } else {
                ((para.len() as f32 / chars_per_line).ceil().max(1.0)) * row + gap
            };
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
    let settling = s.scroll_frames > 0;
    if s.scroll_to_selection || settling {
        if let Some(span) = selected_span {
            let p = s.paragraphs.partition_point(|p| p.end < span.start).min(s.paragraphs.len() - 1);
            let view = ui.available_height();
            let current = ui.ctx().data(|d| d.get_temp::<f32>(offset_id)).unwrap_or(0.0);
            if settling || tops[p] < current || tops[p] + s.heights[p].min(view / 2.0) > current + view {
                area = area.vertical_scroll_offset((tops[p] - view / 4.0).max(0.0));
            }
        }
        s.scroll_to_selection = false;
        s.scroll_frames = s.scroll_frames.saturating_sub(1);
        if s.scroll_frames > 0 {
            ui.ctx().request_repaint();
        }
    }
    let mut clicked_at: Option<usize> = None;
    let mut selection: Option<(Span, usize)> = None;
    let clear_selection = std::mem::take(&mut s.clear_doc_selection);
    let outline_color = ui.visuals().selection.stroke.color;
    let marker_color = colours(ui).warn;
    // Where "Split at cursor" would split: the text cursor, when it is inside the selected claim.
    let split_at = s.doc_cursor.filter(|&c| selected_span.is_some_and(|sp| c > sp.start && c < sp.end));
    let mut line_chars = 0;
    let mut passive = Vec::new();
    let output = area.show_viewport(ui, |ui, viewport| {
        ui.set_height(total);
        let first = tops.partition_point(|&t| t <= viewport.min.y).saturating_sub(1);
        let top_y = ui.min_rect().top();
        let left = ui.min_rect().left() + 4.0;
        let in_view = tops[first..].iter().take_while(|&&t| t <= viewport.max.y).count();
        for (i, &top) in tops.iter().enumerate().skip(first).take(in_view) {
            let para = s.paragraphs[i];
            if is_blank(&s.file.document.text, para) {
                s.heights[i] = blank;
                continue;
            }
            let job = paragraph_job(s, para, ui, (show_below, selected), width, &font);
            let rect = egui::Rect::from_min_size(egui::pos2(left, top_y + top), egui::vec2(width, s.heights[i]));
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).id_salt(("para", i)));
            let para_id = egui::Id::unique(("para", i));
            passive.push(para_id);
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
            line_chars = line_chars.max(out.galley.rows.first().map_or(0, |r| r.glyphs.len()));
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
            if let Some(at) = split_at.filter(|&c| c >= para.start && c <= para.end) {
                let ci = para_text[..at - para.start].chars().count();
                let caret =
                    out.galley.pos_from_cursor(egui::text::CCursor::new(ci)).translate(out.galley_pos.to_vec2());
                let stroke = Stroke::new(2.5, marker_color);
                ui.painter().line_segment(
                    [caret.center_top() - vec2(0.0, 2.0), caret.center_bottom() + vec2(0.0, 2.0)],
                    stroke,
                );
                let tip = caret.center_top() - vec2(0.0, 2.0);
                ui.painter().add(egui::Shape::convex_polygon(
                    vec![tip + vec2(-4.0, -5.0), tip + vec2(4.0, -5.0), tip],
                    marker_color,
                    Stroke::NONE,
                ));
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
    s.doc_line_chars = line_chars;
    app.passive_ids.extend(passive);
    let Some(s) = &mut app.session else { return };
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
