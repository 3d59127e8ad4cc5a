//! A form: typed fields validated as you type, errors beside each field.

use crate::domain::{parse_input_date, NhsNumber, YearMonth};
use crate::ui::keymap::TextEdit;
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
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
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub input: Input,
}

impl Field {
    pub fn new(label: impl Into<String>, kind: FieldKind, required: bool) -> Self {
        Self {
            label: label.into(),
            kind,
            required,
            input: Input::default(),
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
        // No control character in any field (a tab only in free text), nothing before 1990.
        let text = crate::domain::text::TextKind::Note;
        let code = crate::domain::text::TextKind::Code;
        let kind = if matches!(self.kind, FieldKind::Text) {
            text
        } else {
            code
        };
        if let Some(rule) = crate::domain::text::control_rule(self.input.value(), kind) {
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
            FieldKind::Text => None,
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

    fn cycle(&mut self, step: isize) {
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
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    pub fn cycle(&mut self, step: isize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.cycle(step);
            self.dirty = true;
            if let Some(t) = self.touched.get_mut(self.focus) {
                *t = true;
            }
        }
    }

    pub fn edit(&mut self, e: TextEdit) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        let req = e.request();
        if let Some(resp) = f.input.handle(req) {
            if resp.value {
                self.dirty = true;
                if let Some(t) = self.touched.get_mut(self.focus) {
                    *t = true;
                }
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
    let height = (form.fields.len() as u16 + 7).min(area.height);
    let popup = super::centered(area, area.width.saturating_sub(4).min(100), height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(form.title, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let label_w = form.fields.iter().map(|f| f.label.len()).max().unwrap_or(8) as u16 + 2;
    let value_w = inner.width.saturating_sub(label_w).clamp(8, 24);
    let mut lines = Vec::new();
    let mut chosen = None;
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
        if let Some(e) = form.shown_error(i, today) {
            spans.push(Span::styled(format!(" {e}"), theme.error()));
        }
        lines.push(Line::from(spans));
        if focused && inner.height > i as u16 {
            let x = inner.x + label_w + 1 + (f.input.visual_cursor().saturating_sub(scroll)) as u16;
            frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), inner.y + i as u16));
        }
    }
    // One row per field, cut at the edge (a wrapped row would push the fields below out of line
    // with the cursor); the messages under them wrap.
    let rows = (lines.len() as u16).min(inner.height);
    let [fields_area, rest] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(std::mem::take(&mut lines)), fields_area);
    lines.push(Line::raw(""));
    if let Some(c) = chosen {
        lines.push(Line::styled(c, theme.dim()));
    }
    if let Some(e) = form.shown_error(form.focus, today) {
        let label = form.fields.get(form.focus).map_or("", |f| f.label.as_str());
        lines.push(Line::styled(format!("{label}: {e}"), theme.error()));
    }
    if let Some(n) = &form.note {
        lines.push(Line::styled(n.clone(), theme.ok()));
    }
    if let Some(e) = &form.error {
        lines.push(Line::styled(e.clone(), theme.error()));
    }
    lines.push(Line::styled(s::FORM_HINT, theme.dim()));
    // Long notes (a target converted into every unit) wrap rather than being cut.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
}
