//! Keys: shortcuts from the command table, applied in the order they were pressed, and the rule for when
//! single-letter keys act (only while the reviewer is navigating).

use super::*;

/// Shortcuts from the command table, every press in the order it came (a burst of three `j` in one frame moves three
/// claims). Chords act everywhere; single keys only while the reviewer is visibly navigating: no dialog is open, no
/// widget has keyboard focus (a text field, or a button or link reached with Tab, which is drawn with a focus ring),
/// and no typing is under way (a key typed into a text field starts a typing run; Esc, Enter or a click ends it), so
/// a letter typed after Tab left a text field never acts as a shortcut. Esc leaves the text field or closes what is
/// on top, an open menu first.
pub(super) fn handle_keys(app: &mut App, ctx: &egui::Context) {
    use egui::Event;
    // Esc typed in the same frame as the last characters before it: egui lets go of the field's focus before the
    // field reads them, and they would be lost. The field keeps its focus for this frame, to read them, and gives it
    // up at the start of the next.
    if let Some(id) = app.release_focus.take() {
        ctx.memory_mut(|m| m.surrender_focus(id));
        app.push(Command::SealHistory);
    }
    let text_before_escape = ctx.input(|i| {
        let escape = i.events.iter().position(
            |e| matches!(e, Event::Key { key: Key::Escape, pressed: true, modifiers, .. } if !modifiers.any()),
        );
        escape.is_some_and(|at| i.events[..at].iter().any(|e| matches!(e, Event::Text(_))))
    });
    if text_before_escape
        && let Some(id) = app.text_focus
        && ctx.memory(|m| m.focused()).is_none()
    {
        ctx.memory_mut(|m| m.request_focus(id));
        app.release_focus = Some(id);
    }
    // Focus on a paragraph of the document (clicked to select text in it) is not typing and holds no keys.
    let focused = ctx.memory(|m| m.focused()).filter(|id| !app.passive_ids_last.contains(id));
    let in_text = focused.is_some_and(|id| app.editable_ids_last.contains(&id));
    app.text_focus = focused.filter(|_| in_text).or(app.release_focus);
    // A question on top (or the prompt for a path, where no file dialog is available) takes no chords either: they
    // would act behind it (Ctrl+O under "Save the review as" stacked a second question on the first).
    let asking =
        app.confirm.is_some() || app.conflict.is_some() || !app.recoveries.is_empty() || app.path_prompt.is_some();
    let modal = asking
        || app.export.is_some()
        || app.compare_open()
        || app.path_prompt.is_some()
        || app.library_dialog.is_some()
        || app.reuse_ask.is_some();
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
    let keep_for_text = app.release_focus.is_some();
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
                } else if keep_for_text {
                    // The field lets go next frame, and its typing run is sealed then, after it read its text.
                } else if in_text || focused.is_some() {
                    // egui has already let go of the field's focus; the typing run ends, and its undo step with it.
                    pushed.push(Command::SealHistory);
                } else {
                    pushed.push(Command::LeaveField);
                }
                return false;
            }
            // A command that opens a dialog or moves the keyboard (Ctrl+O, n) takes the keys after it: in the same
            // frame they are not shortcuts any more.
            let singles = !modal && focused.is_none() && !typing && !menu_open && !pushed.iter().any(takes_keys);
            let command = crate::gui::commands::command_for(key, modifiers, !asking, singles);
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
pub(super) fn focus_ring(app: &App, ctx: &egui::Context) {
    let Some(rect) = app.keyboard_focus.and_then(|id| ctx.read_response(id)).map(|r| r.rect) else { return };
    let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("focus-ring")));
    let colour = ctx.global_style().visuals.selection.stroke.color;
    painter.rect_stroke(rect.expand(2.0), 3.0, Stroke::new(2.0, colour), StrokeKind::Outside);
}

/// Whether `command` opens a dialog or puts the keyboard in a field, so the keys typed after it are not shortcuts.
fn takes_keys(command: &Command) -> bool {
    matches!(
        command,
        Command::Open
            | Command::OpenReview
            | Command::Save
            | Command::SaveAs
            | Command::Export
            | Command::CompareReviewers
            | Command::CloseDocument
            | Command::Quit
            | Command::EditNote
            | Command::SearchClaims
            | Command::AddSource
            | Command::ToggleHelp
    )
}
