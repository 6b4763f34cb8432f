//! The desktop shell: builds the Tauri app, puts the database in managed state and registers the
//! commands. All logic lives in rollcall-core; see src/commands for the thin adapters.

mod commands;
mod jobs;
mod memory;
mod menu;
mod state;
pub mod updates;
mod webview;

use std::path::PathBuf;

use tauri::Manager;

pub use jobs::Jobs;
pub use state::AppState;

/// The database path: `--db PATH` on the command line, else `ROLLCALL_DB`, else the OS's app-data
/// folder for this app.
fn database_path(app: &tauri::App) -> PathBuf {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            if let Some(p) = args.next() {
                return PathBuf::from(p);
            }
        }
    }
    if let Some(p) = std::env::var_os("ROLLCALL_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    match app.path().app_data_dir() {
        Ok(dir) => dir.join(rollcall_core::db::DB_FILE_NAME),
        Err(_) => rollcall_core::db::default_path(),
    }
}

/// When the process started, for the "first paint" line in the log (see commands::app::app_ready).
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    let builder = tauri::Builder::default()
        .plugin(
            // The OS log folder and stderr; records what the app does, never people's names or emails.
            tauri_plugin_log::Builder::new()
                .clear_targets()
                .level(log::LevelFilter::Info)
                .target(tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::LogDir { file_name: None }))
                .target(tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::Stderr))
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(updates::plugin())
        .setup(|app| {
            let path = database_path(app);
            log::info!("Rollcall {} starting", env!("CARGO_PKG_VERSION"));
            updates::log_endpoint_override();
            app.manage(AppState::open(path));
            app.manage(Jobs::default());
            app.manage(updates::Updates::default());
            menu::install(app)?;
            webview::tune(app);
            memory::start(app.handle().clone());
            Ok(())
        });
    let mut context = tauri::generate_context!("tauri.conf.json");
    updates::apply_endpoint_override(context.config_mut());
    commands::register(builder).run(context).expect("error while running Rollcall");
}

/// The builder with state and commands but no plugins or window, for the command-layer tests (which add
/// the updater plugin, `updates::plugin()`, where they test it).
#[doc(hidden)]
pub fn test_builder<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    commands::register(builder.manage(state).manage(Jobs::default()).manage(updates::Updates::default()))
}
