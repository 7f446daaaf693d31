//! Reading and layout: what the reviewer sees stays legible and in place.

use super::*;

#[test]
fn a_status_chip_shows_only_that_status_with_a_way_back_and_the_four_fit_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    press(&mut h, Key::Num1);
    press(&mut h, Key::Num2);
    let all = list_rows(&h);
    let unreviewed = format!("Unreviewed {}", all - 2);
    let labels = [unreviewed.as_str(), "Verified 1", "Disputed 1", "Unsourced 0"];
    let rects: Vec<egui::Rect> = labels.iter().map(|l| h.get_by_label(l).rect()).collect();
    for r in &rects {
        assert!((r.center().y - rects[0].center().y).abs() < 1.0, "one line at 1400 px: {rects:?}");
    }
    click(&mut h, "Disputed 1");
    assert_eq!(list_rows(&h), 1, "only the disputed claim");
    h.get_by_label("Show all");
    click(&mut h, "Disputed 1");
    assert_eq!(list_rows(&h), all, "the chosen chip again shows every status");
    click(&mut h, "Verified 1");
    assert_eq!(list_rows(&h), 1);
    click(&mut h, "Show all");
    assert_eq!(list_rows(&h), all);
    assert!(h.query_by_label("Show all").is_none());
}
