"""End-to-end test harness: drives the real Rollcall window through tauri-driver and WebKitWebDriver
under Xvfb (on Windows: tauri-driver and msedgedriver, found on PATH). Each test gets the app started on a
fresh database file of its own."""

import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "target" / "e2e-screenshots"
WINDOWS = os.name == "nt"
EXE = ".exe" if WINDOWS else ""

# Tests that type keys or open the native menu through xdotool on the X display. Windows has no X server
# and WebDriver cannot reach native menus, so these run on Linux only.
needs_x11 = pytest.mark.skipif(WINDOWS, reason="drives the native menu and shortcuts through xdotool on an X display (Linux only)")


def app_binary():
    """The app under test: $ROLLCALL_APP, else the release build, else the debug build."""
    if os.environ.get("ROLLCALL_APP"):
        return os.environ["ROLLCALL_APP"]
    for profile in ("release", "debug"):
        candidate = ROOT / "target" / profile / f"rollcall{EXE}"
        if candidate.exists():
            return str(candidate)
    pytest.exit("no Rollcall binary: run `make build-release` first", returncode=2)


def app_env(display):
    """The environment of a process that opens a window: this one's, on the test display."""
    return {**os.environ, "DISPLAY": display} if display else dict(os.environ)


def running(needle):
    """Whether a process whose command line contains `needle` is still running."""
    if not WINDOWS:
        return subprocess.run(["pgrep", "-f", needle], stdout=subprocess.DEVNULL).returncode == 0
    query = ("@(Get-CimInstance Win32_Process | Where-Object { $_.CommandLine -and "
             "$_.CommandLine.Contains($env:ROLLCALL_NEEDLE) -and $_.Name -ne 'powershell.exe' }).Count")
    out = subprocess.run(["powershell", "-NoProfile", "-Command", query], capture_output=True, text=True,
                         env={**os.environ, "ROLLCALL_NEEDLE": needle})
    return out.stdout.strip() not in ("", "0")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def display():
    """An X display: the existing one, or a private Xvfb for the test session (None on Windows)."""
    if WINDOWS:
        yield None
        return
    if os.environ.get("DISPLAY") and not os.environ.get("CI"):
        yield os.environ["DISPLAY"]
        return
    number = 90 + os.getpid() % 9
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    os.environ["DISPLAY"] = f":{number}"
    yield os.environ["DISPLAY"]
    xvfb.terminate()


def start_driver(env, log_name):
    """A tauri-driver on free loopback ports, its output in target/`log_name`, whose apps get `env` (each
    driver's apps inherit its environment; None: this process's). Returns (process, url); raises
    RuntimeError when it does not answer within ten seconds."""
    port, native = free_port(), free_port()
    (ROOT / "target").mkdir(exist_ok=True)
    log = open(ROOT / "target" / log_name, "w")
    proc = subprocess.Popen(["tauri-driver", "--port", str(port), "--native-port", str(native)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/status", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("tauri-driver did not start")


@pytest.fixture(scope="session")
def driver_url(display):
    """A tauri-driver on a free loopback port, running for the whole session."""
    try:
        proc, url = start_driver(app_env(display), "tauri-driver.log")
    except RuntimeError as e:
        pytest.exit(str(e), returncode=2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


class App:
    """The running app: the WebDriver session plus helpers that read like a user's actions."""

    def __init__(self, driver, db_path):
        self.d = driver
        self.db = db_path
        # A screen redrawn while a wait reads it (a list filtered as the user types, a toast fading out)
        # leaves the wait holding an element that is gone: that is "not yet", not a failure.
        self.wait = WebDriverWait(driver, 15, ignored_exceptions=[StaleElementReferenceException])

    def find(self, css):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def find_all(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def button(self, text, within=None):
        """The clickable button whose text is exactly `text`, inside the dialog when `within="dialog"`."""
        scope = "//div[contains(@class,'dialog')]" if within == "dialog" else ""
        xpath = f"{scope}//button[normalize-space()={xpath_literal(text)}]"
        return self.wait.until(EC.element_to_be_clickable((By.XPATH, xpath)))

    def click(self, text, within=None):
        retry_stale(lambda: self.button(text, within).click())

    def link(self, text):
        xpath = f"//a[normalize-space()={xpath_literal(text)}]"
        return self.wait.until(EC.element_to_be_clickable((By.XPATH, xpath)))

    def open(self, text):
        """Clicks the link `text`; lists re-render as data arrives, so a stale element is looked up again."""
        retry_stale(lambda: self.link(text).click())

    def go(self, route):
        """Opens a screen by its address and waits until it is drawn."""
        self.d.execute_script("location.hash = arguments[0]", route)
        self.wait.until(lambda d: d.execute_script("return document.body.dataset.shown") == route)

    def text(self, css="main"):
        return self.find(css).text

    def wait_text(self, text, css="main"):
        """Waits until `text` is shown inside `css`."""
        self.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))

    def field(self, name, css_scope=".dialog"):
        return self.find(f"{css_scope} [name='{name}']")

    def fill(self, values, css_scope=".dialog"):
        for name, value in values.items():
            el = self.field(name, css_scope)
            if el.tag_name == "select":
                self.d.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", el, str(value))
            else:
                el.clear()
                el.send_keys(value)

    def screenshot(self, name):
        """Saves the page as the window shows it. On Linux it is read from the X display (ImageMagick's
        `import`) and cropped to the web view under the native menu bar, the same picture WebDriver's
        screenshot gave: the window draws without accelerated compositing there (src-tauri/src/webview.rs),
        and WebKitWebDriver's own screenshot then never answers (WebKitGTK 2.50 waits for a composited
        frame that does not come). On Windows, WebDriver's screenshot."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if WINDOWS:
            self.d.save_screenshot(str(path))
            return
        # The page's last change drawn (two frames), then a moment for GTK to put it on the display.
        self.d.execute_async_script(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));")
        time.sleep(0.15)
        width, height = self.d.execute_script("return [innerWidth, innerHeight]")
        window = x_window()
        shell = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], capture_output=True, text=True,
                               check=True).stdout
        window_height = int(dict(line.split("=", 1) for line in shell.split())["HEIGHT"])
        subprocess.run(["import", "-window", window, "-crop", f"{width}x{height}+0+{window_height - height}", "+repage",
                        str(path)], check=True)


def x_window():
    """The X window of the app under test: the last visible "Rollcall" one (one app runs at a time)."""
    windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Rollcall$"], capture_output=True,
                             text=True).stdout.split()
    assert windows, "the Rollcall window is on the display"
    return windows[-1]


def retry_stale(action, attempts=15):
    """Retries an action whose element was re-rendered, or briefly covered (by a toast fading out)."""
    for i in range(attempts):
        try:
            return action()
        except (StaleElementReferenceException, ElementClickInterceptedException):
            if i == attempts - 1:
                raise
            time.sleep(0.2)


def xpath_literal(s):
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    return "concat('" + s.replace("'", "',\"'\",'") + "')"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remembers each phase's outcome on the test item, so a failed test can leave a screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session", autouse=True)
def the_app_starts(display, tmp_path_factory):
    """Fails the whole run within seconds, with the app's own output, when the binary cannot even start
    (a panic at start-up, "Failed to initialize GTK"): WebDriver would otherwise wait without end."""
    db = tmp_path_factory.mktemp("start") / "start.sqlite3"
    out = tmp_path_factory.mktemp("start-log") / "app.log"
    with open(out, "w") as log:
        proc = subprocess.Popen([app_binary(), "--db", str(db)], stdout=log, stderr=subprocess.STDOUT,
                                env=app_env(display))
        try:
            code = proc.wait(timeout=8)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            proc.kill()
            proc.wait()
    if code is not None:
        pytest.exit(f"the app exited at start-up with status {code}:\n{log_tail(out)}", returncode=3)
    yield


# What the window remembers between starts (in WebKit's storage, shared by every test's app): a new
# user's window starts in English with the sidebar open.
FORGET_SETTINGS = """
const keys = ['rollcall.language', 'rollcall.sidebar.collapsed', 'rollcall.export'];
const dirty = keys.some((k) => localStorage.getItem(k) !== null);
keys.forEach((k) => localStorage.removeItem(k));
return dirty;
"""


def launch(driver_url, db, keep_settings=False, binary=None):
    """Starts the app (`binary`, else the one under test) on the database file `db` and returns it once
    its window shows the sidebar. A session that does not start within a minute fails with the driver's
    and the app's output. Unless `keep_settings` (a user restarting the app), the window's remembered
    choices are forgotten first."""
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": binary or app_binary(), "args": ["--db", str(db)]})
    config = ClientConfig(remote_server_addr=driver_url, timeout=60)
    try:
        driver = webdriver.Remote(driver_url, options=opts, client_config=config)
    except Exception as e:
        pytest.fail(f"the app did not start under WebDriver ({e}):\n{log_tail(ROOT / 'target' / 'tauri-driver.log')}")
    a = App(driver, db)
    try:
        a.find("#nav a")
        if not keep_settings and driver.execute_script(FORGET_SETTINGS):
            driver.refresh()
            a.find("#nav a")
        shown_db = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI__.core.invoke('app_status').then(s => done(s.database_path), e => done(String(e)));")
        assert shown_db == str(db), f"the window under test uses {shown_db}, not this test's database"
    except BaseException:
        quit_app(a)
        raise
    return a


def quit_app(a):
    try:
        a.d.quit()
    except Exception:
        pass  # already quit (a relaunched app)
    # The next window must not meet this one: wait until this app has really exited.
    for _ in range(100):
        if not running(str(a.db)):
            break
        time.sleep(0.1)


@pytest.fixture
def app(request, driver_url, tmp_path):
    a = launch(driver_url, tmp_path / "rollcall.sqlite3")
    try:
        yield a
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            # Best effort: the window may be gone or half-drawn, and the test's own failure is what counts.
            try:
                a.screenshot(f"FAILED-{request.node.name}")
                state = a.d.execute_script("return [location.hash, document.body.dataset.shown, document.querySelector('main').innerText.slice(0, 400)]")
                print(f"window state at failure: {state}")
            except Exception as e:
                print(f"no picture of the window at failure: {e}")
    finally:
        quit_app(a)


@pytest.fixture
def relaunch(driver_url):
    """Quits an app and starts it again on the same database, as a user restarting Rollcall."""
    started = []

    def again(previous):
        quit_app(previous)
        a = launch(driver_url, previous.db, keep_settings=True)
        started.append(a)
        return a

    yield again
    for a in started:
        try:
            quit_app(a)
        except Exception:
            pass


@pytest.fixture
def sample_app(app):
    """The app with the sample data loaded through the welcome screen, as a new user would."""
    app.click("Load sample data")
    app.wait.until(lambda d: d.execute_script("return document.body.dataset.shown") == "#/projects")
    app.link("In Search of Solidarity")
    return app
