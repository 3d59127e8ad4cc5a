//! How complete a day's census is (issue 15): the shares it feeds say "census incomplete (k of n
//! sites)" when some site's cells are missing; and a site's census by ward (issue 26), whose ward
//! figures add up to the site's.

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

/// A site's census by ward on a day: (ward code, inpatients) of each ward given; none: the site
/// has no figures by ward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteWards {
    pub site: String,
    pub wards: Vec<(String, u32)>,
}

/// The census's figures by ward of one site on a day must add up to the site's census (the sum
/// of its authorities' cells): `wards` are (ward code, inpatients). The refusal names the ward
/// figures and the site total: `RX1: the wards' inpatients W7 20 + W10 15 = 35, but the site's
/// census is 40`.
pub fn check_ward_census(site: &str, site_total: u32, wards: &[(&str, u32)]) -> Result<(), String> {
    let sum: u32 = wards.iter().map(|w| w.1).sum();
    if wards.is_empty() || sum == site_total {
        return Ok(());
    }
    let terms: Vec<String> = wards.iter().map(|(w, n)| format!("{w} {n}")).collect();
    Err(format!(
        "{site}: the wards' inpatients {} = {sum}, but the site's census is {site_total}; \
         the wards must add up to the site",
        terms.join(" + ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ward_figures_add_up_to_the_site_or_are_refused_naming_them() {
        assert_eq!(
            check_ward_census("RX1", 40, &[("W7", 25), ("W10", 15)]),
            Ok(())
        );
        assert_eq!(check_ward_census("RX1", 40, &[]), Ok(()));
        assert_eq!(
            check_ward_census("RX1", 40, &[("W7", 20), ("W10", 15)]),
            Err(
                "RX1: the wards' inpatients W7 20 + W10 15 = 35, but the site's census is 40; \
                 the wards must add up to the site"
                    .to_string()
            )
        );
    }

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
