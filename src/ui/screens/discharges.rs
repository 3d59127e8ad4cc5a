//! Screen 7: discharges and length of stay for one month (docs/discharge.md): pathways, Discharge
//! Ready Date bands, the 24-hour and usual-residence shares, the length-of-stay snapshot and
//! criteria to reside on the month's last day (today in the current month), with RAG against the
//! targets. One column for every stay, one per authority; `[`/`]` move between months.
//!
//! The figures are computed by `report::discharge` when the data is loaded (the same functions as
//! `dtoc report pathways|drd|los|nctr`); rendering only reads them.

use super::move_sel;
use crate::domain::YearMonth;
use crate::report::discharge::{self, Level, LosRow, ShareVsTarget, Targets};
use crate::report::Rag;
use crate::store::Store;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, MOVE, N};
use crate::ui::screens::{KeyContext, Screen, Slot};
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table;
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell as RCell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

/// One figure, with its RAG when it is judged against a target (shown in the RAG's colour).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub rag: Option<Rag>,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self { text, rag: None }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        text.to_string().into()
    }
}

/// What the screen shows: one line per measure, one column per level.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    pub month: Option<YearMonth>,
    pub day: Option<NaiveDate>,
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<Cell>)>,
    /// Why there are no figures: the month is before the register's coverage (issue 24).
    pub before_coverage: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DischargesState {
    /// How many months before the month of today.
    pub months_back: u32,
    pub selected: usize,
    pub view: View,
    /// A reload happened since it was last read: read again when next shown.
    pub stale: bool,
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.1}%"))
}

fn judged(x: Option<f64>, t: &Option<ShareVsTarget>) -> Cell {
    match t {
        Some(t) => Cell {
            text: format!("{} {}", pct(x), t.rag.as_str()),
            rag: Some(t.rag),
        },
        None => pct(x).into(),
    }
}

/// A length-of-stay band `i` (7+, 14+, 21+) of one level and type of care: the count and share of
/// the sites with a denominator (with its RAG), `+k` the inpatients of the sites without; a count
/// alone when no site has one. The Long stay screen shows the same cells.
pub fn los_cell(
    with: Option<&LosRow>,
    without: Option<&LosRow>,
    i: usize,
) -> (String, Option<Rag>) {
    let extra = without.map_or(0, |r| r.counts[i]);
    match with {
        Some(r) => {
            let t = match i {
                1 => &r.los14_target,
                2 => &r.los21_target,
                _ => &None,
            };
            let j = judged(r.shares[i], t);
            let more = if extra > 0 {
                format!(" +{extra}")
            } else {
                String::new()
            };
            (format!("{} {}{more}", r.counts[i], j.text), j.rag)
        }
        None => (extra.to_string(), None),
    }
}

/// Reads and computes the month `months_back` before the month of `today`.
pub fn compute(store: &Store, today: NaiveDate, months_back: u32) -> crate::Result<View> {
    let month = YearMonth::of(today).add_months(-(months_back as i32));
    let day = if months_back == 0 {
        today
    } else {
        month.last_day()
    };
    // Before the register's coverage a figure is blank, never 0 (issue 24).
    let coverage = store.coverage()?;
    if let Some(from) = coverage.from_day().filter(|_| !coverage.covers_day(day)) {
        return Ok(View {
            month: Some(month),
            day: Some(day),
            before_coverage: Some(s::before_coverage(&month.long_name(), from)),
            ..View::default()
        });
    }
    let end = month.end_exclusive().max(day.succ_opt().unwrap_or(day));
    let stays = store.stay_facts(month.first_day(), end, &[])?;
    let targets = Targets::new(&store.discharge_targets(month, month)?);
    let pathways = discharge::pathways(&stays, month, month, &targets);
    let drd = discharge::drd(&stays, month, month, &targets);
    // The one length-of-stay computation of `report los` (same day, same scope).
    let los = discharge::load_los(store, &[day], &[])?;
    let nctr = discharge::nctr(&stays, &[day]);
    let mut authorities = store.authorities()?;
    authorities.sort_by(|a, b| a.display_name().cmp(b.display_name()));
    let mut levels = vec![Level::All];
    levels.extend(authorities.iter().map(|a| Level::Authority(a.code.clone())));
    let mut columns = vec![s::DISCHARGES_ALL.to_string()];
    columns.extend(authorities.iter().map(|a| a.display_name().to_string()));
    let mut rows: Vec<(String, Vec<Cell>)> = Vec::new();
    let mut line = |label: String, f: &dyn Fn(&Level) -> Cell| {
        rows.push((label, levels.iter().map(f).collect()));
    };
    let pw = |l: &Level| pathways.iter().find(|r| &r.level == l);
    let dr = |l: &Level| drd.iter().find(|r| &r.level == l);
    let nc = |l: &Level| nctr.iter().find(|r| &r.level == l);
    line(s::DISCHARGES_COUNT.into(), &|l| {
        pw(l).map_or("0".into(), |r| r.discharges.to_string().into())
    });
    for p in 0..4 {
        line(format!("{} {p}", s::DISCHARGES_PATHWAY), &|l| {
            pw(l).map_or("-".into(), |r| {
                if p == 1 {
                    judged(r.share_of_known[1], &r.pathway1_target)
                } else {
                    pct(r.share_of_known[p]).into()
                }
            })
        });
    }
    line(s::DISCHARGES_UNKNOWN_PATHWAY.into(), &|l| {
        pw(l).map_or("0".into(), |r| r.unknown_pathway.to_string().into())
    });
    line(s::DISCHARGES_USUAL.into(), &|l| {
        pw(l).map_or("-".into(), |r| {
            judged(r.usual_residence_share, &r.usual_residence_target)
        })
    });
    line(s::DISCHARGES_24H.into(), &|l| {
        dr(l).map_or("-".into(), |r| {
            judged(r.within_24h_share, &r.within_24h_target)
        })
    });
    // Length of stay per type of care (as the two sitreps keep them): the share over the sites
    // with a denominator, and the inpatients of the others counted with no share.
    for care in crate::domain::Setting::ALL {
        if !los.iter().any(|r| r.care == care) {
            continue;
        }
        let name = s::care_short(care);
        let parts = |l: &Level| {
            let with = los
                .iter()
                .find(|r| &r.level == l && r.care == care && r.denominator.is_some());
            let without = los
                .iter()
                .find(|r| &r.level == l && r.care == care && r.denominator.is_none());
            (with, without)
        };
        line(format!("{name} {}", s::DISCHARGES_INPATIENTS), &|l| {
            match parts(l) {
                (None, None) => "-".into(),
                (Some(r), _) => format!(
                    "{} ({})",
                    r.denominator.unwrap_or(0),
                    match r.denominator_source {
                        discharge::Denominator::Census => s::DISCHARGES_DENOM_CENSUS,
                        discharge::Denominator::RecordedStaysAndCensus => s::DISCHARGES_DENOM_BOTH,
                        _ => s::DISCHARGES_DENOM_STAYS,
                    }
                )
                .into(),
                (None, Some(_)) => s::DISCHARGES_DENOM_NONE.into(),
            }
        });
        for (i, b) in crate::domain::LOS_BANDS.iter().enumerate() {
            line(format!("{name} {} {b}+", s::DISCHARGES_LOS), &|l| {
                let (with, without) = parts(l);
                if with.is_none() && without.is_none() {
                    return "-".into();
                }
                let (text, rag) = los_cell(with, without, i);
                Cell { text, rag }
            });
        }
    }
    // An authority with no patient in the register that day counted none: 0, not `-` (no data).
    line(s::DISCHARGES_NCTR.into(), &|l| {
        nc(l).map_or("0/0/0".into(), |r| {
            format!("{}/{}/{}", r.not_meeting, r.discharged, r.remaining).into()
        })
    });
    line(s::DISCHARGES_DRD_AVG.into(), &|l| {
        dr(l).map_or("-".into(), |r| {
            let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1}"));
            format!("{} / {}", f(r.average_days), f(r.average_days_excluding_0)).into()
        })
    });
    // The Better Care Fund 2025/26 measure (the average above, 0-day delays included) against
    // its target in days.
    line(s::DISCHARGES_AVG_DELAY.into(), &|l| {
        dr(l).map_or("-".into(), |r| {
            let avg = r.average_days.map_or("-".to_string(), |v| format!("{v:.2}"));
            match &r.average_delay_target {
                Some(t) => Cell {
                    text: format!("{avg} {}", t.rag.as_str()),
                    rag: Some(t.rag),
                },
                None => avg.into(),
            }
        })
    });
    for (i, band) in crate::domain::DRD_BANDS.iter().enumerate() {
        line(format!("{} {}", s::DISCHARGES_DRD_BAND, band.0), &|l| {
            dr(l).map_or("-".into(), |r| pct(r.band_shares[i]).into())
        });
    }
    line(s::DISCHARGES_BED_DAYS_LOST.into(), &|l| {
        dr(l).map_or("0".into(), |r| r.bed_days_lost.to_string().into())
    });
    line(s::DISCHARGES_NO_DRD.into(), &|l| {
        dr(l).map_or("0".into(), |r| r.no_ready_date.to_string().into())
    });
    line(s::DISCHARGES_SAME_DAY.into(), &|l| {
        dr(l).map_or("0".into(), |r| r.same_day_stays.to_string().into())
    });
    Ok(View {
        month: Some(month),
        day: Some(day),
        columns,
        rows,
        before_coverage: None,
    })
}

pub const TITLE: &str = "Discharges";
pub const SHORT: &str = "Disch";

/// Recomputes the Discharges screen (when shown after a reload, and on a month change), off
/// the draw loop (see [`App::load`]).
pub fn load(app: &mut App) {
    let (today, back) = (app.today, app.screens.discharges.months_back);
    app.load(
        DischargesState::ID,
        move |store| compute(store, today, back).map_err(|e| s::load_error(&e)),
        |app, read| {
            match read {
                Ok(v) => app.screens.discharges.view = v,
                Err(e) => app.message = Some(Message::error(e)),
            }
            let n = app.screens.discharges.view.rows.len();
            app.screens.discharges.selected =
                app.screens.discharges.selected.min(n.saturating_sub(1));
        },
    );
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "[/]",
        Action::PrevItem,
        "previous/next month",
        true,
        [ch('['), (KeyCode::Left, N)]
    ),
    b!(
        "",
        Action::NextItem,
        "",
        false,
        [ch(']'), (KeyCode::Right, N)]
    ),
];

pub const ABOUT: About = About {
    purpose: "One month's discharges by authority: pathways, time from ready to discharge and \
              length of stay.",
    columns: &[
        ("Pathway", "share on pathway 0-3"),
        ("Within 24h", "left within a day"),
        ("DRD", "ready to discharge days"),
        ("Avg delay", "BCF: average days ready to gone"),
        ("Bed days lost", "days ready, not gone"),
        ("No ready date", "left on DRD: 0-day delay"),
        ("Same-day stays", "outside the DRD measure"),
        ("Inpatients", "denominator: stays, census, or no denom. (count only)"),
        ("LOS n+", "inpatients n+ days, % of sites with a denominator; +k: sites without"),
        ("NCTR", "not meeting criteria"),
    ],
};


/// It reads the store itself: the trait's lazy loading (a reload marks it stale; it is read
/// again when shown).
impl Screen for DischargesState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(Context::Discharges, &[GLOBAL, KEYS, MOVE], &ABOUT)];

    fn new(_today: NaiveDate) -> Self {
        Self::default()
    }

    fn update(app: &mut App, action: Action) {
        let st = &mut app.screens.discharges;
        match action {
            Action::PrevItem => {
                st.months_back = (st.months_back + 1).min(240);
                load(app);
            }
            Action::NextItem => {
                st.months_back = st.months_back.saturating_sub(1);
                load(app);
            }
            other => move_sel(&mut st.selected, st.view.rows.len(), other),
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let v = &app.screens.discharges.view;
        // Each figure column as wide as its widest text (its authority's name whole, never cut),
        // as many as fit after the measure's 22 and a space each: with more, the title says how
        // many are shown and where the rest are, never an empty box.
        let col_w: Vec<u16> = v
            .columns
            .iter()
            .enumerate()
            .map(|(k, name)| {
                table::widest(
                    name,
                    v.rows
                        .iter()
                        .filter_map(|(_, cells)| cells.get(k).map(|c| c.text.as_str())),
                )
            })
            .collect();
        let mut room = area.width.saturating_sub(2 + 22);
        let fit = col_w
            .iter()
            .take_while(|w| {
                let need = **w + 1;
                let ok = need <= room;
                room = room.saturating_sub(need);
                ok
            })
            .count()
            .max(1);
        let shown = v.columns.len().min(fit);
        let title = match (v.month, v.day) {
            // The snapshot's day is in the inpatients row too.
            (Some(m), Some(_)) if shown < v.columns.len() => format!(
                " {} {} · {shown} of {} ({}) ",
                s::DISCHARGES_TITLE,
                m.long_name(),
                v.columns.len(),
                s::DISCHARGES_SOME_COLUMNS
            ),
            (Some(m), Some(d)) => format!(
                " {} {}, snapshot on {d} ",
                s::DISCHARGES_TITLE,
                m.long_name()
            ),
            _ => format!(" {} ", s::DISCHARGES_TITLE),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::styled(title, t.title()));
        if v.rows.is_empty() {
            let why = v.before_coverage.as_deref().unwrap_or(s::NO_DISCHARGES);
            frame.render_widget(
                Paragraph::new(why).wrap(Wrap { trim: true }).block(block),
                area,
            );
            return;
        }
        let mut header = vec![s::DISCHARGES_MEASURE.to_string()];
        header.extend(v.columns.iter().take(shown).cloned());
        // The measure's name whole (22), then each figure column at its width.
        let mut widths = vec![Constraint::Length(22)];
        widths.extend(col_w.iter().take(shown).map(|w| Constraint::Length(*w)));
        let body = area.height.saturating_sub(3) as usize;
        let selected = app.screens.discharges.selected;
        let start = table::window_start(selected, v.rows.len(), body);
        let rows: Vec<Row> = v
            .rows
            .iter()
            .enumerate()
            .skip(start)
            .take(body)
            .map(|(i, (label, cells))| {
                let mut r = vec![RCell::from(label.clone())];
                r.extend(cells.iter().take(shown).map(|c| {
                    let cell = RCell::from(c.text.clone());
                    match c.rag {
                        Some(rag) => cell.style(t.rag(rag)),
                        None => cell,
                    }
                }));
                let row = Row::new(r);
                if i == selected {
                    row.style(t.selected())
                } else {
                    row
                }
            })
            .collect();
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(t.header()))
            .block(block)
            .column_spacing(1);
        frame.render_widget(table, area);
    }

    fn stale(&mut self) -> Option<&mut bool> {
        Some(&mut self.stale)
    }

    fn load(app: &mut App) {
        load(app)
    }
}
