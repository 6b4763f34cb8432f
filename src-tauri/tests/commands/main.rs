//! Command-layer tests: the desktop app's commands called through Tauri's IPC on the mock runtime, with
//! JSON arguments exactly as `ui/api.js` sends them. Modules mirror src-tauri/src/commands.

mod support;

mod app;
mod attendance;
mod consortium;
mod events;
mod export;
mod files;
mod import;
mod people;
mod privacy;
mod projects;
mod reports;
mod safety;
mod updates;
