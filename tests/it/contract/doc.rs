//! docs/output.md read as the contract: each report's section (`### `), the command its example
//! was run with, and its tables' column types; the JSON examples and how the docs write them.

use serde_json::Value;

/// The page, as the repository holds it.
pub const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/output.md");

/// A documented column type (docs/output.md, "Each report"), JSON null allowed when `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ty {
    pub base: Base,
    pub null: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Int,
    Year,
    Number,
    Text,
    Bool,
    Month,
    Date,
    Moment,
}

/// One documented output: its section's label, the command of its example (after `dtoc`, without
/// its `--format json`), and
/// its tables (name `""` for a one-table report), each a list of (key, type); a key ending in `*`
/// stands for every key with that beginning.
#[derive(Debug)]
pub struct Contract {
    pub label: String,
    pub args: Vec<String>,
    pub tables: Vec<(String, Vec<(String, Ty)>)>,
}

impl Contract {
    pub fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }

    /// The documented type of `key` in table number `t`.
    pub fn type_of(&self, t: usize, key: &str) -> Option<Ty> {
        self.tables[t]
            .1
            .iter()
            .find(|(k, _)| match k.strip_suffix('*') {
                Some(prefix) => key.starts_with(prefix),
                None => k == key,
            })
            .map(|(_, t)| *t)
    }

    /// Whether the report is written with a `tables` list.
    pub fn multi(&self) -> bool {
        !self.tables[0].0.is_empty()
    }
}

/// A type as the docs' tables name it: `integer`, `year`, `number`, `string`, `boolean`, `month
/// \`YYYY-MM\``, `date \`YYYY-MM-DD\``, `moment ...`, each possibly followed by ` or null`.
fn parse_type(s: &str) -> Ty {
    let (s, null) = match s.strip_suffix(" or null") {
        Some(s) => (s, true),
        None => (s, false),
    };
    let base = match s.split_whitespace().next().unwrap_or("") {
        "integer" => Base::Int,
        "year" => Base::Year,
        "number" => Base::Number,
        "string" => Base::Text,
        "boolean" => Base::Bool,
        "month" => Base::Month,
        "date" => Base::Date,
        "moment" => Base::Moment,
        other => panic!("docs/output.md: undocumented type {other:?} ({s})"),
    };
    Ty { base, null }
}

/// The words of a `` `dtoc ...` `` line after `dtoc`.
fn command_of(line: &str) -> Option<Vec<String>> {
    let rest = line.strip_prefix("`dtoc ")?;
    let cmd = rest.split('`').next()?;
    Some(cmd.split_whitespace().map(String::from).collect())
}

/// Every section of "Each report", in order.
pub fn contracts(page: &str) -> Vec<Contract> {
    let each = page
        .split_once("\n## Each report")
        .expect("docs/output.md has an \"Each report\" section")
        .1;
    let mut out = Vec::new();
    for section in each.split("\n### ").skip(1) {
        let mut lines = section.lines();
        let heading = lines.next().unwrap_or("");
        let label = heading.trim().trim_matches('`').to_string();
        let mut args = None;
        let mut tables: Vec<(String, Vec<(String, Ty)>)> = Vec::new();
        for line in lines {
            if args.is_none() {
                args = command_of(line);
            }
            if let Some(n) = line
                .strip_prefix("Table `")
                .and_then(|r| r.strip_suffix("`:"))
            {
                tables.push((n.to_string(), Vec::new()));
                continue;
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() != 4 || cells[1] == "type" || cells[1].starts_with("---") {
                continue;
            }
            let ty = parse_type(cells[1]);
            if tables.is_empty() {
                tables.push((String::new(), Vec::new()));
            }
            let keys = cells[2].split('`').skip(1).step_by(2).map(String::from);
            let last = tables.last_mut().unwrap();
            last.1.extend(keys.map(|k| (k, ty)));
        }
        let mut args: Vec<String> =
            args.unwrap_or_else(|| panic!("docs/output.md, {label}: no `dtoc ...` line"));
        // The example's `--format json`: each test adds the format it checks.
        if let Some(at) = args.windows(2).position(|w| w == ["--format", "json"]) {
            args.drain(at..at + 2);
        }
        assert!(!tables.is_empty(), "docs/output.md, {label}: no types");
        out.push(Contract {
            label,
            args,
            tables,
        });
    }
    out
}

/// One JSON example of the page: the command on the line before it (after `dtoc`), the line
/// numbers of that line and of the block's lines (between the fences).
#[derive(Debug)]
pub struct Example {
    pub args: Vec<String>,
    pub command_line: usize,
    pub block: std::ops::Range<usize>,
}

/// Every `` `dtoc ...` `` line of the page followed by a ```` ```json ```` block (before the next
/// heading).
pub fn examples(page: &str) -> Vec<Example> {
    let lines: Vec<&str> = page.lines().collect();
    let mut out = Vec::new();
    let mut pending: Option<(usize, Vec<String>)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with('#') {
            pending = None;
        } else if let Some(args) = command_of(line) {
            pending = Some((i, args));
        } else if line == "```json" {
            let end = (i + 1..lines.len())
                .find(|&j| lines[j] == "```")
                .expect("a closed json block");
            if let Some((command_line, args)) = pending.take() {
                out.push(Example {
                    args,
                    command_line,
                    block: i + 1..end,
                });
            }
            i = end;
        }
        i += 1;
    }
    out
}

/// The tables of a document: itself for a one-table report, else its `tables`.
pub fn tables_of(doc: &Value) -> Vec<&Value> {
    match doc.get("tables") {
        Some(list) => list.as_array().unwrap().iter().collect(),
        None => vec![doc],
    }
}

/// Each table's number of rows.
pub fn row_counts(doc: &Value) -> Vec<usize> {
    tables_of(doc)
        .iter()
        .map(|t| t["rows"].as_array().map_or(0, Vec::len))
        .collect()
}

/// `doc` with each table's rows cut to the first `n[i]` (and its `suppressed` cells to those
/// rows).
pub fn cut(doc: &Value, n: &[usize]) -> Value {
    let cut_table = |t: &Value, n: usize| {
        let mut t = t.clone();
        if let Some(rows) = t["rows"].as_array_mut() {
            rows.truncate(n);
        }
        if let Some(s) = t["suppressed"].as_array_mut() {
            s.retain(|c| {
                let row = c.as_str().and_then(|c| c.split('/').next());
                row.and_then(|r| r.parse::<usize>().ok())
                    .is_some_and(|r| r < n)
            });
        }
        t
    };
    match doc.get("tables") {
        Some(list) => {
            let mut d = doc.clone();
            d["tables"] = Value::Array(
                list.as_array()
                    .unwrap()
                    .iter()
                    .zip(n)
                    .map(|(t, n)| cut_table(t, *n))
                    .collect(),
            );
            d
        }
        None => cut_table(doc, n[0]),
    }
}

/// A value on one line, as the docs write it: `{"key": value, ...}`, `[a, b]`.
fn one_line(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), one_line(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(one_line).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    }
}

/// An object as the docs write a document: one key a line, each row on one line, each table of
/// `tables` an object of its own.
fn object(m: &serde_json::Map<String, Value>, indent: usize) -> String {
    let pad = |n: usize| " ".repeat(n);
    let entries: Vec<String> = m
        .iter()
        .map(|(k, v)| {
            let value = match (k.as_str(), v.as_array()) {
                ("rows", Some(rows)) if !rows.is_empty() => {
                    let rows: Vec<String> = rows
                        .iter()
                        .map(|r| format!("{}{}", pad(indent + 4), one_line(r)))
                        .collect();
                    format!("[\n{}\n{}]", rows.join(",\n"), pad(indent + 2))
                }
                ("tables", Some(tables)) => {
                    let tables: Vec<String> = tables
                        .iter()
                        .map(|t| {
                            format!(
                                "{}{}",
                                pad(indent + 4),
                                object(t.as_object().unwrap(), indent + 4)
                            )
                        })
                        .collect();
                    format!("[\n{}\n{}]", tables.join(",\n"), pad(indent + 2))
                }
                _ => one_line(v),
            };
            format!("{}{}: {value}", pad(indent + 2), Value::from(k.as_str()))
        })
        .collect();
    format!("{{\n{}\n{}}}", entries.join(",\n"), pad(indent))
}

/// A document as the docs write it.
pub fn render(doc: &Value) -> String {
    object(doc.as_object().unwrap(), 0)
}

/// `text` with every moment (`"YYYY-MM-DDTHH:MM:SSZ"`, the clock's time of an audit entry) as
/// `"<moment>"`: the one thing an example cannot fix.
pub fn without_moments(text: &str) -> String {
    let is_moment =
        |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").is_ok();
    text.split('"')
        .map(|part| if is_moment(part) { "<moment>" } else { part })
        .collect::<Vec<_>>()
        .join("\"")
}

/// The `(of N)` / `(of N, M)` of a command line set to `counts`.
pub fn with_counts(line: &str, counts: &[usize]) -> String {
    let Some(at) = line.find("(of ") else {
        return line.to_string();
    };
    let end = at + line[at..].find(')').unwrap();
    let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
    format!(
        "{}(of {}){}",
        &line[..at],
        counts.join(", "),
        &line[end + 1..]
    )
}
