//! Small-number suppression for figures that leave the hub (`--suppress N`).
//!
//! Rule (the README explains it to users):
//! 1. **Primary**: every count from 1 to N is replaced by `*`. Zeros are shown (a zero reveals no
//!    one), and so are counts above N.
//! 2. **Secondary**: a total and its parts form an additive group (a row's NHS + Social Care + Both
//!    = Total; the England row = the sum of the authorities). In any group with exactly one hidden
//!    cell, that cell could be recovered by subtraction, so the smallest other non-zero count of the
//!    group (a zero only when no non-zero cell is left; the first in table order on a tie) is hidden
//!    too. This is repeated until no group has exactly one hidden cell.
//! 3. **Derived figures**: a rate or DTOC beds figure computed from a hidden count is hidden too (it
//!    would give the count back by multiplication).
//!
//! Only [`Kind::Count`] cells are suppressed: years, days in a month and ranks are not counts of
//! people. The algorithm works on any cell key, so the sitrep export (three tables whose totals
//! are equal) and the generic [`Table`] share it.

use super::table::{Kind, Table, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The cells to hide: counts from 1 to `n`, then, group by group, the cells that would reveal them.
/// `values` holds every suppressible count by its key; `groups` the additive groups (a total and
/// its parts); `equal` sets of cells that hold the same figure (the same total in several tables):
/// one hidden hides them all. Keys not in `values` are ignored.
pub fn cells_to_hide<K: Ord + Copy>(
    values: &BTreeMap<K, u64>,
    groups: &[Vec<K>],
    equal: &[Vec<K>],
    n: u64,
) -> BTreeSet<K> {
    let mut hidden: BTreeSet<K> = values
        .iter()
        .filter(|(_, v)| (1..=n).contains(*v))
        .map(|(k, _)| *k)
        .collect();
    if hidden.is_empty() {
        return hidden;
    }
    loop {
        let before = hidden.len();
        for g in groups {
            let members: Vec<(K, u64)> = g
                .iter()
                .filter_map(|k| values.get(k).map(|v| (*k, *v)))
                .collect();
            if members.iter().filter(|(k, _)| hidden.contains(k)).count() != 1 {
                continue;
            }
            let shown = members.iter().filter(|(k, _)| !hidden.contains(k));
            // Smallest non-zero first; zeros only when nothing else is left. Table order on ties.
            if let Some((k, _)) = shown.min_by_key(|(_, v)| (*v == 0, *v)) {
                hidden.insert(*k);
            }
        }
        for e in equal {
            if e.iter().any(|k| hidden.contains(k)) {
                hidden.extend(e.iter().filter(|k| values.contains_key(k)));
            }
        }
        if hidden.len() == before {
            return hidden;
        }
    }
}

impl Table {
    /// Applies `--suppress n` to the table (no-op for `n == 0`).
    pub fn suppress(&mut self, n: u64) {
        suppress_tables(std::slice::from_mut(self), &[], n);
    }

    /// Hides the cells at `hidden` and then every derived cell of a hidden count.
    fn hide(&mut self, hidden: impl Iterator<Item = (usize, usize)>) {
        for (r, c) in hidden {
            self.rows[r][c] = Value::Suppressed;
        }
        let derived: Vec<(usize, &[usize])> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, col)| !col.derived_from.is_empty())
            .map(|(c, col)| (c, col.derived_from.as_slice()))
            .collect();
        for row in &mut self.rows {
            let hide: Vec<usize> = derived
                .iter()
                .filter(|(c, from)| {
                    *c < row.len() && from.iter().any(|f| row.get(*f) == Some(&Value::Suppressed))
                })
                .map(|(c, _)| *c)
                .collect();
            for c in hide {
                row[c] = Value::Suppressed;
            }
        }
    }
}

/// A cell of one of several tables: (table, row, column).
pub type TableCell = (usize, usize, usize);

/// Applies `--suppress n` to several tables at once (no-op for `n == 0`): each table's own
/// additive groups ([`Table::add_sum`]) plus `links`, groups whose cells are in different tables
/// (`(table, row, column)`: a summary table's total and the detail rows it adds up), so that a
/// cell hidden in one table cannot be recovered from another.
pub fn suppress_tables(tables: &mut [Table], links: &[Vec<TableCell>], n: u64) {
    if n == 0 {
        return;
    }
    let mut values = BTreeMap::new();
    let mut groups: Vec<Vec<TableCell>> = links.to_vec();
    for (t, table) in tables.iter().enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if table.columns.get(c).map(|x| x.kind) == Some(Kind::Count) {
                    if let Value::Int(x) = v {
                        values.insert((t, r, c), *x);
                    }
                }
            }
        }
        groups.extend(
            table
                .sums
                .iter()
                .map(|g| g.iter().map(|(r, c)| (t, *r, *c)).collect()),
        );
    }
    let hidden = cells_to_hide(&values, &groups, &[], n);
    for (t, table) in tables.iter_mut().enumerate() {
        table.hide(
            hidden
                .iter()
                .filter(|(ht, _, _)| *ht == t)
                .map(|(_, r, c)| (*r, *c)),
        );
        table.notes.push(format!(
            "Suppressed: counts from 1 to {n} are shown as *, with any total or rate that would reveal them."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_hidden_cell_takes_the_next_smallest_with_it() {
        // One row: NHS 3, Social Care 40, Both 0, Total 43; --suppress 5.
        // Primary: NHS 3 is hidden. The row then has one hidden cell: 43 - 40 - 0 = 3 would give it
        // back, so the smallest other non-zero cell (Social Care 40; Both is 0) is hidden too.
        let values: BTreeMap<usize, u64> = [(0, 3), (1, 40), (2, 0), (3, 43)].into();
        let hidden = cells_to_hide(&values, &[vec![0, 1, 2, 3]], &[], 5);
        assert_eq!(hidden.into_iter().collect::<Vec<_>>(), vec![0, 1]);
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let values: BTreeMap<usize, u64> = [(0, 0), (1, 40), (2, 6), (3, 46)].into();
        assert!(cells_to_hide(&values, &[vec![0, 1, 2, 3]], &[], 5).is_empty());
    }

    #[test]
    fn a_total_in_another_table_and_a_share_of_a_hidden_denominator_are_hidden() {
        // Table 0: one authority's week, 13 days. Table 1: its detail rows, 3 and 10, with each
        // row's share of the week's days (derived from the row's days and from the week's total).
        let mut week = Table::new("week", "week");
        week.column("days", Kind::Count);
        week.rows.push(vec![Value::Int(13)]);
        let mut detail = Table::new("detail", "detail");
        let days = detail.column("days", Kind::Count);
        let total = detail.column("week_days", Kind::Count);
        detail.derived_column_of("share", Kind::Rate, &[days, total]);
        detail
            .rows
            .push(vec![Value::Int(3), Value::Int(13), Value::Real(23.1)]);
        detail
            .rows
            .push(vec![Value::Int(10), Value::Int(13), Value::Real(76.9)]);
        // Another week of 4 days, none of them in this row: the 0 stays, but its share (0%) goes
        // with the hidden denominator 4.
        detail
            .rows
            .push(vec![Value::Int(0), Value::Int(4), Value::Real(0.0)]);
        let mut tables = [week, detail];
        // --suppress 5: 3 is hidden; the link 13 = 3 + 10 then has one hidden cell, so the smaller
        // of the others, 10, goes too (13 - 10 would give 3). Both shares go with their days.
        suppress_tables(&mut tables, &[vec![(0, 0, 0), (1, 0, 0), (1, 1, 0)]], 5);
        assert_eq!(tables[0].rows[0], vec![Value::Int(13)]);
        assert_eq!(
            tables[1].rows[1],
            vec![Value::Suppressed, Value::Int(13), Value::Suppressed]
        );
        assert_eq!(tables[1].rows[0][2], Value::Suppressed);
        assert_eq!(
            tables[1].rows[2],
            vec![Value::Int(0), Value::Suppressed, Value::Suppressed]
        );
        assert_eq!(tables[1].notes.len(), 1);
    }
}
