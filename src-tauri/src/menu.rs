//! The native menu bar: File (back up now, save a backup as, your data, quit) and Edit (so the usual
//! copy and paste shortcuts keep working on macOS, where they live in the menu). A click on one of
//! Rollcall's own items is passed to the window as a `menu` event carrying the item's id; the window
//! does the work through the same commands as its buttons. Quit is Rollcall's own item with Ctrl+Q (the
//! predefined one is disabled on Linux) and is handled here, so it works even while the window is locked.
//! The labels come from the window's catalogue (`menu_labels`), so the menu speaks the window's language
//! and is rebuilt when it changes; English is used until the window has loaded.

use serde::Deserialize;
use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{Emitter, Manager, Runtime};

use rollcall_core::{Error, Result};

/// The ids the window understands (see ui/app.js), with their shortcuts.
pub const ITEMS: [(&str, Option<&str>); 3] =
    [("backup_now", Some("CmdOrCtrl+B")), ("backup_save", None), ("open_data", None)];

/// Quit, by the menu or Ctrl+Q, on every platform.
pub const QUIT: &str = "quit";

/// Every label of the menu, in the window's language.
#[derive(Debug, Clone, Deserialize)]
pub struct Labels {
    pub file: String,
    pub backup_now: String,
    pub backup_save: String,
    pub open_data: String,
    pub quit: String,
    pub edit: String,
    pub undo: String,
    pub redo: String,
    pub cut: String,
    pub copy: String,
    pub paste: String,
    pub select_all: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            file: "File".into(),
            backup_now: "Back Up Now".into(),
            backup_save: "Save a Backup As…".into(),
            open_data: "Your Data…".into(),
            quit: "Quit".into(),
            edit: "Edit".into(),
            undo: "Undo".into(),
            redo: "Redo".into(),
            cut: "Cut".into(),
            copy: "Copy".into(),
            paste: "Paste".into(),
            select_all: "Select All".into(),
        }
    }
}

impl Labels {
    /// A label is short plain text: the window sends them, but a menu is no place for control
    /// characters or a paragraph.
    pub fn validate(&self) -> Result<()> {
        let all = [
            &self.file,
            &self.backup_now,
            &self.backup_save,
            &self.open_data,
            &self.quit,
            &self.edit,
            &self.undo,
            &self.redo,
            &self.cut,
            &self.copy,
            &self.paste,
            &self.select_all,
        ];
        for label in all {
            if label.trim().is_empty() || label.chars().count() > 60 || label.chars().any(char::is_control) {
                return Err(Error::invalid("labels", "a menu label must be 1-60 characters of plain text"));
            }
        }
        Ok(())
    }

    fn item(&self, id: &str) -> &str {
        match id {
            "backup_now" => &self.backup_now,
            "backup_save" => &self.backup_save,
            _ => &self.open_data,
        }
    }
}

fn build<R: Runtime, M: Manager<R>>(app: &M, labels: &Labels) -> tauri::Result<Menu<R>> {
    let mut file = SubmenuBuilder::new(app, &labels.file);
    for (id, accelerator) in ITEMS {
        let mut item = MenuItemBuilder::with_id(id, labels.item(id));
        if let Some(keys) = accelerator {
            item = item.accelerator(keys);
        }
        file = file.item(&item.build(app)?);
    }
    let quit = MenuItemBuilder::with_id(QUIT, &labels.quit).accelerator("CmdOrCtrl+Q").build(app)?;
    let file = file.separator().item(&quit).build()?;
    let edit = SubmenuBuilder::new(app, &labels.edit)
        .item(&PredefinedMenuItem::undo(app, Some(&labels.undo))?)
        .item(&PredefinedMenuItem::redo(app, Some(&labels.redo))?)
        .separator()
        .item(&PredefinedMenuItem::cut(app, Some(&labels.cut))?)
        .item(&PredefinedMenuItem::copy(app, Some(&labels.copy))?)
        .item(&PredefinedMenuItem::paste(app, Some(&labels.paste))?)
        .item(&PredefinedMenuItem::select_all(app, Some(&labels.select_all))?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit]).build()
}

pub fn install<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    app.set_menu(build(app, &Labels::default())?)?;
    app.on_menu_event(|app, event| {
        let id = event.id().0.as_str();
        if id == QUIT {
            log::info!("menu: quit");
            app.exit(0);
        } else if ITEMS.iter().any(|(known, _)| *known == id) {
            log::info!("menu: {id}");
            let _ = app.emit("menu", id);
        }
    });
    Ok(())
}

/// Builds the menu again with the window's labels (at start and after a change of language).
pub fn relabel<R: Runtime>(app: &tauri::AppHandle<R>, labels: &Labels) -> Result<()> {
    labels.validate()?;
    let menu = build(app, labels).map_err(|e| Error::internal(format!("the menu could not be built: {e}")))?;
    app.set_menu(menu).map_err(|e| Error::internal(format!("the menu could not be set: {e}")))?;
    log::info!("menu relabelled");
    Ok(())
}
