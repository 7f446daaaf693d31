//! Colours: one palette per theme for everything a reviewer reads, and egui's visuals set to match.
//!
//! Every colour the window draws text with, and every background it draws text on, comes from [`palette`] or from
//! the [`visuals`] the window installs; [`readable_pairs`] lists each text-on-background combination with the
//! contrast it must reach (WCAG AA: 4.5:1 for text a reviewer reads, 3:1 for disabled controls and the deliberately
//! faint sentences below the threshold), and a test computes every ratio from these colours. Highlights are opaque,
//! so the ratio on screen is the ratio computed. Unreviewed claims get a light wash, reviewed ones their status
//! colour, and the selected claim the strongest text of all.

use egui::{Color32, Visuals};

use crate::review::Status;

/// The colours of one theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub dark: bool,
    /// Panels and dialogs.
    pub panel: Color32,
    /// Text fields.
    pub field: Color32,
    /// Body and document text.
    pub text: Color32,
    /// Details, hints, labels of facts.
    pub weak: Color32,
    /// Sentences below the threshold, shown when asked for.
    pub faint: Color32,
    /// Credited sources, links.
    pub link: Color32,
    pub warn: Color32,
    pub error: Color32,
    /// A claim in the document, per status ([`Status::ALL`] order), not selected.
    pub highlight: [Color32; 4],
    /// The selected claim, per status: read with [`Palette::selected_text`].
    pub selected: [Color32; 4],
    pub selected_text: Color32,
    /// Status chips and badges, read with [`Palette::on_chip`].
    pub chip: [Color32; 4],
    pub on_chip: Color32,
    /// The selected row of the claims list, and a row under the pointer.
    pub row_selected: Color32,
    pub row_hover: Color32,
    /// Buttons and other controls at rest.
    pub control: Color32,
    pub control_text: Color32,
    /// How strongly a disabled control's text is kept (egui's `disabled_alpha`).
    pub disabled_alpha: f32,
}

const fn hex(rgb: u32) -> Color32 {
    Color32::from_rgb((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}

/// The palette of the dark or the light theme.
pub fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            dark,
            panel: hex(0x1b1b1b),
            field: hex(0x0a0a0a),
            text: hex(0xe6e6e6),
            weak: hex(0xaaaaaa),
            faint: hex(0x8a8a8a),
            link: hex(0x8cc4ff),
            warn: hex(0xffb454),
            error: hex(0xff7a7a),
            // Unreviewed: a light wash; reviewed: the status hue, dark enough to read on.
            highlight: [hex(0x37321f), hex(0x1e4a2a), hex(0x5a2424), hex(0x3a2f63)],
            selected: [hex(0x4a3f10), hex(0x14431f), hex(0x6e1c1c), hex(0x3b2a85)],
            selected_text: hex(0xffffff),
            chip: [hex(0x6b5a12), hex(0x22662f), hex(0x8a2a2a), hex(0x4b3a8a)],
            on_chip: hex(0xffffff),
            row_selected: hex(0x1e3a57),
            row_hover: hex(0x2a2a2a),
            control: hex(0x3c3c3c),
            control_text: hex(0xececec),
            disabled_alpha: 0.55,
        }
    } else {
        Palette {
            dark,
            panel: hex(0xf8f8f8),
            field: hex(0xffffff),
            text: hex(0x1a1a1a),
            weak: hex(0x555555),
            faint: hex(0x808080),
            link: hex(0x0b5cad),
            warn: hex(0x9a4700),
            error: hex(0xb00020),
            highlight: [hex(0xfff4c8), hex(0xd3f0d8), hex(0xf9d5d5), hex(0xe2dbfb)],
            selected: [hex(0xffe48a), hex(0xa9e2b4), hex(0xf5b3b3), hex(0xcbbff7)],
            selected_text: hex(0x000000),
            chip: [hex(0xf2d25c), hex(0x8fd89e), hex(0xf2a0a0), hex(0xbbaaf2)],
            on_chip: hex(0x000000),
            row_selected: hex(0xc4dcf5),
            row_hover: hex(0xebebeb),
            control: hex(0xe6e6e6),
            control_text: hex(0x141414),
            disabled_alpha: 0.55,
        }
    }
}

impl Palette {
    pub fn highlight(&self, status: Status) -> Color32 {
        self.highlight[status as usize]
    }

    pub fn selected(&self, status: Status) -> Color32 {
        self.selected[status as usize]
    }

    pub fn chip(&self, status: Status) -> Color32 {
        self.chip[status as usize]
    }
}

/// egui's visuals for the theme, with this palette's text colours (egui's own dark theme draws text in a grey that
/// reads at about 3.4:1 on the highlights and 2.7:1 when weak).
pub fn visuals(dark: bool) -> Visuals {
    let p = palette(dark);
    let mut v = if dark { Visuals::dark() } else { Visuals::light() };
    v.panel_fill = p.panel;
    v.window_fill = p.panel;
    v.extreme_bg_color = p.field;
    v.widgets.noninteractive.fg_stroke.color = p.text;
    v.widgets.inactive.fg_stroke.color = p.control_text;
    v.widgets.inactive.bg_fill = p.control;
    v.widgets.inactive.weak_bg_fill = p.control;
    v.weak_text_color = Some(p.weak);
    v.hyperlink_color = p.link;
    v.warn_fg_color = p.warn;
    v.error_fg_color = p.error;
    v.disabled_alpha = p.disabled_alpha;
    v
}

/// The WCAG contrast ratio of two opaque colours, 1 to 21.
pub fn contrast(a: Color32, b: Color32) -> f32 {
    fn luminance(c: Color32) -> f32 {
        let lin = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// `fg` at `alpha` over `bg`, as it shows on screen.
pub fn over(fg: Color32, alpha: f32, bg: Color32) -> Color32 {
    let mix = |f: u8, b: u8| (f32::from(f) * alpha + f32::from(b) * (1.0 - alpha)).round() as u8;
    Color32::from_rgb(mix(fg.r(), bg.r()), mix(fg.g(), bg.g()), mix(fg.b(), bg.b()))
}

/// One text-on-background combination the window draws, with the ratio it must reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub what: String,
    pub fg: Color32,
    pub bg: Color32,
    pub min: f32,
}

/// Every text-on-background combination the window draws in a theme.
pub fn readable_pairs(dark: bool) -> Vec<Pair> {
    let p = palette(dark);
    let v = visuals(dark);
    let mut pairs = Vec::new();
    let mut add = |what: &str, fg: Color32, bg: Color32, min: f32| {
        pairs.push(Pair { what: what.to_owned(), fg, bg, min });
    };
    const READ: f32 = 4.5;
    for (name, bg) in [("panel", p.panel), ("dialog", v.window_fill), ("text field", v.extreme_bg_color)] {
        add(&format!("text on the {name}"), v.text_color(), bg, READ);
        add(&format!("weak text and hints on the {name}"), v.weak_text_color(), bg, READ);
        add(&format!("links on the {name}"), v.hyperlink_color, bg, READ);
        add(&format!("warnings on the {name}"), v.warn_fg_color, bg, READ);
        add(&format!("errors on the {name}"), v.error_fg_color, bg, READ);
    }
    add("sentences below the threshold", p.faint, p.panel, 3.0);
    for status in Status::ALL {
        let s = status.label();
        add(&format!("document text on a {s} claim"), p.text, p.highlight(status), READ);
        add(&format!("the selected {s} claim"), p.selected_text, p.selected(status), READ);
        add(&format!("a {s} chip or badge"), p.on_chip, p.chip(status), READ);
    }
    for (name, bg) in [("selected row", p.row_selected), ("row under the pointer", p.row_hover)] {
        add(&format!("text on the {name}"), p.text, bg, READ);
        add(&format!("details on the {name}"), p.weak, bg, READ);
        add(&format!("the source on the {name}"), p.link, bg, READ);
        add(&format!("a warning on the {name}"), p.warn, bg, READ);
    }
    add("button text", v.widgets.inactive.fg_stroke.color, v.widgets.inactive.weak_bg_fill, READ);
    add(
        "a disabled button's text",
        over(v.widgets.inactive.fg_stroke.color, v.disabled_alpha, p.panel),
        over(v.widgets.inactive.weak_bg_fill, v.disabled_alpha, p.panel),
        3.0,
    );
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_a_reviewer_reads_meets_wcag_aa_in_both_themes() {
        let mut failures = Vec::new();
        for dark in [false, true] {
            for pair in readable_pairs(dark) {
                let ratio = contrast(pair.fg, pair.bg);
                if ratio < pair.min {
                    failures.push(format!("{} theme: {}: {ratio:.2}:1 < {}:1", theme(dark), pair.what, pair.min));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn the_selected_claim_is_the_most_legible_and_unreviewed_claims_are_a_light_wash() {
        for dark in [false, true] {
            let p = palette(dark);
            for status in Status::ALL {
                let selected = contrast(p.selected_text, p.selected(status));
                for other in Status::ALL {
                    let plain = contrast(p.text, p.highlight(other));
                    assert!(
                        selected >= plain.min(7.0),
                        "{} theme: selected {status:?} {selected:.2} < {plain:.2}",
                        theme(dark)
                    );
                }
            }
            // A light wash: the unreviewed highlight is the one closest to the page.
            let unreviewed = contrast(p.highlight(Status::Unreviewed), p.panel);
            for status in [Status::Verified, Status::Disputed, Status::Unsourced] {
                assert!(
                    unreviewed < contrast(p.highlight(status), p.panel) + 0.05,
                    "{} theme: {status:?}",
                    theme(dark)
                );
            }
            assert!(unreviewed < 1.5, "{} theme: unreviewed {unreviewed:.2}", theme(dark));
        }
    }

    #[test]
    fn contrast_is_the_wcag_ratio() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-6);
        // The colours this replaced: egui's dark grey text on the old unreviewed wash (the status colour at 45% over
        // the panel) read at 3.4:1, and on the selected claim's solid colour at 1.9:1, as measured in the window.
        let egui_grey = Color32::from_gray(140);
        let old_wash = over(hex(0x705e18), 0.45, hex(0x1b1b1b));
        assert!((contrast(egui_grey, old_wash) - 3.4).abs() < 0.15, "{}", contrast(egui_grey, old_wash));
        assert!((contrast(egui_grey, hex(0x705e18)) - 1.9).abs() < 0.15, "{}", contrast(egui_grey, hex(0x705e18)));
    }

    fn theme(dark: bool) -> &'static str {
        if dark { "dark" } else { "light" }
    }
}
