//! `dtoc chart monthly|spc|los`: SVG text and bars, PNG size. Synthetic demo database.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::cli::{demo, dtoc, run};

const LEICS: &str = "E10000018";

/// The text of every `<text>` element (plotters writes it on the line after the tag).
fn texts(svg: &str) -> Vec<String> {
    let lines: Vec<&str> = svg.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0].starts_with("<text"))
        .map(|w| w[1].trim().to_string())
        .collect()
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn monthly_svg_has_title_target_and_one_bar_per_month_per_series() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let out = dir.path().join("monthly.svg");
    let said = run(
        &db,
        &[
            "chart",
            "monthly",
            "--la",
            LEICS,
            "--from",
            "2017-08",
            "--to",
            "2018-07",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(said, format!("wrote {}\n", out.display()));
    let svg = std::fs::read_to_string(&out).unwrap();
    let text = texts(&svg);
    let has = |t: &str| text.iter().any(|x| x == t);
    assert!(has(
        "Leicestershire: delayed transfers of care, August 2017 to July 2018"
    ));
    assert!(
        has("Delayed days per day per 100,000 adults"),
        "y axis label"
    );
    assert!(has("Month"), "x axis label");
    for legend in ["NHS", "Social Care", "Both", "Target"] {
        assert!(has(legend), "legend {legend}");
    }
    assert!(has("Aug 17") && has("Jul 18"));
    // August 2017 to July 2018: 12 months, so 12 bars of each attribution, plus its legend swatch.
    for colour in ["#005EB8", "#FFB81C", "#330072"] {
        let rects = svg
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains(&format!("fill=\"{colour}\"")))
            .count();
        assert_eq!(rects, 12 + 1, "{colour}");
    }
    // The target: a red line (polyline) drawn in the plot.
    assert!(
        count(&svg, "stroke=\"#DA291C\"") >= 2,
        "target line and legend"
    );
}

#[test]
fn png_renders_with_the_bundled_font_at_the_requested_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    for kind in ["monthly", "spc", "los"] {
        let out = dir.path().join(format!("{kind}.png"));
        run(
            &db,
            &[
                "chart",
                kind,
                "--la",
                LEICS,
                "--from",
                "2017-04",
                "--to",
                "2018-07",
                "--size",
                "800x450",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let png = std::fs::read(&out).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{kind}: PNG signature");
        assert_eq!(&png[12..16], b"IHDR");
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((w, h), (800, 450), "{kind}");
        assert!(png.len() > 5_000, "{kind}: a picture, not a blank");
    }
    // Anything but .svg or .png is refused.
    dtoc(&db)
        .args(["chart", "monthly", "--la", LEICS, "--out"])
        .arg(dir.path().join("x.jpg"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("must end in .svg or .png"));
}

#[test]
fn spc_svg_marks_mean_limits_target_and_each_special_cause() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let range = ["--la", LEICS, "--from", "2017-04", "--to", "2018-07"];
    // The same chart as `report spc`: count its special-cause months.
    let csv = run(
        &db,
        &[&["report", "spc"][..], &range, &["--format", "csv"]].concat(),
    );
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let at = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "special_cause")
        .unwrap();
    let causes: Vec<String> = rdr.records().map(|r| r.unwrap()[at].to_string()).collect();
    let count = |kind: &str| causes.iter().filter(|c| c.starts_with(kind)).count();
    let (improvement, concern) = (count("improvement"), count("concern"));
    let common = causes.iter().filter(|c| c.is_empty()).count();
    assert!(improvement > 0 && concern > 0 && common > 0, "{causes:?}");
    let out = dir.path().join("spc.svg");
    run(
        &db,
        &[
            &["chart", "spc"][..],
            &range,
            &["--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    let text = texts(&svg);
    let has = |t: &str| text.iter().any(|x| x == t);
    assert!(has(
        "Leicestershire: SPC chart of delayed days (Total), April 2017 to July 2018"
    ));
    for legend in [
        "Mean",
        "Process limits",
        "Target",
        "Monthly value",
        "Common cause",
        "Special cause: improvement",
        "Special cause: concern",
    ] {
        assert!(has(legend), "legend {legend}");
    }
    // The two icons, named as the report names them (Making Data Count's names).
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert!(has(&format!("Variation: {}", first[10])), "{}", first[10]);
    assert!(has(&format!("Assurance: {}", first[11])), "{}", first[11]);
    // Making Data Count's colours by point type (NHSRplotthedots' palette): one dot per month of
    // that type, plus the legend's.
    let dots = |fill: &str| {
        svg.lines()
            .filter(|l| {
                l.starts_with("<circle")
                    && l.contains("r=\"5\"")
                    && l.contains(&format!("fill=\"{fill}\""))
            })
            .count()
    };
    assert_eq!(dots("#7B7D7D"), common + 1, "grey: common cause");
    assert_eq!(dots("#289DE0"), improvement + 1, "blue: improvement");
    assert_eq!(dots("#FAB428"), concern + 1, "orange: concern");
    // Every point is one of the three.
    assert_eq!(common + improvement + concern, 16);
}
