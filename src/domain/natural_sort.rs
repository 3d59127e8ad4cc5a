//! Natural order for the labels people give wards and beds (issue 26): `Ward 7` before `Ward 10`,
//! bed `2` before bed `10`, and `ward 7` the same ward as `Ward 7`. Every list that orders by
//! ward or bed (the board round, the ward board, the register, the long-stay list) uses it.

use std::cmp::Ordering;

/// One run of a label: a number (its digits, leading zeros dropped) or text.
#[derive(Debug, PartialEq, Eq)]
enum Run<'a> {
    Number(&'a str),
    Text(&'a str),
}

/// The runs of `s`, trimmed: digits and everything else apart.
fn runs(s: &str) -> impl Iterator<Item = Run<'_>> {
    let mut rest = s.trim();
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() != digit)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some(if digit {
            let trimmed = run.trim_start_matches('0');
            Run::Number(if trimmed.is_empty() { "0" } else { trimmed })
        } else {
            Run::Text(run)
        })
    })
}

/// Text letter by letter in lower case, a run of spaces as one space (without copying: the
/// register sorts 10,000 rows with it).
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut space = false;
    s.chars()
        .filter_map(move |c| {
            if c.is_whitespace() {
                let first = !space;
                space = true;
                first.then_some(' ')
            } else {
                space = false;
                Some(c)
            }
        })
        .flat_map(char::to_lowercase)
}

/// Text compared ignoring case (and a run of spaces as one space).
fn cmp_text(a: &str, b: &str) -> Ordering {
    folded(a).cmp(folded(b))
}

/// The natural order of two labels: numbers by their value, text ignoring case, leading and
/// trailing spaces ignored. Labels that differ only in case (or leading zeros) are `Equal`:
/// callers break ties with an id so an order is the same from frame to frame.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (runs(a), runs(b));
    loop {
        let ord = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(Run::Number(p)), Some(Run::Number(q))) => {
                p.len().cmp(&q.len()).then_with(|| p.cmp(q))
            }
            // A number sorts before text at the same place (`7` before `7a`, `Bay 1` before `Bay A`).
            (Some(Run::Number(_)), Some(Run::Text(_))) => Ordering::Less,
            (Some(Run::Text(_)), Some(Run::Number(_))) => Ordering::Greater,
            (Some(Run::Text(p)), Some(Run::Text(q))) => cmp_text(p, q),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
}

/// Whether two labels name the same thing (`ward 7` and ` Ward 7`).
pub fn same_label(a: &str, b: &str) -> bool {
    natural_cmp(a, b) == Ordering::Equal
}

/// Optional labels in natural order, a missing one last (a patient with no ward recorded comes
/// after the wards).
pub fn natural_cmp_opt(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => natural_cmp(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The order of a place: site (as text), then ward and bed naturally, missing ones last.
pub fn cmp_place(
    (site_a, ward_a, bed_a): (&str, Option<&str>, Option<&str>),
    (site_b, ward_b, bed_b): (&str, Option<&str>, Option<&str>),
) -> Ordering {
    natural_cmp(site_a, site_b)
        .then_with(|| natural_cmp_opt(ward_a, ward_b))
        .then_with(|| natural_cmp_opt(bed_a, bed_b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_by(|a, b| natural_cmp(a, b).then_with(|| a.cmp(b)));
        v
    }

    #[test]
    fn ward_7_comes_before_ward_10() {
        assert_eq!(natural_cmp("Ward 7", "Ward 10"), Ordering::Less);
        assert_eq!(natural_cmp("Ward 10", "Ward 7"), Ordering::Greater);
        assert_eq!(
            sorted(vec!["Ward 10", "Ward 7", "AMU", "Ward 2", "Ward 1"]),
            vec!["AMU", "Ward 1", "Ward 2", "Ward 7", "Ward 10"]
        );
    }

    #[test]
    fn bed_2_comes_before_bed_10() {
        assert_eq!(natural_cmp("2", "10"), Ordering::Less);
        assert_eq!(
            sorted(vec!["10", "2", "1", "B2", "B10", "B1"]),
            vec!["1", "2", "10", "B1", "B2", "B10"]
        );
        // Leading zeros are the same bed.
        assert_eq!(natural_cmp("bed 02", "bed 2"), Ordering::Equal);
        // A number before text at the same place.
        assert_eq!(natural_cmp("7", "7a"), Ordering::Less);
        assert_eq!(natural_cmp("Bay 1", "Bay A"), Ordering::Less);
    }

    #[test]
    fn case_and_spacing_are_ignored() {
        assert_eq!(natural_cmp("ward 7", "Ward 7"), Ordering::Equal);
        assert!(same_label("  WARD 7 ", "ward 7"));
        assert!(same_label("Ward  7", "ward 7"));
        assert!(!same_label("Ward 7", "Ward 17"));
        assert_eq!(natural_cmp("amu", "Ward 1"), Ordering::Less);
        assert_eq!(natural_cmp("Ward 1", "AMU"), Ordering::Greater);
    }

    /// The order the issue found in RWE02, put right: no ward last, Ward 7 (any case) before
    /// Ward 10, bed 1 and 2 before 10.
    #[test]
    fn the_issue_s_round_order_is_natural() {
        let mut places = vec![
            ("RWE02", None, None),
            ("RWE02", Some("AMU"), Some("B2")),
            ("RWE02", Some("Ward 10"), Some("1")),
            ("RWE02", Some("Ward 7"), Some("10")),
            ("RWE02", Some("Ward 7"), Some("2")),
            ("RWE02", Some("ward 7"), Some("1")),
        ];
        places.sort_by(|a, b| cmp_place(*a, *b));
        assert_eq!(
            places,
            vec![
                ("RWE02", Some("AMU"), Some("B2")),
                ("RWE02", Some("ward 7"), Some("1")),
                ("RWE02", Some("Ward 7"), Some("2")),
                ("RWE02", Some("Ward 7"), Some("10")),
                ("RWE02", Some("Ward 10"), Some("1")),
                ("RWE02", None, None),
            ]
        );
    }

    #[test]
    fn empty_and_numbers_only() {
        assert_eq!(natural_cmp("", ""), Ordering::Equal);
        assert_eq!(natural_cmp("", "1"), Ordering::Less);
        assert_eq!(natural_cmp("0", "00"), Ordering::Equal);
        assert_eq!(
            natural_cmp("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
    }
}
