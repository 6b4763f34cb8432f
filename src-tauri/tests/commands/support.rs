//! A mock-runtime app over a real database file, and a one-line way to invoke a command as the window does.

use serde_json::Value;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

pub struct Shell {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: Option<tempfile::TempDir>,
}

impl Shell {
    /// The app's commands and state over a new database in a temporary folder.
    pub fn new() -> Shell {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rollcall.sqlite3");
        Shell::build(&path, Some(dir))
    }

    /// The app started on the database at `path` (kept by the caller), as after a restart.
    pub fn at(path: &std::path::Path) -> Shell {
        Shell::build(path, None)
    }

    fn build(path: &std::path::Path, dir: Option<tempfile::TempDir>) -> Shell {
        let state = rollcall_app::AppState::open(path.to_path_buf());
        let app = rollcall_app::test_builder(mock_builder(), state).build(mock_context(noop_assets())).unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Shell { app, window, _dir: dir }
    }

    /// The app with the updater plugin, configured as `plugins.updater` in tauri.conf.json would be
    /// (`updater` is that object: the public key, the endpoints), over a new database.
    pub fn with_updater(updater: Value) -> Shell {
        let dir = tempfile::tempdir().unwrap();
        let mut shell = Shell::with_updater_at(&dir.path().join("rollcall.sqlite3"), updater);
        shell._dir = Some(dir);
        shell
    }

    /// The app with the updater plugin over the database at `path` (kept by the caller), as after a
    /// restart: the update settings beside it are read again.
    pub fn with_updater_at(path: &std::path::Path, updater: Value) -> Shell {
        let state = rollcall_app::AppState::open(path.to_path_buf());
        let mut context = mock_context(noop_assets());
        context.config_mut().plugins.0.insert("updater".into(), updater);
        let builder = mock_builder().plugin(rollcall_app::updates::plugin());
        let app = rollcall_app::test_builder(builder, state).build(context).unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Shell { app, window, _dir: None }
    }

    pub fn app(&self) -> &App<MockRuntime> {
        &self.app
    }

    /// Invokes `cmd` with `args` (a JSON object) and returns the value or the serialized error.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.invoke_from("tauri://localhost", cmd, args)
    }

    /// Invokes `cmd` as if a page at `origin` had called it (the window's own origin is tauri://localhost).
    pub fn invoke_from(&self, origin: &str, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: origin.parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    /// Invokes a command that must succeed.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Invokes a command that must fail and returns its error object.
    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} should have failed but returned {v}"),
            Err(e) => e,
        }
    }
}
