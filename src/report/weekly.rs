//! The weekly sitrep's figures live in the domain (the store signs them off): see
//! [`crate::domain::week_figures`].
pub use crate::domain::week_figures::{
    week_figures, week_figures_as_of, LaWeek, WeekFigures, WeekRow,
};
