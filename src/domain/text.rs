//! Text that users typed or files carried, made safe to show: the one sanitiser every echoed value
//! goes through ([`echo`]), and the one rule on stored text ([`text_rule`]): no control or
//! bidirectional character ([`control_rule`]) and no NHS number outside its own field
//! ([`nhs_rule`]). The import readers, the store's writes, the forms and the command line call it.

use super::NhsNumber;

/// Longest echoed value, in characters.
pub const ECHO_MAX: usize = 40;
/// What an NHS number in an echoed value is shown as.
pub const NHS_HIDDEN: &str = "(NHS number hidden)";

/// `value` as an error may repeat it: every 10-digit sequence with a valid NHS check digit (also
/// spaced 3-3-4 or dashed) shown as [`NHS_HIDDEN`], control characters escaped (`\x1b`), and cut to
/// [`ECHO_MAX`] characters.
pub fn echo(value: &str) -> String {
    escape_controls(&hide_nhs_numbers(value))
        .chars()
        .take(ECHO_MAX)
        .collect()
}

/// A count with its noun, singular for one: `1 line`, `2 lines`, `0 lines`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A bidirectional control character: the embeddings and overrides U+202A–U+202E, the isolates
/// U+2066–U+2069 and the marks U+200E/U+200F. They reorder what a terminal or a spreadsheet shows
/// (a right-to-left override makes `1234` read `4321`), so they are treated as control characters.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// A character stored text never holds: a control character or a bidirectional one.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Control and bidirectional characters shown escaped: `\x1b`, `\n` as `\x0a`, U+202E as
/// `\u{202e}` (for the terminal and messages).
pub fn escape_controls(value: &str) -> String {
    if !value.chars().any(is_unsafe) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if is_unsafe(c) {
            let n = c as u32;
            if n <= 0xff {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The first NHS number in `value`, in any of the forms [`hide_nhs_numbers`] finds.
pub fn nhs_number_in(value: &str) -> Option<NhsNumber> {
    // Most text has fewer than ten digits: no need to look further (the stores's bulk writes
    // call this on every identifier).
    if value.bytes().filter(u8::is_ascii_digit).count() < 10 {
        return None;
    }
    let chars: Vec<char> = value.chars().collect();
    (0..chars.len())
        .filter(|&i| chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()))
        .find_map(|i| {
            let len = nhs_at(&chars[i..])?;
            NhsNumber::parse(&chars[i..i + len].iter().collect::<String>()).ok()
        })
}

/// The rule a value of any field but the NHS number's own breaks when it holds a valid NHS number
/// (with or without spaces or dashes): the words say so and show it masked (`*** *** 5919`), never
/// whole.
pub fn nhs_rule(value: &str) -> Option<String> {
    nhs_number_in(value).map(|n| {
        format!(
            "looks like an NHS number ({}): NHS numbers go only in the NHS number field",
            n.masked()
        )
    })
}

/// Every NHS number in `value` (10 digits not inside a longer run of digits, or 3-3-4 with single
/// spaces or dashes, with a valid check digit) replaced by [`NHS_HIDDEN`].
pub fn hide_nhs_numbers(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_run = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if starts_run {
            if let Some(len) = nhs_at(&chars[i..]) {
                out.push_str(NHS_HIDDEN);
                i += len;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The length of an NHS number starting `s`, when one does (and no digit follows it).
fn nhs_at(s: &[char]) -> Option<usize> {
    let shapes: [&[usize]; 2] = [&[10], &[3, 3, 4]];
    for groups in shapes {
        let mut digits = String::new();
        let mut i = 0;
        let mut ok = true;
        for (g, n) in groups.iter().enumerate() {
            if g > 0 {
                match s.get(i) {
                    Some(' ' | '-') => i += 1,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            for _ in 0..*n {
                match s.get(i) {
                    Some(c) if c.is_ascii_digit() => {
                        digits.push(*c);
                        i += 1;
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                break;
            }
        }
        let ends = !s.get(i).is_some_and(char::is_ascii_digit);
        if ok && ends && NhsNumber::parse(&digits).is_ok() {
            return Some(i);
        }
    }
    None
}

/// What may be in a stored text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Ids and codes: no control character at all (so no newline).
    Code,
    /// Names and short text: no control character.
    Line,
    /// Free-text notes: tab allowed, no other control character.
    Note,
}

/// The control-character rule `value` breaks as a `kind` field, if any (the message never repeats
/// the value). Bidirectional characters count as control characters.
pub fn control_rule(value: &str, kind: TextKind) -> Option<&'static str> {
    let bad = value
        .chars()
        .find(|c| is_unsafe(*c) && !(kind == TextKind::Note && *c == '\t'))?;
    Some(match (bad, kind) {
        ('\n' | '\r', TextKind::Code) => "has a line break: ids and codes are one line",
        ('\n' | '\r', _) => "has a line break: this field is one line",
        (c, _) if is_bidi_control(c) => {
            "has a right-to-left or other bidirectional control character: only printable text is accepted"
        }
        _ => "has a control character (e.g. ESC): only printable text is accepted",
    })
}

/// The rule `value` breaks as a stored `kind` field other than the NHS number's own: a control or
/// bidirectional character, or an NHS number (shown masked). `None` when it may be stored.
pub fn text_rule(value: &str, kind: TextKind) -> Option<String> {
    control_rule(value, kind)
        .map(str::to_string)
        .or_else(|| nhs_rule(value))
}

/// `Err("the WHAT RULE")` when `value` breaks the [`text_rule`] of a `kind` field.
pub fn check_text(what: &str, value: &str, kind: TextKind) -> Result<(), String> {
    match text_rule(value, kind) {
        Some(rule) => Err(format!("the {what} {rule}")),
        None => Ok(()),
    }
}

/// `Err("the WHAT is longer than MAX characters")` when `value` is longer than `max` characters,
/// else its [`check_text`].
pub fn check_bounded(what: &str, value: &str, kind: TextKind, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("the {what} is longer than {max} characters"));
    }
    check_text(what, value, kind)
}

/// The longest user name the audit log keeps (`--user`, `$DTOC_USER`, who signs a week off).
pub const USER_MAX: usize = 64;
/// The longest comment or reason kept (a sign-off's comment, a reopening's reason).
pub const COMMENT_MAX: usize = 500;

/// The rule a user name breaks, if any: empty, longer than [`USER_MAX`] characters, a control
/// character or an NHS number.
pub fn check_user(user: &str) -> Result<(), String> {
    if user.trim().is_empty() {
        return Err("the user name is empty: changes are attributed to a name".to_string());
    }
    check_bounded("user name", user, TextKind::Line, USER_MAX)
}

/// At most `max` problems, then "and N more" (for messages that list problems).
pub fn at_most(problems: &[String], max: usize, sep: &str) -> String {
    let mut s = problems
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(sep);
    if problems.len() > max {
        s.push_str(&format!("{sep}and {} more", problems.len() - max));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_are_hidden_in_every_form() {
        assert_eq!(echo("9434765919"), NHS_HIDDEN);
        assert_eq!(echo("943 476 5919"), NHS_HIDDEN);
        assert_eq!(echo("943-476-5919"), NHS_HIDDEN);
        assert_eq!(echo("X9434765919Y"), format!("X{NHS_HIDDEN}Y"));
        assert_eq!(
            echo("reason 943 476 5919."),
            format!("reason {NHS_HIDDEN}.")
        );
        // A wrong check digit, or part of a longer run, is not an NHS number.
        assert_eq!(echo("9434765918"), "9434765918");
        assert_eq!(echo("19434765919"), "19434765919");
    }

    #[test]
    fn controls_are_escaped_and_values_cut() {
        assert_eq!(echo("E\u{1b}]0;PWN\u{7}"), "E\\x1b]0;PWN\\x07");
        assert_eq!(echo("a\nb"), "a\\x0ab");
        let long = "x".repeat(100);
        assert_eq!(echo(&long), "x".repeat(40));
    }

    #[test]
    fn control_rules_by_kind() {
        assert!(control_rule("ab", TextKind::Code).is_none());
        assert!(control_rule("a\tb", TextKind::Note).is_none());
        assert!(control_rule("a\tb", TextKind::Line).is_some());
        assert!(control_rule("a\nb", TextKind::Code)
            .unwrap()
            .contains("line break"));
        assert!(control_rule("a\u{1b}b", TextKind::Note).is_some());
    }

    #[test]
    fn bidirectional_controls_are_control_characters() {
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}',
        ] {
            let v = format!("ward{c}1");
            for kind in [TextKind::Code, TextKind::Line, TextKind::Note] {
                assert!(
                    control_rule(&v, kind).unwrap().contains("bidirectional"),
                    "{c:?}"
                );
            }
            assert!(!echo(&v).contains(c), "{c:?} shown raw");
        }
        assert_eq!(echo("a\u{202E}b"), "a\\u{202e}b");
        // Other format characters and right-to-left letters themselves are text.
        assert!(control_rule("\u{05D0}\u{05D1}", TextKind::Line).is_none());
    }

    #[test]
    fn an_nhs_number_outside_its_field_is_refused_and_shown_masked() {
        for v in [
            "9434765919",
            "943 476 5919",
            "943-476-5919",
            "ward 9434765919",
            "P9434765919",
        ] {
            let rule = text_rule(v, TextKind::Note).unwrap();
            assert_eq!(
                rule,
                "looks like an NHS number (*** *** 5919): NHS numbers go only in the NHS number field"
            );
            assert!(!rule.contains("943"), "{rule}");
        }
        assert_eq!(
            nhs_number_in("x 943 476 5919").unwrap().as_str(),
            "9434765919"
        );
        // A wrong check digit or a longer run of digits is no NHS number.
        for v in ["9434765918", "19434765919", "P123", "2018-08-13", ""] {
            assert_eq!(text_rule(v, TextKind::Code), None, "{v}");
        }
        assert_eq!(
            check_text("comment", "call 6541003238", TextKind::Note).unwrap_err(),
            "the comment looks like an NHS number (*** *** 3238): NHS numbers go only in the NHS number field"
        );
        assert_eq!(
            check_bounded("user", &"x".repeat(65), TextKind::Line, 64).unwrap_err(),
            "the user is longer than 64 characters"
        );
        assert!(check_bounded("user", &"x".repeat(64), TextKind::Line, 64).is_ok());
    }

    #[test]
    fn at_most_ten_then_and_n_more() {
        let p: Vec<String> = (0..13).map(|i| i.to_string()).collect();
        assert_eq!(
            at_most(&p, 10, "; "),
            "0; 1; 2; 3; 4; 5; 6; 7; 8; 9; and 3 more"
        );
        assert_eq!(at_most(&p[..2], 10, "; "), "0; 1");
    }
}
