//! Reading an XLSX back beyond what calamine shows: a file of the zip, a cell's number format.

use std::path::Path;

/// One file of a zip (an XLSX), as text.
pub fn zip_entry(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The number format of `cell` (`D5`) on sheet number `sheet` (from 1), from the workbook's XML:
/// its format code (`#,##0`), or for the built-in formats 1 and 3 the code they stand for.
pub fn number_format(path: &Path, sheet: usize, cell: &str) -> String {
    let styles = zip_entry(path, "xl/styles.xml");
    let xml = zip_entry(path, &format!("xl/worksheets/sheet{sheet}.xml"));
    let at = xml.find(&format!(r#"<c r="{cell}" s=""#)).unwrap() + cell.len() + 11;
    let xf: usize = xml[at..].split('"').next().unwrap().parse().unwrap();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let id = xfs.split("<xf ").nth(xf + 1).unwrap();
    let id = id
        .split(r#"numFmtId=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let def = format!(r#"numFmtId="{id}" formatCode=""#);
    match styles.find(&def) {
        Some(at) => styles[at + def.len()..]
            .split('"')
            .next()
            .unwrap()
            .replace("&quot;", "\""),
        None => match id {
            "1" => "0".into(),
            "3" => "#,##0".into(),
            other => format!("built-in {other}"),
        },
    }
}
