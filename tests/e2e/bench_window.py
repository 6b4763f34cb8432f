"""The window's benchmark figures for `make bench` (issues 18 and 19), measured in the real release window
through tauri-driver on a copy of the harness's stress database: a 60-row Zoom import from the "Import
report…" click to the updated list, the event with the most records to its first rows, and the resident
memory of the app and its WebKit processes after every screen has been opened. Writes them as JSON for
the harness (bench/src/suite.rs), which puts them in its table next to their targets.

Not named test_*.py: the normal E2E run must not collect it (it takes minutes and asserts nothing; targets
live in the benchmark, never in tests). Run by the harness, or by hand:

    target/e2e-venv/bin/python tests/e2e/bench_window.py --app target/release/rollcall \
        --cli target/release/rollcall-cli --db target/bench/stress-....sqlite3 --out target/bench/window.json
"""

import argparse
import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import conftest  # noqa: E402  (the E2E helpers: launch, quit_app, App)

IMPORT_ROWS = 60
# Issue 19's big event: a report of 17,000 people imported into one event of the stress database copy
# (the stress generator's own events have a few hundred records each).
BIG_EVENT_ROWS = 17_000
HEADER = ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest", "In Waiting Room"]

# In the page: resolves once `cond()` holds and the next frame has been drawn. A MutationObserver sees
# each change as it happens; the timer is only a fallback for a change no mutation reports.
WAIT_FOR = """
function waitFor(cond, what) {
  return new Promise((resolve, reject) => {
    let finished = false;
    // Under the WebDriver client's own 60 s limit, with what the window showed instead.
    setTimeout(() => {
      if (finished) return;
      finished = true;
      observer.disconnect();
      reject(new Error(`no ${what} within 45 s; ${location.hash}; dialog: ${[...document.querySelectorAll('.overlay, #toasts')].map((e) => e.innerText).join(' | ').slice(0, 800)}`));
    }, 45000);
    const check = () => {
      if (finished) return;
      let ok;
      try { ok = cond(); } catch (e) { finished = true; observer.disconnect(); reject(e); return; }
      if (!ok) return;
      finished = true;
      observer.disconnect();
      const seen = performance.now();
      requestAnimationFrame(() => resolve({ seen, painted: performance.now() }));
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
    (function poll() { if (!finished) { check(); setTimeout(poll, 4); } })();
  });
}
"""

# The whole import as a user does it, timed in the page: the click on "Import report…" (the file chooser
# answers at once with the report), the preview dialog's Import button drawn, then the click on it and the
# event's attendance list redrawn with the report's people.
IMPORT_SCRIPT = WAIT_FOR + """
const [path, expected, done] = args;
window.__TAURI__.dialog.open = async () => path;
// The preview's Import button is the primary action of the dialog that is not the progress dialog. Found
// by structure, not by label: the window may be in any of its languages.
const importButton = () => {
  for (const d of document.querySelectorAll('.dialog')) {
    if (d.querySelector('progress')) continue;
    if (d.querySelector('.form-error')) throw new Error('the import failed: ' + d.innerText.slice(0, 400));
    const b = d.querySelector('.dialog-actions button.primary');
    if (b) return b;
  }
  return null;
};
const t0 = performance.now();
document.getElementById('import-report').click();
const preview = await waitFor(() => importButton(), 'preview');
// Anything the preview asks (people to decide, rows to skip) is answered before the timed click, as a
// user's reading time is not the app's.
const undecided = document.getElementById('import-undecided');
if (undecided && undecided.value !== 'new') {
  undecided.value = 'new';
  undecided.dispatchEvent(new Event('change', { bubbles: true }));
}
const allow = document.getElementById('import-allow-skips');
if (allow && !allow.checked) { allow.checked = true; allow.dispatchEvent(new Event('change', { bubbles: true })); }
const button = importButton();
if (button.disabled) { done({ error: 'the Import button stays disabled: ' + document.querySelector('.dialog').innerText.slice(0, 400) }); return; }
const toasts = document.getElementById('toasts');
toasts.replaceChildren();
const t1 = performance.now();
button.click();
// When the core's commit has answered (its "Imported" toast), to tell the commit from the redraw.
const toasted = waitFor(() => toasts.childElementCount > 0, 'toast');
const list = await waitFor(() => {
  const paged = document.querySelector('#attendance-list .paged');
  return paged && paged.dataset.total === String(expected) && document.querySelector('#attendance-list tbody tr')
    && !document.querySelector('.overlay');
}, 'updated list');
done({ preview_ms: preview.painted - t0, commit_ms: list.painted - t1, toast_ms: (await toasted).seen - t1, label: button.textContent.trim() });
"""

# An event opened from another screen, timed to its first rows drawn (as test_window.py measures it).
OPEN_EVENT_SCRIPT = WAIT_FOR + """
const [id, done] = args;
const t0 = performance.now();
location.hash = '#/events/' + id;
const r = await waitFor(() => document.body.dataset.shown === location.hash && document.querySelector('#attendance-list tbody tr'), 'rows');
done({ ms: r.painted - t0, total: Number(document.querySelector('#attendance-list .paged').dataset.total) });
"""


def async_script(app, body, *args):
    # execute_async_script's body is not an async function; the measurement is, and reports through `done`.
    return app.d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"(async (args) => {{ {body} }})([...arguments])"
        ".catch((e) => done({ error: String(e && e.message || e) }));", *args)


def invoke(app, command, args=None):
    return app.d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI__.core.invoke(arguments[0], arguments[1]).then(done, e => done({error: e}));",
        command, args or {})


def zoom_report(path, rows):
    """Writes a Zoom meeting participants report (the format of tests/fixtures/import/zoom_meeting_plain.csv)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for name, email in rows:
            w.writerow([name, email, "29/11/2026 15:00:00", "29/11/2026 16:00:00", 60, "No", "No"])


# --- Memory ------------------------------------------------------------------------------------------

def proc_tree(root):
    """`root` and all its descendants (WebKit starts its web and network processes as the app's children)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the parent pid follows the last ")".
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def status_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def pss_kb(pid):
    # Proportional set size: shared pages (WebKit's libraries, mapped by every process) counted once.
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def app_pid(db):
    out = subprocess.run(["pgrep", "-f", "--", f"--db {db}"], capture_output=True, text=True).stdout.split()
    # The app itself, not a wrapper: the process whose own binary is the app.
    for pid in out:
        try:
            if Path(f"/proc/{pid}/exe").resolve() == Path(conftest.app_binary()).resolve():
                return int(pid)
        except OSError:
            continue
    if out:
        return int(out[0])
    raise RuntimeError(f"no process runs the app on {db}")


def memory(db):
    """RSS, peak RSS and PSS of the app and each descendant, in MB."""
    rows = []
    for pid in proc_tree(app_pid(db)):
        try:
            # The program's name from its command line: /proc/PID/comm cuts it at 15 characters.
            argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
            name = Path(argv0).name or Path(f"/proc/{pid}/comm").read_text().strip()
            rss = status_kb(pid, "VmRSS")
            rows.append({"pid": pid, "name": name, "rss_mb": round(rss / 1024, 1),
                         "peak_rss_mb": round(status_kb(pid, "VmHWM") / 1024, 1), "pss_mb": round(pss_kb(pid) / 1024, 1)})
        except OSError:
            continue  # exited meanwhile
    return {
        "total_rss_mb": round(sum(r["rss_mb"] for r in rows), 1),
        "total_pss_mb": round(sum(r["pss_mb"] for r in rows), 1),
        "total_peak_rss_mb": round(sum(r["peak_rss_mb"] for r in rows), 1),
        "processes": rows,
    }


# --- The run -----------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", required=True, help="the release app binary")
    ap.add_argument("--cli", required=True, help="the release rollcall-cli (adds the big event to the copy)")
    ap.add_argument("--db", required=True, help="the stress database; only a copy of it is opened")
    ap.add_argument("--out", required=True, help="where to write the figures (JSON)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per figure, after one warm-up run")
    args = ap.parse_args()
    os.environ["ROLLCALL_APP"] = str(Path(args.app).resolve())
    if not os.environ.get("DISPLAY"):
        sys.exit("no DISPLAY: the harness starts Xvfb and passes it")

    work = Path(tempfile.mkdtemp(prefix="rollcall-window-bench-"))
    driver, app = None, None
    try:
        db = work / "stress.sqlite3"
        shutil.copyfile(args.db, db)
        started = time.monotonic()
        figures = prepare(args, work, db)
        known = figures.pop("known_people")
        driver, url = conftest.start_driver(None, "tauri-driver-bench.log")
        app = conftest.launch(url, db)
        app.d.set_script_timeout(120)
        # On the full stress database a screen can take seconds on a busy machine: a slow screen is a
        # figure to report, not a reason to stop.
        app.wait = conftest.WebDriverWait(app.d, 60)
        figures["memory_at_start"] = memory(db)
        figures["big_event"] = open_event(app, figures.pop("big_event_id"), args.runs)
        figures["stress_event"] = open_event(app, figures.pop("stress_event_id"), args.runs)
        figures["big_event"]["commands_ms"] = commands(app, figures["big_event"]["event_id"])
        figures["stress_event"]["commands_ms"] = commands(app, figures["stress_event"]["event_id"])
        figures["screens"] = every_screen(app, figures)
        time.sleep(2)  # let the last screen's work finish before reading memory
        figures["memory"] = memory(db)
        figures["import"] = imports(app, work, known, args.runs)
        figures["memory_after_imports"] = memory(db)
        figures["seconds"] = round(time.monotonic() - started)
        # How busy the machine was (1, 5 and 15 minute load averages) against its cores.
        figures["load_average"] = [round(x, 1) for x in os.getloadavg()]
        figures["cores"] = os.cpu_count()
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    finally:
        if app is not None:
            conftest.quit_app(app)
        if driver is not None:
            driver.terminate()
            driver.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def prepare(args, work, db):
    """Adds the big event to the copy through the CLI (whose first open of the day also makes the day's
    backup, so no backup runs in the background while the window is measured) and notes what is in it."""
    report = work / "zoom-big.csv"
    zoom_report(report, ((f"Учасниця {i:05d} Ковальчук" if i % 2 else f"Participant {i:05d} Beridze", f"big{i:05d}@example.org")
                         for i in range(BIG_EVENT_ROWS)))

    def cli(*a):
        out = subprocess.run([args.cli, "--db", str(db), *a], capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"rollcall-cli {' '.join(a)}: {out.stderr}")
        return out.stdout

    cli("event", "add", "--project", "1", "--title", "Annual conference (benchmark)", "--starts", "2026-11-29T15:00", "--tz", "Europe/Kyiv")
    c = sqlite3.connect(db)
    try:
        big = c.execute("SELECT max(id) FROM events").fetchone()[0]
        stress_event, stress_records = c.execute(
            "SELECT event_id, count(*) FROM attendance GROUP BY event_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    finally:
        c.close()
    cli("import", str(report), "--event", str(big), "--ambiguous", "new")
    c = sqlite3.connect(db)
    try:
        counts = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("people", "events", "attendance")}
        person = c.execute("SELECT person_id FROM attendance GROUP BY person_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        organisation = c.execute("SELECT id FROM organisations ORDER BY id LIMIT 1").fetchone()
        # People already in the database, for the import reports: matched by their email, as returning
        # participants are. Read now: the database is not touched from outside while the app has it open.
        known = c.execute("SELECT full_name, email FROM people WHERE email IS NOT NULL AND full_name NOT LIKE '%(%' "
                          "ORDER BY id LIMIT ?", ((args.runs + 1) * 20,)).fetchall()
    finally:
        c.close()
    return {
        "database": Path(args.db).name,
        "database_mb": round(Path(args.db).stat().st_size / 1e6),
        "counts": counts,
        "big_event_id": big,
        "stress_event_id": stress_event,
        "stress_event_records": stress_records,
        "person_id": person,
        "organisation_id": organisation[0] if organisation else None,
        "known_people": known,
    }


def open_event(app, event_id, runs):
    app.go(f"#/events/{event_id}")  # warm-up
    times, total = [], None
    for _ in range(runs):
        app.go("#/projects")
        r = async_script(app, OPEN_EVENT_SCRIPT, event_id)
        if "error" in r:
            raise RuntimeError(r["error"])
        times.append(r["ms"])
        total = r["total"]
    return {"event_id": event_id, "records": total, "runs_ms": [round(t, 1) for t in times],
            "median_ms": round(statistics.median(times), 1)}


# The commands the event page calls (ui/views/events.js detail()), each timed alone from the page: what
# part of opening an event, or of the redraw after an import, is the core's.
COMMANDS_SCRIPT = """
const [id, done] = args;
const calls = { event_get: { id }, project_list: {}, import_list: { eventId: id },
                attendance_page: { eventId: id, query: { filter: null, offset: 0, limit: 100 } }, attendance_expected: { eventId: id } };
const out = {};
for (const [name, a] of Object.entries(calls)) {
  const times = [];
  // Three calls, the median kept (the page has just made the same calls, so the caches are warm); few,
  // because on the full stress database one of them takes seconds.
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await window.__TAURI__.core.invoke(name, a);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  out[name] = Math.round(times[1] * 10) / 10;
}
done(out);
"""


def commands(app, event_id):
    r = async_script(app, COMMANDS_SCRIPT, event_id)
    if "error" in r:
        raise RuntimeError(r["error"])
    return r


def every_screen(app, figures):
    """Opens every sidebar section and a page of each kind, as a coordinator's day does."""
    routes = ["#/projects", "#/projects/1", "#/events", f"#/events/{figures['stress_event']['event_id']}", "#/people",
              f"#/people/{figures['person_id']}", "#/organisations"]
    if figures["organisation_id"]:
        routes.append(f"#/organisations/{figures['organisation_id']}")
    routes += ["#/reports", "#/partners", "#/data"]
    opened = []
    for route in routes:
        t0 = time.monotonic()
        app.go(route)
        if route == "#/reports":
            # The report and its donor table are drawn after the screen, from their own queries.
            app.wait.until(lambda d: d.execute_script(
                "const r = document.getElementById('report-results'); return r && r.dataset.state === 'ready' && !!r.querySelector('table')"))
        opened.append({"route": route, "ms": round((time.monotonic() - t0) * 1000)})
    return opened


def imports(app, work, known, runs):
    """A 60-row Zoom report (20 people already known by their email, 40 new) into a new event, `runs` times
    after a warm-up, each run its own event and its own people."""
    results = []
    for run in range(runs + 1):
        event = invoke(app, "event_create", {"input": {"project_id": 1, "title": f"Webinar {run + 1} (benchmark)",
                                                       "starts_at": "2026-11-29T15:00", "timezone": "Europe/Kyiv"}})
        if "error" in event:
            raise RuntimeError(f"event_create: {event['error']}")
        rows = known[run * 20:(run + 1) * 20] + [
            (f"Тетяна Бенчмарк-{run}-{i:02d}" if i % 2 else f"Nino Benchmark-{run}-{i:02d}", f"webinar{run}.p{i:02d}@example.org")
            for i in range(IMPORT_ROWS - 20)]
        report = work / f"zoom-webinar-{run}.csv"
        zoom_report(report, rows)
        app.go(f"#/events/{event['id']}")
        r = async_script(app, IMPORT_SCRIPT, str(report), IMPORT_ROWS)
        if "error" in r:
            raise RuntimeError(r["error"])
        if run:
            results.append(r)
    toast = [r["toast_ms"] for r in results]
    preview = [r["preview_ms"] for r in results]
    commit = [r["commit_ms"] for r in results]
    total = [r["preview_ms"] + r["commit_ms"] for r in results]
    return {
        "rows": IMPORT_ROWS, "known_people": 20, "button": results[-1]["label"],
        "preview_runs_ms": [round(t, 1) for t in preview], "commit_runs_ms": [round(t, 1) for t in commit],
        "preview_median_ms": round(statistics.median(preview), 1),
        "commit_median_ms": round(statistics.median(commit), 1),
        "total_median_ms": round(statistics.median(total), 1),
        "commit_answered_runs_ms": [round(t, 1) for t in toast],
        "commit_answered_median_ms": round(statistics.median(toast), 1),
    }


if __name__ == "__main__":
    main()
