//! Build script of the desktop app: generates the Tauri context (config, capabilities, embedded UI).

fn main() {
    // The capabilities live under src-tauri/ while tauri.conf.json is at the root; cargo must also rerun
    // this script when they change, or an edited capability would not reach the binary.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=ui");
    tauri_build::try_build(tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"))
        .expect("failed to run the Tauri build script");
}
