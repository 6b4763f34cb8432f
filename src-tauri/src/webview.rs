//! The web view's settings that are not in `tauri.conf.json`: on Linux, WebKitGTK without accelerated
//! compositing (issue 19's memory target). Nothing here touches the CSP or any security setting.
//!
//! Why: WebKitGTK composites the page with OpenGL by default. Where there is no GPU (Xvfb, virtual
//! machines, many office PCs) that GL is Mesa's llvmpipe, which renders on the CPU and keeps its layers,
//! tiles and compiled shaders in the web process's own memory; Rollcall is tables and forms, with no
//! animation or 3D that compositing would help. `make bench BENCH_ARGS="--quick --only window"`
//! (2026-11-29, quick stress database, after every screen): WebKitWebProcess 383 MB RSS with
//! compositing, 219 to 250 MB without; the whole app 668 MB before, about 530 MB with this alone. The
//! page is then drawn by WebKit's CPU renderer (Skia) into shared memory, and the window's figures
//! (import to list, the 17,000-record event) stayed within their run-to-run spread.
//!
//! The setting is applied through `with_webview` right after the window is made, so the first page
//! load may start composited and leave it a moment later (WebKit supports changing the policy at any
//! time). Setting `WEBKIT_DISABLE_COMPOSITING_MODE` before GTK starts saved about 15 MB more at start
//! but is a debugging variable, not API; the setting is what WebKitGTK documents.
//!
//! One thing does not work without compositing in WebKitGTK 2.50: `webkit_web_view_get_snapshot`, which
//! WebKitWebDriver's screenshot uses, waits for a composited frame and never answers (with the
//! environment variable too). Rollcall takes no snapshots; the end-to-end tests read their screenshots
//! from the X display instead (`App.screenshot` in tests/e2e/conftest.py).
//!
//! Other WebKit settings were measured and left as they are, as none changed the figure beyond its
//! noise: the web context's cache model (`DocumentViewer`), the page cache and WebGL/WebAudio/media
//! off. Memory-pressure limits for the web process are a construct-only property of the web context,
//! which wry creates, so they cannot be set from here.

/// Applies the settings to the main window's web view. Windows and macOS use their system web views,
/// whose defaults are kept.
pub fn tune<R: tauri::Runtime>(app: &tauri::App<R>) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        let Some(window) = app.get_webview_window("main") else { return };
        let applied = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(e) = applied {
            log::warn!("the web view's settings could not be applied: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
