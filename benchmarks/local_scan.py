"""Benchmark: `maturity scan` of a generated 10,000-file, ~100 MB git checkout.

    python benchmarks/local_scan.py [--files 10000] [--megabytes 100] [--keep DIR]

It builds the repository (source files, a few pipelines, manifests and package files), commits
it, runs `maturity scan --format json` under `/usr/bin/time -v` three times, and prints one JSON
object as its last line: files, bytes, wall_s (each run), max_rss_kb, evidence.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PIPELINE = """\
on:
  push: {branches: [main]}
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    services: {db: {image: postgres:16}}
    steps:
      - uses: actions/checkout@v4
      - run: make test
  deploy:
    needs: test
    if: github.ref == 'refs/heads/main'
    environment: production
    runs-on: ubuntu-latest
    steps:
      - run: helm upgrade --install app charts/app --set image.tag=${{ github.sha }}
"""


def build(root: Path, files: int, megabytes: int) -> int:
    rng = random.Random(42)
    fixed = {
        ".github/workflows/ci.yml": PIPELINE,
        "Makefile": "test:\n\tpytest --cov=src\n\nlint:\n\truff check .\n",
        "pyproject.toml": "[project]\nname = 'big'\ndependencies = ['sqlalchemy', 'unleash-client']\n",
        "poetry.lock": "# lock\n",
        "charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": "from alembic import context\n",
        "package.json": json.dumps({"name": "web", "scripts": {"test": "jest"}, "devDependencies": {"jest": "29"}}),
    }
    total = 0
    for rel, text in fixed.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        total += len(text)
    per_file = megabytes * 1_000_000 // files
    line = "def handler(event, context):  # a line of generated source code\n"
    body = (line * (per_file // len(line) + 1))[:per_file]
    exts = [".py", ".go", ".ts", ".java", ".yaml", ".json", ".md", ".txt"]
    for i in range(files - len(fixed)):
        d = root / f"pkg{i % 97}" / f"mod{i % 13}"
        d.mkdir(parents=True, exist_ok=True)
        name = d / f"file{i}{rng.choice(exts)}"
        name.write_text(body)
        total += per_file
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.email=b@x.invalid", "-c", "user.name=b", "commit", "-q", "-m", "gen"], check=True)
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--megabytes", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    maturity = shutil.which("maturity") or str(Path(sys.executable).with_name("maturity"))
    root = args.keep or Path(tempfile.mkdtemp(prefix="maturity-bench-"))
    if not (root / ".git").exists():
        root.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        size = build(root, args.files, args.megabytes)
        print(f"generated {args.files} files, {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f}s at {root}", file=sys.stderr)
    else:
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    walls, rss, evidence = [], [], 0
    for _ in range(args.runs):
        proc = subprocess.run(["/usr/bin/time", "-v", maturity, "scan", str(root), "--format", "json"], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"scan failed: {proc.stderr[-2000:]}")
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
        walls.append(round(int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3)), 2))
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)))
        evidence = len(json.loads(proc.stdout)["evidence"])
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps({"files": args.files, "bytes": size, "wall_s": walls, "max_rss_kb": max(rss), "evidence": evidence}))


if __name__ == "__main__":
    main()
