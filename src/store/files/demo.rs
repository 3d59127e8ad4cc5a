//! `dtoc demo`'s file: built privately, put in place through SQLite, never over a register.

use super::temp::{remove_stale_temps, stopped, temp_beside, TempFile};
use super::{
    copy_into_live, io, live_file, refuse_special, renamed, signals, sync_dir, RESTORED_BY,
};
use crate::error::Error;
use crate::progress::Progress;
use crate::store::Store;
use std::path::Path;

impl Store {
    /// Writes a demo register at `dest`, built by `build` on a new private file beside it (a
    /// signal meanwhile removes that file and stops; nothing of the user's was touched), then put
    /// in place through SQLite, never by replacing the file:
    ///
    /// - no file at `dest`: the built file is linked there (never over a file made meanwhile);
    /// - an earlier demo at `dest`: the built register is copied into it with the online backup
    ///   API under its write lock (see `copy_into_live`) and marked (see `RESTORED_BY`), so an
    ///   app open on it reads the new demo at its next read and never writes into an unlinked
    ///   file;
    /// - any other file (through a symbolic link: the file it names) is refused, naming it, and
    ///   left as it was: a demo never replaces a register.
    pub fn write_demo_file<T, E: From<Error>>(
        dest: &Path,
        user: Option<&str>,
        progress: &dyn Progress,
        build: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let not_demo = || {
            Error::invalid(format!(
                "{} is not a demo database (it may hold a hub's register): dtoc demo writes only a \
                 new file or an earlier demo; give another --db",
                dest.display()
            ))
        };
        refuse_special(dest, "a dtoc database")?;
        if dest.exists() && !Store::is_demo_file(dest) {
            return Err(not_demo().into());
        }
        let (existed, live) = live_file(dest)?;
        remove_stale_temps(&live);
        let tmp_path = temp_beside(&live, "demo");
        let _ = std::fs::remove_file(&tmp_path);
        let _tmp = TempFile::new(tmp_path.clone());
        let mut built = Store::open(&tmp_path).map_err(|e| renamed(e, &tmp_path, dest))?;
        if let Some(u) = user {
            built.set_user(u)?;
        }
        let out = build(&mut built)?;
        if !existed {
            // One self-contained file (what the WAL holds written into it; the next open turns
            // WAL on again), synced: linked alone, it is the whole register.
            let _mode: String = built
                .conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
                .map_err(|e| renamed(e.into(), &tmp_path, dest))?;
            drop(built);
            std::fs::File::open(&tmp_path)
                .and_then(|f| f.sync_all())
                .map_err(io(dest))?;
            let _answering = signals::Answering::begin();
            if signals::stopping() {
                return Err(stopped().into());
            }
            // A hard link never replaces an existing file (unlike rename).
            std::fs::hard_link(&tmp_path, &live).map_err(io(dest))?;
            sync_dir(&live);
            return Ok(out);
        }
        let mark = format!("demo {} {}", built.now(), std::process::id());
        copy_into_live(
            &built.conn,
            &live,
            dest,
            true,
            dest,
            progress,
            |reader, _| {
                // Still a demo now that no one else can write.
                let demo: i64 = reader.query_row(
                    "SELECT count(*) FROM meta WHERE key = ?1",
                    [crate::store::meta::DEMO_TODAY],
                    |r| r.get(0),
                )?;
                if demo == 0 {
                    return Err(not_demo());
                }
                built.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [RESTORED_BY, mark.as_str()],
                )?;
                Ok(())
            },
        )?;
        Ok(out)
    }
}
