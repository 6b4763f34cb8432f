//! The desktop app's entry point; everything happens in `rollcall_app::run`.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    rollcall_app::run();
}
