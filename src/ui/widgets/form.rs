//! A form: typed fields validated as you type, errors beside each field.

use crate::domain::{parse_input_date, NhsNumber, YearMonth};
use crate::ui::keymap::TextEdit;
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use tui_input::Input;

/// One entry of a pick list: the code typed or stored, and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

impl Choice {
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            label: label.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Nhs,
    Date,
    Month,
    Number,
    Decimal,
    /// A nine-character ONS local authority code (`E10000018`).
    LaCode,
    /// A calendar year (of a population estimate).
    Year,
    Choice(Vec<Choice>),
    /// Free text with a list to pick from (Up/Down step through the list; a name typed that is
    /// not on it is kept as typed): an action's owner.
    Suggest(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub input: Input,
    /// A pick list's type-ahead: the letters typed since the field was focused (each key
    /// extends it; the value is the first entry it starts).
    typed: String,
}

impl Field {
    pub fn new(label: impl Into<String>, kind: FieldKind, required: bool) -> Self {
        Self {
            label: label.into(),
            kind,
            required,
            input: Input::default(),
            typed: String::new(),
        }
    }

    pub fn with_value(mut self, v: impl Into<String>) -> Self {
        self.input = Input::new(v.into());
        self
    }

    pub fn value(&self) -> &str {
        self.input.value().trim()
    }

    /// The error to show beside the field, if its value is not acceptable.
    pub fn error(&self, today: NaiveDate) -> Option<String> {
        let v = self.value();
        if v.is_empty() {
            return self.required.then(|| s::REQUIRED.to_string());
        }
        // No control character in any field (a tab only in free text), no NHS number in a text
        // field (it has its own), nothing before 1990.
        use crate::domain::text::{control_rule, text_rule, TextKind};
        if matches!(self.kind, FieldKind::Text | FieldKind::Suggest(_)) {
            if let Some(rule) = text_rule(self.input.value(), TextKind::Note) {
                return Some(rule);
            }
        } else if let Some(rule) = control_rule(self.input.value(), TextKind::Code) {
            return Some(rule.to_string());
        }
        match &self.kind {
            FieldKind::Date => {
                return match parse_input_date(v, today) {
                    Ok(d) => crate::domain::too_early(d),
                    Err(e) => Some(e.to_string()),
                }
            }
            FieldKind::Month => {
                return match YearMonth::parse(v) {
                    Ok(m) => crate::domain::implausible_month(m, today),
                    Err(_) => Some(s::ERR_MONTH.to_string()),
                }
            }
            _ => {}
        }
        match &self.kind {
            FieldKind::Text | FieldKind::Suggest(_) => None,
            FieldKind::Nhs => NhsNumber::parse(v).err().map(|e| e.to_string()),
            FieldKind::Date => parse_input_date(v, today).err().map(|e| e.to_string()),
            FieldKind::Month => YearMonth::parse(v).err().map(|_| s::ERR_MONTH.to_string()),
            FieldKind::Number => v
                .parse::<u32>()
                .err()
                .map(|_| s::ERR_NOT_NUMBER.to_string()),
            FieldKind::Decimal => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => None,
                _ => Some(s::ERR_NOT_DECIMAL.to_string()),
            },
            FieldKind::LaCode => crate::domain::LaCode::parse(v).err().map(|e| e.to_string()),
            FieldKind::Year => match v.parse::<i32>() {
                Ok(y) if (1990..=2199).contains(&y) => None,
                _ => Some(s::ERR_YEAR.to_string()),
            },
            FieldKind::Choice(_) => self.choice().is_none().then(|| s::ERR_CHOICE.to_string()),
        }
    }

    /// Beside a date field typed in another form (`t-3`, `-1`, `y`, `3/7/18`): the date it means.
    pub fn date_echo(&self, today: NaiveDate) -> Option<String> {
        let v = self.value();
        if self.kind != FieldKind::Date || crate::domain::parse_iso_date(v).is_ok() {
            return None;
        }
        let d = parse_input_date(v, today).ok()?;
        Some(format!("= {}", d.format("%a %-d %b %Y")))
    }

    /// The chosen entry of a pick list: its code or its label, ignoring case.
    pub fn choice(&self) -> Option<&Choice> {
        let v = self.value();
        match &self.kind {
            FieldKind::Choice(list) => list
                .iter()
                .find(|c| c.code.eq_ignore_ascii_case(v))
                .or_else(|| list.iter().find(|c| c.label.eq_ignore_ascii_case(v))),
            _ => None,
        }
    }

    /// The value to save: a pick list's code, else the trimmed text.
    pub fn saved(&self) -> &str {
        self.choice().map_or(self.value(), |c| c.code.as_str())
    }

    /// A text edit into a pick list: typing replaces the value and completes by prefix, as a
    /// pick list does. Each letter extends the typed prefix and the value becomes the first
    /// entry whose code, else whose label, starts with it (ignoring case); the same letter again
    /// with no longer match steps to the next entry starting with it; Backspace shortens the
    /// prefix. A prefix that starts no entry stays as typed (and is flagged "not in the list").
    /// Returns false for a field that is not a pick list.
    pub fn type_ahead(&mut self, e: TextEdit) -> bool {
        let FieldKind::Choice(list) = &self.kind else {
            return false;
        };
        let previous = self.value().to_string();
        match e {
            TextEdit::Insert(c) => self.typed.push(c),
            TextEdit::Backspace => {
                self.typed.pop();
            }
            TextEdit::Clear | TextEdit::Delete => self.typed.clear(),
            // Moving the cursor in a pick list changes nothing.
            _ => return true,
        }
        let starts = |s: &str, p: &str| s.to_lowercase().starts_with(&p.to_lowercase());
        let matching = |p: &str| -> Vec<&Choice> {
            let by_code = list.iter().filter(|c| starts(&c.code, p));
            let by_label = list
                .iter()
                .filter(|c| !starts(&c.code, p) && starts(&c.label, p));
            by_code.chain(by_label).collect()
        };
        let value = if self.typed.is_empty() {
            String::new()
        } else if let Some(c) = matching(&self.typed).first() {
            c.code.clone()
        } else {
            // The same letter again: the next entry starting with it.
            let mut letters = self.typed.chars();
            let first = letters.next().unwrap_or_default();
            let again: Vec<&Choice> = if letters.all(|c| c.eq_ignore_ascii_case(&first)) {
                matching(&first.to_string())
            } else {
                Vec::new()
            };
            match again.iter().position(|c| c.code == previous) {
                Some(i) => {
                    self.typed = first.to_string();
                    again
                        .get((i + 1) % again.len())
                        .map(|c| c.code.clone())
                        .unwrap_or_default()
                }
                None => self.typed.clone(),
            }
        };
        self.input = Input::new(value);
        true
    }

    fn cycle(&mut self, step: isize) {
        self.typed.clear();
        if let FieldKind::Suggest(list) = &self.kind {
            if list.is_empty() {
                return;
            }
            let n = list.len() as isize;
            let cur = list
                .iter()
                .position(|c| c.eq_ignore_ascii_case(self.value()))
                .map_or(if step > 0 { -1 } else { 0 }, |i| i as isize);
            let next = (cur + step).rem_euclid(n) as usize;
            self.input = Input::new(list.get(next).cloned().unwrap_or_default());
            return;
        }
        if let FieldKind::Choice(list) = &self.kind {
            if list.is_empty() {
                return;
            }
            let n = list.len() as isize;
            let cur = list
                .iter()
                .position(|c| c.code.eq_ignore_ascii_case(self.value()))
                .map_or(if step > 0 { -1 } else { 0 }, |i| i as isize);
            let next = (cur + step).rem_euclid(n) as usize;
            let code = list.get(next).map(|c| c.code.clone()).unwrap_or_default();
            self.input = Input::new(code);
        }
    }
}

/// The form's fields, focus, whether anything changed and the store's last refusal.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: &'static str,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// Why the store refused the last save (the form is kept).
    pub error: Option<String>,
    /// A note under the fields (e.g. the patient found for a local id).
    pub note: Option<String>,
    /// Set after a save is tried: every field's error shows, not only touched ones.
    pub tried: bool,
    touched: Vec<bool>,
}

impl Form {
    pub fn new(title: &'static str, fields: Vec<Field>) -> Self {
        let n = fields.len();
        Self {
            title,
            fields,
            focus: 0,
            dirty: false,
            error: None,
            note: None,
            tried: false,
            touched: vec![false; n],
        }
    }

    /// The value to save of field `i` (a pick list's code when one is chosen).
    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", Field::saved)
    }

    pub fn next(&mut self) {
        self.forget_typed();
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev(&mut self) {
        self.forget_typed();
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    pub fn cycle(&mut self, step: isize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.cycle(step);
            self.dirty = true;
            // The last refusal was of the values before: it goes once one is changed.
            self.error = None;
            if let Some(t) = self.touched.get_mut(self.focus) {
                *t = true;
            }
        }
    }

    /// Leaving a field: a pick list's next letter starts a new prefix.
    fn forget_typed(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.typed.clear();
        }
    }

    pub fn edit(&mut self, e: TextEdit) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        let before = f.input.value().to_string();
        let changed = if f.type_ahead(e) {
            f.input.value() != before
        } else {
            f.input.handle(e.request()).is_some_and(|r| r.value)
        };
        if changed {
            self.dirty = true;
            self.error = None;
            if let Some(t) = self.touched.get_mut(self.focus) {
                *t = true;
            }
        }
    }

    /// Whether the user has changed field `i`.
    pub fn is_touched(&self, i: usize) -> bool {
        self.touched.get(i).copied().unwrap_or(false)
    }

    /// Sets field `i` for the user (a default worked out from another field); it stays untouched.
    pub fn set_value(&mut self, i: usize, v: &str) {
        if let Some(f) = self.fields.get_mut(i) {
            f.input = Input::new(v.to_string());
        }
    }

    /// The error shown beside field `i` (once touched or after a save was tried).
    pub fn shown_error(&self, i: usize, today: NaiveDate) -> Option<String> {
        let f = self.fields.get(i)?;
        let touched = self.touched.get(i).copied().unwrap_or(false);
        if touched || self.tried {
            f.error(today)
        } else {
            None
        }
    }

    /// The first field with an error.
    pub fn first_invalid(&self, today: NaiveDate) -> Option<usize> {
        self.fields.iter().position(|f| f.error(today).is_some())
    }

    pub fn date(&self, i: usize, today: NaiveDate) -> Option<NaiveDate> {
        parse_input_date(self.value(i), today).ok()
    }
}

/// Draws the form as a centred popup.
pub fn render(frame: &mut Frame, area: Rect, form: &Form, today: NaiveDate, theme: &Theme) {
    // A note or an error of several lines, or of lines that wrap (a preview), makes the popup
    // taller.
    let width = area.width.saturating_sub(4).min(100);
    let inner_w = usize::from(width.saturating_sub(2)).max(1);
    // (The popup has room for two rows of messages already.)
    let extra: usize = [&form.note, &form.error]
        .into_iter()
        .flatten()
        .map(|t| {
            t.lines()
                .map(|l| l.chars().count().div_ceil(inner_w).max(1))
                .sum::<usize>()
        })
        .sum::<usize>()
        .saturating_sub(2);
    let height = (form.fields.len() as u16 + 7)
        .saturating_add(u16::try_from(extra).unwrap_or(u16::MAX))
        .min(area.height);
    let popup = super::centered(area, width, height);
    super::clear_popup(frame, popup, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(form.title, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let label_w = form.fields.iter().map(|f| f.label.len()).max().unwrap_or(8) as u16 + 2;
    let value_w = inner.width.saturating_sub(label_w).clamp(8, 24);
    let mut lines = Vec::new();
    let mut chosen = None;
    let mut cursor_x = inner.x;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { ">" } else { " " };
        let label = format!(
            "{marker}{:<w$}",
            f.label,
            w = (label_w as usize).saturating_sub(1)
        );
        let scroll = f.input.visual_scroll(value_w as usize);
        let shown: String = f
            .input
            .value()
            .chars()
            .skip(scroll)
            .take(value_w as usize)
            .collect();
        let mut spans = vec![
            Span::styled(
                label,
                if focused {
                    theme.focus()
                } else {
                    theme.header()
                },
            ),
            Span::raw(format!("[{shown:<w$}]", w = value_w as usize)),
        ];
        if let Some(c) = f.choice() {
            spans.push(Span::styled(format!(" {}", c.label), theme.dim()));
            // A pick-list label too long for the row is shown whole under the fields.
            let room = inner.width.saturating_sub(label_w + value_w + 3) as usize;
            if focused && c.label.chars().count() > room {
                chosen = Some(format!("{}: {}", f.label, c.label));
            }
        }
        if let Some(echo) = f.date_echo(today) {
            spans.push(Span::styled(format!(" {echo}"), theme.ok()));
        }
        if let Some(e) = form.shown_error(i, today) {
            spans.push(Span::styled(format!(" {e}"), theme.error()));
        }
        lines.push(Line::from(spans));
        if focused {
            cursor_x =
                inner.x + label_w + 1 + (f.input.visual_cursor().saturating_sub(scroll)) as u16;
        }
    }
    let fields = std::mem::take(&mut lines);
    lines.push(Line::raw(""));
    if let Some(c) = chosen {
        lines.push(Line::styled(c, theme.dim()));
    }
    if let Some(e) = form.shown_error(form.focus, today) {
        let label = form.fields.get(form.focus).map_or("", |f| f.label.as_str());
        lines.push(Line::styled(format!("{label}: {e}"), theme.error()));
    }
    if let Some(n) = &form.note {
        lines.extend(n.lines().map(|l| Line::styled(l.to_string(), theme.ok())));
    }
    if let Some(e) = &form.error {
        lines.extend(
            e.lines()
                .map(|l| Line::styled(l.to_string(), theme.error())),
        );
    }
    lines.push(Line::styled(s::FORM_HINT, theme.dim()));
    // One row per field, cut at the edge (a wrapped row would push the fields below out of line
    // with the cursor); the messages under them wrap, and keep their rows when the fields are
    // more than the popup holds: the fields then scroll to keep the focused one in view.
    let messages: u16 = lines
        .iter()
        .map(|l| l.width().div_ceil(inner_w).max(1) as u16)
        .sum();
    let rows = (fields.len() as u16)
        .min(inner.height.saturating_sub(messages).max(1))
        .min(inner.height);
    let start = super::table::window_start(form.focus, fields.len(), usize::from(rows));
    let [fields_area, rest] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
    let at = form.focus.saturating_sub(start) as u16;
    if at < rows {
        frame.set_cursor_position((cursor_x.min(inner.right().saturating_sub(1)), inner.y + at));
    }
    let shown: Vec<Line> = fields.into_iter().skip(start).collect();
    frame.render_widget(Paragraph::new(shown), fields_area);
    // Long notes (a target converted into every unit) wrap rather than being cut.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggest_field_steps_through_its_list_and_keeps_a_name_typed() {
        let list = vec!["Hub team".to_string(), "Social work".to_string()];
        let mut f = Field::new("Owner", FieldKind::Suggest(list), true);
        f.cycle(1);
        assert_eq!(f.value(), "Hub team");
        f.cycle(1);
        assert_eq!(f.value(), "Social work");
        f.cycle(1);
        assert_eq!(f.value(), "Hub team");
        f.cycle(-1);
        assert_eq!(f.value(), "Social work");
        // Typing is free text: a new name is kept as typed, with no error.
        let mut f = f.with_value("");
        for c in "Ward 7 sister".chars() {
            assert!(!f.type_ahead(TextEdit::Insert(c)));
            f.input.handle(TextEdit::Insert(c).request());
        }
        assert_eq!(f.value(), "Ward 7 sister");
        let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
        assert_eq!(f.error(today), None);
    }

    fn reasons() -> Field {
        let list = [
            ("A", "Completion of assessment"),
            ("AE", "Awaiting equipment"),
            ("B", "Public funding"),
            ("C", "Further non-acute NHS care"),
            ("D1", "Care home placement: residential"),
            ("D2", "Care home placement: nursing"),
        ]
        .iter()
        .map(|(c, l)| Choice::new(*c, *l))
        .collect();
        Field::new("Reason", FieldKind::Choice(list), true).with_value("B")
    }

    fn keys(f: &mut Field, s: &str) -> Vec<String> {
        s.chars()
            .map(|c| {
                let e = if c == '<' {
                    TextEdit::Backspace
                } else {
                    TextEdit::Insert(c)
                };
                assert!(f.type_ahead(e));
                f.value().to_string()
            })
            .collect()
    }

    #[test]
    fn typing_into_a_pick_list_replaces_and_completes_by_prefix() {
        let mut f = reasons();
        // The first letter replaces "B"; the second narrows to the entry starting "AE".
        assert_eq!(keys(&mut f, "ae"), ["A", "AE"]);
        assert_eq!(
            f.choice().map(|c| c.label.as_str()),
            Some("Awaiting equipment")
        );
        // Backspace shortens the prefix; emptying it empties the field.
        assert_eq!(keys(&mut f, "<<"), ["A", ""]);
        // "D" completes to the first D entry; "D2" to the second.
        assert_eq!(keys(&mut f, "d2"), ["D1", "D2"]);
    }

    #[test]
    fn a_pick_list_completes_by_label_and_steps_with_the_same_letter() {
        let mut f = reasons();
        // No code starts with "p": the label "Public funding" does.
        assert_eq!(keys(&mut f, "p"), ["B"]);
        let mut f = reasons();
        assert_eq!(keys(&mut f, "fu"), ["C", "C"]);
        // The same letter again with no longer match: the next entry starting with it.
        let mut f = reasons();
        assert_eq!(keys(&mut f, "ddd"), ["D1", "D2", "D1"]);
        // A prefix that starts nothing stays as typed and is flagged.
        let mut f = reasons();
        assert_eq!(keys(&mut f, "zq"), ["z", "zq"]);
        let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap_or_default();
        assert_eq!(f.error(today).as_deref(), Some(s::ERR_CHOICE));
        // A text field is not a pick list.
        let mut t = Field::new("Name", FieldKind::Text, false);
        assert!(!t.type_ahead(TextEdit::Insert('x')));
    }

    #[test]
    fn a_text_field_refuses_an_nhs_number_shown_masked_and_bidi_characters() {
        let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap_or_default();
        let ward = Field::new("Ward", FieldKind::Text, false).with_value("943 476 5919");
        let err = ward.error(today).unwrap_or_default();
        assert_eq!(
            err,
            "looks like an NHS number (*** *** 5919): NHS numbers go only in the NHS number field"
        );
        let rlo = Field::new("Ward", FieldKind::Text, false).with_value("W\u{202E}1");
        assert!(rlo
            .error(today)
            .is_some_and(|e| e.contains("bidirectional")));
        // The NHS number's own field takes it.
        let nhs = Field::new("NHS number", FieldKind::Nhs, false).with_value("943 476 5919");
        assert_eq!(nhs.error(today), None);
    }

    #[test]
    fn focusing_another_field_starts_a_new_prefix() {
        let mut form = Form::new(" t ", vec![reasons(), reasons()]);
        form.edit(TextEdit::Insert('a'));
        form.next();
        form.prev();
        form.edit(TextEdit::Insert('c'));
        assert_eq!(form.value(0), "C");
        assert!(form.dirty && form.is_touched(0) && !form.is_touched(1));
    }

    #[test]
    fn a_relative_date_shows_the_date_it_means() {
        let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap_or_default();
        let echo = |v: &str| {
            Field::new("Ready", FieldKind::Date, true)
                .with_value(v)
                .date_echo(today)
        };
        assert_eq!(echo("t-3").as_deref(), Some("= Sun 12 Aug 2018"));
        assert_eq!(echo("t").as_deref(), Some("= Wed 15 Aug 2018"));
        assert_eq!(echo("-1").as_deref(), Some("= Tue 14 Aug 2018"));
        assert_eq!(echo("y").as_deref(), Some("= Tue 14 Aug 2018"));
        assert_eq!(echo("3/7/18").as_deref(), Some("= Tue 3 Jul 2018"));
        // Nothing to explain: an ISO date, a half-typed one, or a field that is not a date.
        assert_eq!(echo("2018-08-01"), None);
        assert_eq!(echo("t-"), None);
        let text = Field::new("Name", FieldKind::Text, false).with_value("t-3");
        assert_eq!(text.date_echo(today), None);
    }
}
