//! Styles, 16-colour safe. With `NO_COLOR` set every style is plain or a text modifier, and any
//! status (RAG) is spelt out in text next to it anyway.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Self { color: true }
    }
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Self {
        let no = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { color: !no }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn tab_active(&self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn header(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn focus(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn bar(&self) -> Style {
        self.fg(Color::Blue)
    }
    pub fn bar_second(&self) -> Style {
        self.fg(Color::Magenta)
    }
    pub fn bar_third(&self) -> Style {
        self.fg(Color::Cyan)
    }
    /// The target line of charts.
    /// Making Data Count's point types in 16 colours: common cause grey, improvement blue,
    /// concern yellow (the palette's nearest to MDC orange).
    pub fn spc_point(&self, t: crate::report::spc::PointType) -> Style {
        use crate::report::spc::PointType as P;
        match t {
            P::CommonCause => self.fg(Color::Gray),
            P::Improvement => self.fg(Color::LightBlue).add_modifier(Modifier::BOLD),
            P::Concern => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }

    pub fn target(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// A RAG status (always shown with its word as well).
    pub fn rag(&self, r: crate::report::Rag) -> Style {
        match r {
            crate::report::Rag::Green => self.fg(Color::Green),
            crate::report::Rag::Amber => self.fg(Color::Yellow),
            crate::report::Rag::Red => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_uses_no_colours() {
        let t = Theme { color: false };
        for s in [
            t.title(),
            t.error(),
            t.ok(),
            t.warn(),
            t.key(),
            t.bar(),
            t.dim(),
            t.focus(),
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
        assert!(Theme::default().error().fg.is_some());
    }
}
