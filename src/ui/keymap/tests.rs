//! The keymap table: footers are subsets of help, keys unambiguous, every context covered.

use super::*;

const ALL: [Context; 17] = [
    Context::FirstRun,
    Context::Dashboard,
    Context::Register,
    Context::Detail,
    Context::Board,
    Context::BoardCensus,
    Context::BoardSummary,
    Context::LongStay,
    Context::Report,
    Context::Settings,
    Context::Discharges,
    Context::Weekly,
    Context::Reconcile,
    Context::Filter,
    Context::Form,
    Context::Confirm,
    Context::Help,
];

#[test]
fn footer_is_a_subset_of_help_and_keys_are_unambiguous() {
    for ctx in ALL {
        let help = hints(ctx, false);
        for f in hints(ctx, true) {
            assert!(help.contains(&f), "{ctx:?} {f:?}");
        }
        let mut seen = Vec::new();
        for b in bindings(ctx) {
            for k in b.keys {
                assert!(!seen.contains(k), "{ctx:?}: {k:?} bound twice");
                seen.push(*k);
            }
        }
    }
}

#[test]
fn printable_keys_go_to_text_fields() {
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        action_for(Context::Form, &q),
        Some(Action::Input(TextEdit::Insert('q')))
    );
    assert_eq!(
        action_for(Context::Filter, &q),
        Some(Action::Input(TextEdit::Insert('q')))
    );
    assert_eq!(action_for(Context::Register, &q), Some(Action::Quit));
    let shift_r = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT);
    assert_eq!(
        action_for(Context::Register, &shift_r),
        Some(Action::CycleReason)
    );
}
