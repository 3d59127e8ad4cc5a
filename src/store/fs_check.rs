//! Where the database may live. SQLite's WAL mode keeps its index in shared memory beside the file, so
//! every process must be on the same host: a database on a network filesystem (NFS, SMB/CIFS, sshfs
//! and the like) can be corrupted by two hosts writing at once. dtoc refuses to open one there.

use std::path::Path;

/// The supported set-up, for messages.
pub const SUPPORTED_SETUP: &str =
    "keep the database on a local disk of one host and have staff run dtoc on that host \
     (for example over ssh); a network share (NFS, SMB/CIFS, sshfs) is not supported because \
     SQLite's WAL mode needs every process on one machine";

/// The name of the network filesystem holding `dir`, if it is one.
#[cfg(target_os = "linux")]
pub fn network_filesystem(dir: &Path) -> Option<&'static str> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `st` a properly sized out-parameter.
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    classify(st.f_type as i64)
}

#[cfg(not(target_os = "linux"))]
pub fn network_filesystem(_dir: &Path) -> Option<&'static str> {
    None
}

/// Filesystem magic numbers (linux/magic.h) of network and FUSE filesystems.
pub fn classify(magic: i64) -> Option<&'static str> {
    match magic as u32 {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF53_4D42 => Some("CIFS"),
        0xFE53_4D42 => Some("SMB2"),
        0x5346_414F => Some("AFS"),
        0x6B41_4653 => Some("AFS (kAFS)"),
        0x6573_5546 => Some("FUSE (e.g. sshfs)"),
        0x0BD0_0BD0 => Some("Lustre"),
        0x4741_5346 | 0x0116_1970 => Some("GFS2"),
        0x7461_636f => Some("OCFS2"),
        0x1976_0715 => Some("Ceph"),
        0x00C3_6400 => Some("CephFS"),
        _ => None,
    }
}

/// Whether the file can be read by users other than its owner (Unix).
#[cfg(unix)]
pub fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
}

#[cfg(not(unix))]
pub fn readable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_magics_are_named_and_local_ones_are_not() {
        assert_eq!(classify(0x6969), Some("NFS"));
        assert_eq!(classify(0xFF53_4D42_u32 as i64), Some("CIFS"));
        assert_eq!(classify(0xFE53_4D42_u32 as i64), Some("SMB2"));
        assert_eq!(classify(0x6573_5546), Some("FUSE (e.g. sshfs)"));
        // ext4, xfs, btrfs, tmpfs, overlayfs
        for local in [
            0xEF53_i64,
            0x5846_5342,
            0x9123_683E,
            0x0102_1994,
            0x794C_7630,
        ] {
            assert_eq!(classify(local), None, "{local:#x}");
        }
    }

    #[test]
    fn this_temp_dir_is_local() {
        assert_eq!(network_filesystem(&std::env::temp_dir()), None);
    }
}
