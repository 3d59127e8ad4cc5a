//! Text that users typed or files carried, made safe to show: the one sanitiser every echoed value
//! goes through ([`echo`]), and the rule on control characters in stored text ([`control_rule`]).

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

/// Control characters shown escaped: `\x1b`, `\n` as `\x0a` (for the terminal and messages).
pub fn escape_controls(value: &str) -> String {
    if !value.chars().any(char::is_control) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if c.is_control() {
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

/// The rule `value` breaks as a `kind` field, if any (the message never repeats the value).
pub fn control_rule(value: &str, kind: TextKind) -> Option<&'static str> {
    let bad = value
        .chars()
        .find(|c| c.is_control() && !(kind == TextKind::Note && *c == '\t'))?;
    Some(match (bad, kind) {
        ('\n' | '\r', TextKind::Code) => "has a line break: ids and codes are one line",
        ('\n' | '\r', _) => "has a line break: this field is one line",
        _ => "has a control character (e.g. ESC): only printable text is accepted",
    })
}

/// `Err("the WHAT RULE")` when `value` breaks the control-character rule of a `kind` field.
pub fn check_text(what: &str, value: &str, kind: TextKind) -> Result<(), String> {
    match control_rule(value, kind) {
        Some(rule) => Err(format!("the {what} {rule}")),
        None => Ok(()),
    }
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
    fn at_most_ten_then_and_n_more() {
        let p: Vec<String> = (0..13).map(|i| i.to_string()).collect();
        assert_eq!(
            at_most(&p, 10, "; "),
            "0; 1; 2; 3; 4; 5; 6; 7; 8; 9; and 3 more"
        );
        assert_eq!(at_most(&p[..2], 10, "; "), "0; 1");
    }
}
