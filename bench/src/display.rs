//! What the harness needs to run the desktop app: its binary and an X display (the one set, or an Xvfb of
//! its own), shared by the first-paint figure (`suite.rs`) and the window's figures (`window.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Args;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The desktop app to measure: $ROLLCALL_APP, else --app.
pub fn app_binary(args: &Args) -> PathBuf {
    std::env::var_os("ROLLCALL_APP").filter(|a| !a.is_empty()).map(PathBuf::from).unwrap_or_else(|| args.app.clone())
}

/// The X display to use: $DISPLAY if set, else an Xvfb started here (and stopped on drop).
pub struct Display {
    pub name: String,
    xvfb: Option<std::process::Child>,
}

impl Display {
    pub fn get() -> Result<Display> {
        if let Some(d) = std::env::var_os("DISPLAY").filter(|d| !d.is_empty()) {
            return Ok(Display { name: d.to_string_lossy().into_owned(), xvfb: None });
        }
        for number in 99..110 {
            if Path::new(&format!("/tmp/.X11-unix/X{number}")).exists()
                || Path::new(&format!("/tmp/.X{number}-lock")).exists()
            {
                continue;
            }
            let mut child = Command::new("Xvfb")
                .args([format!(":{number}").as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
            let until = Instant::now() + Duration::from_secs(10);
            while Instant::now() < until {
                if socket.exists() {
                    return Ok(Display { name: format!(":{number}"), xvfb: Some(child) });
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        Err("could not start Xvfb".into())
    }
}

impl Drop for Display {
    // Sending a signal other than SIGKILL needs libc (see the comment below).
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        if let Some(child) = &mut self.xvfb {
            // SIGTERM, not SIGKILL: Xvfb then removes its lock file and socket, and the display is free
            // for the next run.
            // SAFETY: signals our own child, which has not been waited for yet.
            #[cfg(unix)]
            unsafe {
                libc::kill(child.id() as libc::pid_t, libc::SIGTERM)
            };
            // Elsewhere there is no Xvfb to start (the window figures are skipped), so this is not reached.
            #[cfg(not(unix))]
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
