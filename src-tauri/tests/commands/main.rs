//! Command-layer tests: the desktop app's commands called through Tauri's IPC on the mock runtime.
fn main() {}
