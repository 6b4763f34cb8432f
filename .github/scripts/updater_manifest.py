#!/usr/bin/env python3
"""Writes the updater's manifest (latest.json) for a release from its signed installers.

Usage: updater_manifest.py --version 1.2.0 --repo OWNER/NAME [--notes notes.md] [--date ISO] DIST

DIST holds the release's files; every installer the updater can install has its signature beside it
(FILE.sig, written by Tauri's bundler when TAURI_SIGNING_PRIVATE_KEY is set and createUpdaterArtifacts is
on). The manifest is Tauri's static JSON: version, notes, pub_date and one entry per platform key with the
package's download address and its signature's text. Keys (see docs/release.md, "The manifest"):
  linux-<arch>          the AppImage (the updater replaces the file itself)
  linux-<arch>-deb/-rpm the packages, installed through the package manager
  windows-<arch>        the NSIS setup.exe (the .msi as windows-<arch>-msi)
  darwin-<arch>         the .app.tar.gz, for both architectures when it is universal
Rollcall also reads release_page: where people who install by hand find the new version. A signature
file without its installer, or an installer of no known kind, is an error: a release must not publish a
manifest that points at nothing.
"""

import argparse
import json
import re
import sys
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

# Tauri's names for the architectures in bundle file names, and the updater's.
ARCHES = {"amd64": "x86_64", "x86_64": "x86_64", "x64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


def platform_keys(name):
    """The manifest keys an installer serves, from its file name."""
    lower = name.lower()
    arch = next((ARCHES[a] for a in ARCHES if re.search(rf"[_.-]{a}[_.-]", lower)), None)
    if lower.endswith(".app.tar.gz"):
        # A universal build serves both; a single-architecture one names its own.
        return ["darwin-aarch64", "darwin-x86_64"] if "universal" in lower or arch is None else [f"darwin-{arch}"]
    if arch is None:
        raise ValueError(f"{name}: no architecture in the file name")
    if lower.endswith(".appimage"):
        return [f"linux-{arch}"]
    if lower.endswith(".deb"):
        return [f"linux-{arch}-deb"]
    if lower.endswith(".rpm"):
        return [f"linux-{arch}-rpm"]
    if lower.endswith("-setup.exe"):
        return [f"windows-{arch}", f"windows-{arch}-nsis"]
    if lower.endswith(".msi"):
        return [f"windows-{arch}-msi"]
    raise ValueError(f"{name}: not an installer the updater knows")


def manifest(dist, version, repo, notes="", date=None):
    base = f"https://github.com/{repo}/releases/download/v{version}/"
    platforms = {}
    for sig in sorted(Path(dist).glob("*.sig")):
        package = sig.with_suffix("")
        if not package.is_file():
            raise ValueError(f"{sig.name}: no {package.name} beside it")
        signature = sig.read_text(encoding="utf-8").strip()
        if not signature:
            raise ValueError(f"{sig.name} is empty")
        for key in platform_keys(package.name):
            if key in platforms:
                raise ValueError(f"two installers for {key}: {platforms[key]['url']} and {package.name}")
            platforms[key] = {"signature": signature, "url": base + urllib.parse.quote(package.name)}
    if not platforms:
        raise ValueError(f"no signed installer in {dist}")
    return {
        "version": version,
        "notes": notes,
        "pub_date": date or datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "platforms": platforms,
        "release_page": f"https://github.com/{repo}/releases/tag/v{version}",
    }


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--version", required=True)
    p.add_argument("--repo", required=True, help="OWNER/NAME on GitHub")
    p.add_argument("--notes", type=Path, help="a file whose text is the release's notes")
    p.add_argument("--date", help="the publication time, RFC 3339 (default: now)")
    p.add_argument("dist", type=Path)
    a = p.parse_args(argv)
    if not re.fullmatch(r"\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?", a.version):
        p.error(f"{a.version} is not a semantic version")
    notes = a.notes.read_text(encoding="utf-8").strip() if a.notes else ""
    try:
        print(json.dumps(manifest(a.dist, a.version, a.repo, notes, a.date), indent=2, ensure_ascii=False))
    except ValueError as e:
        print(f"updater_manifest: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
