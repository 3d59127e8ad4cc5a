//! Encryption at rest (SQLCipher), behind the cargo feature `sqlcipher`.
//!
//! The key comes from `$DTOC_KEY`, else (for a file that is already encrypted) from a prompt that
//! does not echo; never from the command line, where other users of the host could read it in the
//! process list. `PRAGMA key` is the first statement on a connection; SQLCipher's own log is then
//! silenced so that it can never write over the terminal app. A key that does not open the file is
//! refused with a clear message. Without the feature, a `DTOC_KEY` or an encrypted file is refused
//! (never silently ignored: the user would believe the file encrypted).

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// The environment variable that holds the key.
pub const KEY_VAR: &str = "DTOC_KEY";

/// The first 16 bytes of every plain SQLite file; an encrypted file starts with random bytes.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A database key, or none for a plain file. Its `Debug` never shows the key.
#[derive(Clone, Default)]
pub struct Key(Option<String>);

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

fn env_key() -> Option<String> {
    std::env::var(KEY_VAR).ok().filter(|k| !k.is_empty())
}

/// The key to open `path` with: `$DTOC_KEY`, else a prompt when the existing file is encrypted.
/// A new file is encrypted when `$DTOC_KEY` is set.
#[cfg(feature = "sqlcipher")]
pub fn key_for(path: &Path, existed: bool) -> Result<Key> {
    if let Some(k) = env_key() {
        return Ok(Key(Some(k)));
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
    Ok(Key((!k.is_empty()).then_some(k)))
}

/// Without the feature: a key or an encrypted file is refused with the reason.
#[cfg(not(feature = "sqlcipher"))]
pub fn key_for(path: &Path, existed: bool) -> Result<Key> {
    let why = if env_key().is_some() {
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
    let Some(k) = &key.0 else {
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
