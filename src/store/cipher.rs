//! Encryption at rest (SQLCipher), behind the cargo feature `sqlcipher`.
//!
//! The key comes from `$DTOC_KEY`, else (for a file that is already encrypted) from a prompt that
//! does not echo; never from the command line, where other users of the host could read it in the
//! process list. `PRAGMA key` is the first statement on a connection; SQLCipher's own log is then
//! silenced so that it can never write over the terminal app. A key that does not open the file is
//! refused with a clear message. Without the feature, a `DTOC_KEY` or an encrypted file is refused
//! (never silently ignored: the user would believe the file encrypted).
//!
//! The key is held in a zeroising, non-`Clone` type, and `DTOC_KEY` is removed from the
//! environment once read (so no child process inherits it). Scheduled jobs give `DTOC_KEY_FILE`,
//! a file readable by its owner only, instead of a key in a crontab. A cipher build refuses to
//! create a new database without a key unless `--plain` is given.

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use zeroize::Zeroizing;

/// The environment variable that holds the key.
pub const KEY_VAR: &str = "DTOC_KEY";
/// The environment variable naming a file (0600) that holds the key.
pub const KEY_FILE_VAR: &str = "DTOC_KEY_FILE";

/// The key read from the environment, once: `DTOC_KEY` is removed after it is read.
static ENV_KEY: std::sync::Mutex<Option<Zeroizing<String>>> = std::sync::Mutex::new(None);
/// Whether a cipher build may create a new plain database (`--plain`).
static ALLOW_PLAIN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether an existing plain file is opened without the key (`dtoc encrypt`: the key is for the
/// encrypted copy, not for the file being copied).
static ENCRYPTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `dtoc encrypt`: open the plain database as it is; the environment's key encrypts the copy.
pub fn encrypting_plain_file(on: bool) {
    ENCRYPTING.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// `--plain`: a new database may be created without a key (a cipher build refuses otherwise).
pub fn allow_plain_new_files(allow: bool) {
    ALLOW_PLAIN.store(allow, std::sync::atomic::Ordering::Relaxed);
}

/// The first 16 bytes of every plain SQLite file; an encrypted file starts with random bytes.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A database key, or none for a plain file: wiped from memory when dropped, never cloned. Its
/// `Debug` never shows the key.
#[derive(Default)]
pub struct Key(Option<Zeroizing<String>>);

impl Key {
    /// A key from its text (an empty text is no key).
    pub fn new(k: String) -> Self {
        let k = Zeroizing::new(k);
        Key((!k.is_empty()).then_some(k))
    }

    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// The key's text, for `ATTACH … KEY` (encrypt, decrypt).
    pub(crate) fn text(&self) -> Option<&str> {
        self.0.as_deref().map(String::as_str)
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Key(set)"
        } else {
            "Key(none)"
        })
    }
}

/// Whether the file at `path` has content that is not a plain SQLite file (so: encrypted).
pub fn looks_encrypted(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    match std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)) {
        Ok(()) => &head != SQLITE_HEADER,
        Err(_) => false,
    }
}

/// The key of the environment: `DTOC_KEY` (then removed from the environment), else the content
/// of the file `DTOC_KEY_FILE` names (which must be readable by its owner only).
fn env_key() -> Result<Option<Key>> {
    let mut cached = ENV_KEY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if cached.is_none() {
        if let Some(k) = std::env::var_os(KEY_VAR) {
            // Read once, then gone: child processes (an editor, a mailer) never inherit it.
            std::env::remove_var(KEY_VAR);
            let k = Zeroizing::new(k.to_string_lossy().into_owned());
            if !k.is_empty() {
                *cached = Some(k);
            }
        } else if let Some(f) = std::env::var_os(KEY_FILE_VAR).filter(|f| !f.is_empty()) {
            let path = std::path::PathBuf::from(f);
            if super::fs_check::readable_by_others(&path) || group_or_other_access(&path) {
                return Err(Error::database(
                    &path,
                    format!("{KEY_FILE_VAR} names a key file others can read: chmod 600 it"),
                ));
            }
            let text =
                Zeroizing::new(std::fs::read_to_string(&path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?);
            let k = Zeroizing::new(text.trim_end_matches(['\n', '\r']).to_string());
            if !k.is_empty() {
                *cached = Some(k);
            }
        }
    }
    Ok(cached
        .as_ref()
        .map(|k| Key(Some(Zeroizing::new(k.as_str().to_string())))))
}

#[cfg(unix)]
fn group_or_other_access(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn group_or_other_access(_path: &Path) -> bool {
    false
}

/// The key to open `path` with: `$DTOC_KEY`, else a prompt when the existing file is encrypted.
/// A new file is encrypted when `$DTOC_KEY` is set.
#[cfg(feature = "sqlcipher")]
pub fn key_for(path: &Path, existed: bool) -> Result<Key> {
    let encrypting = ENCRYPTING.load(std::sync::atomic::Ordering::Relaxed);
    if encrypting && existed && !looks_encrypted(path) {
        return Ok(Key(None));
    }
    if let Some(k) = env_key()? {
        return Ok(k);
    }
    if !existed && !ALLOW_PLAIN.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(Error::database(
            path,
            format!(
                "no key to encrypt a new database: set {KEY_VAR} (or {KEY_FILE_VAR}, a file only you can read), or give --plain for an unencrypted one"
            ),
        ));
    }
    if !(existed && looks_encrypted(path)) {
        return Ok(Key(None));
    }
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(Error::database(
            path,
            format!("is encrypted: set {KEY_VAR} to its key"),
        ));
    }
    let k =
        rpassword::prompt_password(format!("key for {}: ", path.display())).map_err(|source| {
            Error::Io {
                path: path.to_path_buf(),
                source,
            }
        })?;
    Ok(Key::new(k))
}

/// Without the feature: a key or an encrypted file is refused with the reason.
#[cfg(not(feature = "sqlcipher"))]
pub fn key_for(path: &Path, existed: bool) -> Result<Key> {
    let why = if env_key()?.is_some() {
        format!("{KEY_VAR} is set")
    } else if existed && looks_encrypted(path) {
        "the file is not a plain SQLite file (encrypted?)".to_string()
    } else {
        return Ok(Key(None));
    };
    Err(Error::database(
        path,
        format!(
            "{why}, but this dtoc was built without encryption: build it with `--features sqlcipher`"
        ),
    ))
}

/// Opens a connection and, with a key, unlocks it: `PRAGMA key` first, then SQLCipher's log is
/// silenced, then a read proves the key opens the file.
pub fn open_connection(path: &Path, flags: OpenFlags, key: &Key) -> Result<Connection> {
    let conn =
        Connection::open_with_flags(path, flags).map_err(|e| Error::database_sql(path, e))?;
    apply(&conn, path, key)?;
    Ok(conn)
}

/// Applies `key` to a fresh connection on `path` (nothing to do without a key).
pub fn apply(conn: &Connection, path: &Path, key: &Key) -> Result<()> {
    let Some(k) = key.text() else {
        return Ok(());
    };
    let refused = |e: rusqlite::Error| Error::database_sql(path, e);
    conn.pragma_update(None, "key", k).map_err(refused)?;
    // Ignored by a plain SQLite (unknown pragmas are no-ops); SQLCipher stops logging.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")
        .map_err(refused)?;
    #[cfg(unix)]
    conn.execute_batch("PRAGMA cipher_log = '/dev/null';")
        .map_err(refused)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::database(
            path,
            "the key does not open this database (a wrong key, or the file is not encrypted)",
        ),
        _ => refused(e),
    })?;
    Ok(())
}

/// Which way [`Store::convert_to`] converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// A plain database to an encrypted copy (with the key of the environment).
    Encrypt,
    /// An encrypted database to a plain copy.
    Decrypt,
}

impl super::Store {
    /// Writes the open database to the new file `out`, encrypted or plain (SQLCipher's
    /// `sqlcipher_export`), owner-only; then opens the copy and checks it (integrity and the
    /// same schema version). A failed conversion leaves no file.
    pub fn convert_to(&self, out: &Path, way: Conversion) -> Result<()> {
        if !cfg!(feature = "sqlcipher") {
            return Err(Error::invalid(
                "encrypt and decrypt need a dtoc built with `--features sqlcipher`",
            ));
        }
        if out.exists() {
            return Err(Error::invalid(format!(
                "{} already exists: choose a new file name",
                out.display()
            )));
        }
        let key = match way {
            Conversion::Encrypt => {
                let k = env_key()?.or_else(|| self.key.text().map(|t| Key::new(t.to_string())));
                match k {
                    Some(k) if k.is_set() => k,
                    _ => {
                        return Err(Error::invalid(format!(
                            "encrypt needs a key: set {KEY_VAR} or {KEY_FILE_VAR}"
                        )))
                    }
                }
            }
            Conversion::Decrypt => Key::default(),
        };
        drop(super::files::create_private(out)?);
        let result = (|| -> Result<()> {
            let target = out.to_string_lossy().into_owned();
            self.conn.execute(
                "ATTACH DATABASE ?1 AS converted KEY ?2",
                rusqlite::params![target, key.text().unwrap_or("")],
            )?;
            let exported = self
                .conn
                .query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(()));
            let version = self.schema_version()?;
            let set = self
                .conn
                .execute_batch(&format!("PRAGMA converted.user_version = {version}"));
            self.conn.execute_batch("DETACH DATABASE converted")?;
            exported?;
            set?;
            let copy = open_connection(out, OpenFlags::SQLITE_OPEN_READ_ONLY, &key)?;
            let ok: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            let v: i64 = copy.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if ok != "ok" || v != version {
                return Err(Error::database(
                    out,
                    "the converted copy does not check out",
                ));
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(out);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_taken_out_of_the_environment_once_read() {
        std::env::set_var(KEY_VAR, "not for children");
        let k = env_key().unwrap().unwrap();
        assert!(std::env::var_os(KEY_VAR).is_none(), "DTOC_KEY is still set");
        assert_eq!(k.text(), Some("not for children"));
        // Read again (a second open in the same process): the same key, from memory.
        assert_eq!(env_key().unwrap().unwrap().text(), Some("not for children"));
        *ENV_KEY.lock().unwrap() = None;
        assert_eq!(format!("{k:?}"), "Key(set)");
    }
}
