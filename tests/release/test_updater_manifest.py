"""The updater's manifest a release publishes (.github/scripts/updater_manifest.py, issue 20): every signed
installer under its platform key with its download address and signature, the release page, and no
manifest at all when something is missing or ambiguous."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".github" / "scripts" / "updater_manifest.py"

# What Tauri's bundler names each installer (and its signature) for version 0.2.0.
INSTALLERS = {
    "Rollcall_0.2.0_amd64.AppImage": ["linux-x86_64"],
    "Rollcall_0.2.0_amd64.deb": ["linux-x86_64-deb"],
    "Rollcall-0.2.0-1.x86_64.rpm": ["linux-x86_64-rpm"],
    "Rollcall_0.2.0_x64-setup.exe": ["windows-x86_64", "windows-x86_64-nsis"],
    "Rollcall_0.2.0_x64_en-US.msi": ["windows-x86_64-msi"],
    "Rollcall.app.tar.gz": ["darwin-aarch64", "darwin-x86_64"],
}


def run(dist, *extra):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--version", "0.2.0", "--repo", "ngo-tools/rollcall", *extra, str(dist)],
        capture_output=True, text=True)


def release(tmp_path, names, signed=True):
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in names:
        (dist / name).write_bytes(b"installer " + name.encode())
        if signed:
            (dist / f"{name}.sig").write_text(f"signature of {name}\n")
    (dist / "SHA256SUMS.txt").write_text("not an installer\n")
    return dist


def test_every_signed_installer_is_in_the_manifest_under_its_keys(tmp_path):
    dist = release(tmp_path, INSTALLERS)
    notes = tmp_path / "notes.md"
    notes.write_text("Rollcall 0.2.0.\n\nЩо нового: імпорт швидший.\n", encoding="utf-8")
    done = run(dist, "--notes", str(notes), "--date", "2026-11-29T12:00:00Z")
    assert done.returncode == 0, done.stderr
    m = json.loads(done.stdout)
    assert m["version"] == "0.2.0"
    assert m["pub_date"] == "2026-11-29T12:00:00Z"
    assert m["notes"] == "Rollcall 0.2.0.\n\nЩо нового: імпорт швидший."
    assert m["release_page"] == "https://github.com/ngo-tools/rollcall/releases/tag/v0.2.0"
    expected = {key: name for name, keys in INSTALLERS.items() for key in keys}
    assert set(m["platforms"]) == set(expected)
    for key, name in expected.items():
        entry = m["platforms"][key]
        assert entry["signature"] == f"signature of {name}", key
        assert entry["url"] == f"https://github.com/ngo-tools/rollcall/releases/download/v0.2.0/{name}", key


def test_names_are_quoted_in_addresses_and_the_date_defaults_to_now(tmp_path):
    dist = release(tmp_path, ["Rollcall 2_0.2.0_amd64.deb"])
    done = run(dist)
    assert done.returncode == 0, done.stderr
    m = json.loads(done.stdout)
    assert m["platforms"]["linux-x86_64-deb"]["url"].endswith("/v0.2.0/Rollcall%202_0.2.0_amd64.deb")
    assert m["pub_date"].endswith("Z") and m["pub_date"][:4].isdigit()


@pytest.mark.parametrize("case, files, sigs, why", [
    ("nothing signed", ["Rollcall_0.2.0_amd64.deb"], [], "no signed installer"),
    ("a signature without its installer", [], ["Rollcall_0.2.0_amd64.deb.sig"], "no Rollcall_0.2.0_amd64.deb beside it"),
    ("an unknown kind", ["Rollcall_0.2.0_amd64.zip"], ["Rollcall_0.2.0_amd64.zip.sig"], "not an installer the updater knows"),
    ("no architecture", ["Rollcall_0.2.0.deb"], ["Rollcall_0.2.0.deb.sig"], "no architecture"),
    ("two for one key", ["Rollcall_0.2.0_amd64.deb", "Rollcall-fixed_0.2.0_amd64.deb"],
     ["Rollcall_0.2.0_amd64.deb.sig", "Rollcall-fixed_0.2.0_amd64.deb.sig"], "two installers for linux-x86_64-deb"),
    ("an empty signature", ["Rollcall_0.2.0_amd64.deb"], ["Rollcall_0.2.0_amd64.deb.sig"], "is empty"),
])
def test_a_release_that_cannot_be_described_gets_no_manifest(tmp_path, case, files, sigs, why):
    dist = release(tmp_path, files, signed=False)
    for sig in sigs:
        (dist / sig).write_text("" if case == "an empty signature" else "sig\n")
    done = run(dist)
    assert done.returncode == 1, f"{case}: {done.stdout}"
    assert done.stdout == "", case
    assert why in done.stderr, f"{case}: {done.stderr}"


def test_the_version_must_be_semantic(tmp_path):
    dist = release(tmp_path, ["Rollcall_0.2.0_amd64.deb"])
    done = subprocess.run([sys.executable, str(SCRIPT), "--version", "v0.2", "--repo", "a/b", str(dist)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "semantic version" in done.stderr
