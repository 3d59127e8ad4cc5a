//! How complete a day's census is (issue 15): the shares it feeds say "census incomplete (k of n
//! sites)" when some site's cells are missing.

use std::collections::HashMap;

/// (sites whose every authority's cell is given, sites): `cells` are the (site, authority) cells
/// given that day, `sites` the sites stored, `authorities` how many authorities are stored.
pub fn census_coverage<'a>(
    cells: impl Iterator<Item = &'a str>,
    sites: &[&str],
    authorities: usize,
) -> (usize, usize) {
    let mut per_site: HashMap<&str, usize> = HashMap::new();
    for site in cells {
        *per_site.entry(site).or_default() += 1;
    }
    let full = sites
        .iter()
        .filter(|s| per_site.get(*s).copied().unwrap_or(0) >= authorities.max(1))
        .count();
    (full, sites.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_counts_once_every_authority_cell_is_given() {
        let cells = ["RX1", "RX1", "RX2"];
        assert_eq!(
            census_coverage(cells.into_iter(), &["RX1", "RX2", "RX3"], 2),
            (1, 3)
        );
        assert_eq!(census_coverage([].into_iter(), &["RX1"], 2), (0, 1));
    }
}
