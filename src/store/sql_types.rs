//! The domain's codes as SQLite values: an authority code, a month and the code enums are stored
//! as their text (`E10000018`, `2018-07`, reason `Dii`, attribution `Social Care`, setting
//! `non-acute`, destination `p3_care_home`; a pathway as its number) and read back through their
//! own parsers, so a row type holds a [`LaCode`], a [`YearMonth`] or a [`ReasonCode`], never a
//! string to parse again. A stored value that does not parse is an error of the read (SQLite's
//! conversion error, naming the column and the rule), never a default.

use crate::domain::{
    Attribution, Destination, LaCode, Measure, Pathway, ReasonCode, Setting, ShareMeasure,
    TargetUnit, Week, YearMonth,
};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// `ToSql` and `FromSql` for a value stored as the text `$text` gives (a month as `2018-07`, a
/// week as `2018-W27`) and read back by its `parse`.
macro_rules! text_code {
    ($($ty:ty => $text:ident),* $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.$text()))
            }
        }

        impl FromSql for $ty {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                <$ty>::parse(v.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )*};
}

text_code! {
    LaCode => as_str,
    YearMonth => to_string,
    Week => key,
    ReasonCode => code,
    Attribution => label,
    Setting => key,
    Destination => code,
    Measure => key,
    TargetUnit => key,
    ShareMeasure => key,
}

/// A pathway is stored as its number, 0–3.
impl ToSql for Pathway {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(i64::from(self.number())))
    }
}

impl FromSql for Pathway {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        let n = v.as_i64()?;
        Pathway::from_number(n).ok_or(FromSqlError::OutOfRange(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// Every code written and read back is itself; a stored value that is not a code is an error.
    #[test]
    fn codes_round_trip_and_bad_stored_values_are_errors() {
        let c = Connection::open_in_memory().unwrap();
        let back = |v: &dyn ToSql| -> rusqlite::types::Value {
            c.query_row("SELECT ?1", [v], |r| r.get(0)).unwrap()
        };
        use rusqlite::types::Value::{Integer, Text};
        assert_eq!(back(&ReasonCode::Dii), Text("Dii".into()));
        assert_eq!(back(&Attribution::SocialCare), Text("Social Care".into()));
        assert_eq!(back(&Setting::NonAcute), Text("non-acute".into()));
        assert_eq!(back(&Pathway::P2), Integer(2));
        let july = YearMonth::parse("2018-07").unwrap();
        assert_eq!(back(&july), Text("2018-07".into()));
        let w27 = Week::parse("2018-W27").unwrap();
        assert_eq!(back(&w27), Text("2018-W27".into()));
        fn round_trip<T: ToSql + FromSql + PartialEq + std::fmt::Debug>(c: &Connection, all: &[T]) {
            for v in all {
                let got: T = c.query_row("SELECT ?1", [v], |r| r.get(0)).unwrap();
                assert_eq!(&got, v);
            }
        }
        round_trip(&c, &[w27]);
        round_trip(&c, &ReasonCode::ALL);
        round_trip(&c, &Attribution::ALL);
        round_trip(&c, &Setting::ALL);
        round_trip(&c, &Pathway::ALL);
        round_trip(&c, &Destination::ALL);
        round_trip(&c, &Measure::ALL);
        let bad = c.query_row("SELECT 'Z'", [], |r| r.get::<_, ReasonCode>(0));
        assert!(bad.unwrap_err().to_string().contains("is not a reason"));
        assert!(c
            .query_row("SELECT 7", [], |r| r.get::<_, Pathway>(0))
            .is_err());
        assert!(
            c.query_row("SELECT 'acute'", [], |r| r.get::<_, Setting>(0))
                .unwrap()
                == Setting::Acute
        );
    }
}
