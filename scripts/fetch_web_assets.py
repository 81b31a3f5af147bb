"""Fetch the workspace's browser assets from the npm registry into the package.

Usage: python scripts/fetch_web_assets.py [--check]

Each asset is a file of a pinned npm package version, fetched with ``npm pack`` (the
registry's tarball, whose integrity npm checks) and copied to
``src/harmledger/web/static/vendor/``; ``MANIFEST.json`` there records the package,
version, licence, source path and SHA-256 of every file. The files are committed, so
``pip install harmledger`` needs no npm and ``harmledger serve`` no network.
``--check`` only verifies the committed files against the manifest (exit 1 if not).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "harmledger" / "web" / "static" / "vendor"

#: package -> (version, licence, [(path in the package, file name in vendor/)])
ASSETS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "leaflet": (
        "1.9.4",
        "BSD-2-Clause",
        [
            ("dist/leaflet.js", "leaflet/leaflet.js"),
            ("dist/leaflet.css", "leaflet/leaflet.css"),
            ("dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
            ("dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
            ("dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
            ("dist/images/layers.png", "leaflet/images/layers.png"),
        ],
    ),
    "world-atlas": (
        "2.0.2",
        "ISC (data: Natural Earth, public domain)",
        [("countries-110m.json", "world-atlas/countries-110m.json")],
    ),
    "topojson-client": (
        "3.1.0",
        "ISC",
        [("dist/topojson-client.min.js", "topojson-client/topojson-client.min.js")],
    ),
    "swagger-ui-dist": (
        "5.17.14",
        "Apache-2.0",
        [
            ("swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"),
            ("swagger-ui.css", "swagger-ui/swagger-ui.css"),
        ],
    ),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch() -> dict[str, dict[str, str]]:
    files: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for package, (version, licence, wanted) in ASSETS.items():
            spec = f"{package}@{version}"
            out = (
                subprocess.run(
                    ["npm", "pack", spec, "--silent", "--pack-destination", tmp],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            with tarfile.open(Path(tmp) / out) as tar:
                for inner, name in wanted:
                    member = tar.getmember(f"package/{inner}")
                    data = tar.extractfile(member)
                    assert data is not None
                    dest = VENDOR / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with dest.open("wb") as fp:
                        shutil.copyfileobj(data, fp)
                    files[name] = {
                        "package": package,
                        "version": version,
                        "license": licence,
                        "source": inner,
                        "sha256": sha256(dest),
                    }
                    print(f"{spec}: {inner} -> vendor/{name}")
    return files


def check() -> int:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    bad = [n for n, f in manifest["files"].items() if sha256(VENDOR / n) != f["sha256"]]
    for n in bad:
        print(f"checksum mismatch: vendor/{n}", file=sys.stderr)
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify the committed files only")
    args = ap.parse_args()
    if args.check:
        return check()
    files = fetch()
    manifest = {
        "about": "written by scripts/fetch_web_assets.py; do not edit",
        "files": dict(sorted(files.items())),
    }
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
