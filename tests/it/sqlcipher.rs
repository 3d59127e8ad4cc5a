//! Encryption at rest. With the `sqlcipher` feature (`cargo test --features sqlcipher --test
//! sqlcipher`): a database created with `DTOC_KEY` is encrypted (no SQLite header, no readable
//! content), reopens with the key, is refused with a clear message under a wrong key or none, and
//! its backups are encrypted with the same key; SQLCipher writes nothing to the terminal. Without
//! the feature: a key is refused rather than silently ignored.

use std::path::Path;
use std::process::{Command, Output};

fn dtoc(db: &Path, key: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dtoc"));
    c.env_remove("DTOC_DB")
        .env_remove("DTOC_KEY")
        .env("DTOC_USER", "cipher-test")
        .arg("--db")
        .arg(db)
        .args(["--today", "2018-08-15"])
        .args(args)
        .stdin(std::process::Stdio::null());
    if let Some(k) = key {
        c.env("DTOC_KEY", k);
    }
    c.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(not(feature = "sqlcipher"))]
#[test]
fn without_the_feature_a_key_is_refused_not_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let o = dtoc(&db, Some("correct horse"), &["init"]);
    assert!(!o.status.success());
    assert_eq!(
        stderr(&o),
        format!(
            "dtoc: database {}: DTOC_KEY is set, but this dtoc was built without encryption: build it with `--features sqlcipher`\n",
            db.display()
        )
    );
    assert!(!db.exists(), "nothing written");
    // A file that is not plain SQLite (as an encrypted one) is refused with the same advice.
    std::fs::write(&db, [0x5a_u8; 4096]).unwrap();
    let o = dtoc(&db, None, &["check"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("the file is not a plain SQLite file (encrypted?)"));
    assert_eq!(std::fs::read(&db).unwrap(), vec![0x5a_u8; 4096]);
}

#[cfg(feature = "sqlcipher")]
mod encrypted {
    use super::*;
    use crate::common::db::delays_csv;

    const KEY: &str = "correct horse battery staple";
    /// Strings the register holds, which must not be readable in the file.
    const SECRETS: &[&str] = &["ZEBRA-LOCAL-0001", "Leicestershire", "SQLite format 3"];

    fn assert_opaque(path: &Path) {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            bytes.len() >= 4096,
            "{} is {} bytes",
            path.display(),
            bytes.len()
        );
        for s in SECRETS {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{} contains {s:?}",
                path.display()
            );
        }
    }

    fn ok(o: &Output) -> String {
        assert!(o.status.success(), "{}", stderr(o));
        assert_eq!(
            stderr(o),
            "",
            "nothing on stderr (SQLCipher's log is silenced)"
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    #[test]
    fn create_reopen_refuse_a_wrong_key_and_back_up_encrypted() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.db");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        ok(&dtoc(&db, Some(KEY), &["init"]));
        ok(&dtoc(
            &db,
            Some(KEY),
            &[
                "import",
                "population",
                fixtures.join("population.csv").to_str().unwrap(),
            ],
        ));
        let csv = dir.path().join("d.csv");
        std::fs::write(
            &csv,
            delays_csv(&[
                "ZEBRA-LOCAL-0001,9434765919,RWE,RWE01,acute,E10000018,2018-07-01,2018-07-05,2018-07-10,A,NHS,2018-07-10,1",
            ]),
        )
        .unwrap();
        ok(&dtoc(
            &db,
            Some(KEY),
            // The file is the whole record from 1 July (its coverage): July counts.
            &[
                "import",
                "delays",
                csv.to_str().unwrap(),
                "--coverage-from",
                "2018-07-01",
            ],
        ));
        // The file: no SQLite header, none of the register's text.
        assert_opaque(&db);
        assert_ne!(&std::fs::read(&db).unwrap()[..16], b"SQLite format 3\0");

        // Reopened with the key: the check passes and the 5 delayed days are reported.
        assert_eq!(
            ok(&dtoc(&db, Some(KEY), &["check"])),
            format!("{}: ok\n", db.display())
        );
        let csv_report = ok(&dtoc(
            &db,
            Some(KEY),
            &[
                "report",
                "monthly",
                "--from",
                "2018-07",
                "--to",
                "2018-07",
                "--la",
                "E10000018",
                "--format",
                "csv",
            ],
        ));
        assert!(csv_report.contains(",5,"), "{csv_report}");

        // A wrong key, or none: refused with a clear message; the key is never echoed.
        let wrong = dtoc(&db, Some("Tr0ub4dor&3"), &["check"]);
        assert!(!wrong.status.success());
        assert_eq!(
            stderr(&wrong),
            format!(
                "dtoc: database {}: the key does not open this database (a wrong key, or the file is not encrypted)\n",
                db.display()
            )
        );
        let none = dtoc(&db, None, &["check"]);
        assert!(!none.status.success());
        assert_eq!(
            stderr(&none),
            format!(
                "dtoc: database {}: is encrypted: set DTOC_KEY to its key\n",
                db.display()
            )
        );
        // There is no option to give the key on the command line.
        let on_cli = dtoc(&db, None, &["--key", KEY, "check"]);
        assert!(!on_cli.status.success());
        let help = String::from_utf8_lossy(&dtoc(&db, None, &["--help"]).stdout).into_owned();
        assert!(
            !help.contains("--key") && !help.contains("DTOC_KEY"),
            "{help}"
        );

        // A backup is encrypted with the same key, and opens with it.
        let backup = dir.path().join("backup.db");
        ok(&dtoc(&db, Some(KEY), &["backup", backup.to_str().unwrap()]));
        assert_opaque(&backup);
        assert_eq!(
            ok(&dtoc(&backup, Some(KEY), &["check"])),
            format!("{}: ok\n", backup.display())
        );
        assert!(!dtoc(&backup, Some("wrong"), &["check"]).status.success());
        // And restores: stderr holds only the note of where the replaced database is kept (no
        // SQLCipher log line).
        let restored = dtoc(&db, Some(KEY), &["restore", backup.to_str().unwrap()]);
        assert!(restored.status.success(), "{}", stderr(&restored));
        let note = stderr(&restored);
        assert!(
            note.starts_with("note: the database it replaced is kept as ")
                && note.trim_end().lines().count() == 1,
            "{note}"
        );
        assert!(note.contains(".before-restore-"), "{note}");
        assert_opaque(&db);
        assert_eq!(
            ok(&dtoc(&db, Some(KEY), &["check"])),
            format!("{}: ok\n", db.display())
        );
    }

    #[test]
    fn without_a_key_a_new_file_is_plain() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("plain.db");
        // Without a key, a cipher build refuses to create a file unless --plain is given.
        let o = dtoc(&db, None, &["init"]);
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("no key to encrypt a new database"),
            "{}",
            stderr(&o)
        );
        assert!(!db.exists());
        ok(&dtoc(&db, None, &["--plain", "init"]));
        assert_eq!(&std::fs::read(&db).unwrap()[..16], b"SQLite format 3\0");
        // A key for a plain file does not open it (rather than silently running unencrypted).
        let o = dtoc(&db, Some(KEY), &["check"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("the key does not open this database"));
    }

    #[test]
    fn encrypt_and_decrypt_convert_and_check_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.db");
        ok(&dtoc(&plain, None, &["--plain", "demo", "--no-tui"]));
        let enc = dir.path().join("enc.db");
        let out = ok(&dtoc(
            &plain,
            Some(KEY),
            &["encrypt", "--out", enc.to_str().unwrap()],
        ));
        assert!(out.contains("checked"), "{out}");
        assert_opaque(&enc);
        assert_eq!(
            ok(&dtoc(&enc, Some(KEY), &["check"])),
            format!("{}: ok\n", enc.display())
        );
        let back = dir.path().join("back.db");
        ok(&dtoc(
            &enc,
            Some(KEY),
            &["decrypt", "--out", back.to_str().unwrap()],
        ));
        assert_eq!(&std::fs::read(&back).unwrap()[..16], b"SQLite format 3\0");
        assert_eq!(
            ok(&dtoc(&back, None, &["check"])),
            format!("{}: ok\n", back.display())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for f in [&enc, &back] {
                let m = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
                assert_eq!(m, 0o600);
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_opens_the_database_and_must_be_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.db");
        let key_file = dir.path().join("key");
        std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let with_file = |args: &[&str]| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_dtoc"));
            c.env_remove("DTOC_KEY")
                .env("DTOC_KEY_FILE", &key_file)
                .arg("--db")
                .arg(&db)
                .args(args)
                .stdin(std::process::Stdio::null());
            c.output().unwrap()
        };
        let o = with_file(&["init"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("chmod 600"), "{}", stderr(&o));
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
        ok(&with_file(&["init"]));
        ok(&dtoc(&db, Some(KEY), &["check"]));
        assert!(super::looks_encrypted(&db));
    }
}

#[cfg(feature = "sqlcipher")]
fn looks_encrypted(p: &Path) -> bool {
    std::fs::read(p)
        .map(|b| b.get(..16) != Some(b"SQLite format 3\0".as_slice()))
        .unwrap_or(false)
}
