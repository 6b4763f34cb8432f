//! The native menu bar: File (back up now, save a backup as, your data, quit) and Edit (so the usual
//! copy and paste shortcuts keep working on macOS, where they live in the menu). A click on one of
//! Rollcall's own items is passed to the window as a `menu` event carrying the item's id; the window
//! does the work through the same commands as its buttons. Quit is Rollcall's own item with Ctrl+Q (the
//! predefined one is disabled on Linux) and is handled here, so it works even while the window is locked.

use tauri::menu::{MenuBuilder, MenuItemBuilder, SubmenuBuilder};
use tauri::{App, Emitter, Runtime};

/// The ids the window understands (see ui/app.js).
pub const ITEMS: [(&str, &str, Option<&str>); 3] = [
    ("backup_now", "Back Up Now", Some("CmdOrCtrl+B")),
    ("backup_save", "Save a Backup As…", None),
    ("open_data", "Your Data…", None),
];

/// Quit, by the menu or Ctrl+Q, on every platform.
pub const QUIT: &str = "quit";

pub fn install<R: Runtime>(app: &App<R>) -> tauri::Result<()> {
    let mut file = SubmenuBuilder::new(app, "File");
    for (id, label, accelerator) in ITEMS {
        let mut item = MenuItemBuilder::with_id(id, label);
        if let Some(keys) = accelerator {
            item = item.accelerator(keys);
        }
        file = file.item(&item.build(app)?);
    }
    let quit = MenuItemBuilder::with_id(QUIT, "Quit").accelerator("CmdOrCtrl+Q").build(app)?;
    let file = file.separator().item(&quit).build()?;
    let edit = SubmenuBuilder::new(app, "Edit").undo().redo().separator().cut().copy().paste().select_all().build()?;
    app.set_menu(MenuBuilder::new(app).items(&[&file, &edit]).build()?)?;
    app.on_menu_event(|app, event| {
        let id = event.id().0.as_str();
        if id == QUIT {
            log::info!("menu: quit");
            app.exit(0);
        } else if ITEMS.iter().any(|(known, _, _)| *known == id) {
            log::info!("menu: {id}");
            let _ = app.emit("menu", id);
        }
    });
    Ok(())
}
