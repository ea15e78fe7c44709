"""Benchmark: a stored org scan of many local fixture repositories (issue 6).

    python benchmarks/store_scan.py --repos 200 [--seed 1] [--database URL] [--keep DIR]

It writes REPOS git repositories (the fake GitHub's generated organisation: services, libraries,
front ends, IaC, legacy Jenkins projects... with their files), a config listing them as local
targets with a SQLite store, then runs `maturity scan --config` as a subprocess twice: the full
scan, and the rescan (nothing moved: every result reused). For each it prints the wall time and
the peak resident memory of the scanner process; then the size of the SQLite file. The last line is
one JSON object: repos, wall_s, peak_rss_mb, rescan_wall_s, rescan_peak_rss_mb, reused, sqlite_bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def make_repos(root: Path, count: int, seed: int) -> list[Path]:
    from fakes import generate_org

    org = generate_org("acme", repos=count, seed=seed)
    paths = []
    for repo in org.repos:
        path = root / repo.name
        for rel, content in repo.files().items():
            target = path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        path.mkdir(parents=True, exist_ok=True)
        git = ["git", "-C", str(path)]
        subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
        subprocess.run([*git, "remote", "add", "origin", f"https://github.com/acme/{repo.name}.git"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "--allow-empty", "-m", "snapshot"],
                       check=True)
        paths.append(path)
    return paths


def run_scan(config: Path, workdir: Path, label: str) -> dict:
    output = workdir / f"{label}.json"
    cmd = [sys.executable, "-c", "from scanner.cli import entry; entry()", "scan", "--config", str(config), "-f", "json", "-o", str(output)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATURITY_")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB, the largest child so far
    if proc.returncode != 0:
        print("\n".join(proc.stderr.strip().splitlines()[-20:]), file=sys.stderr)
        sys.exit(f"{label}: scan failed with exit code {proc.returncode}")
    run = json.loads(output.read_text(encoding="utf-8"))
    return {"wall_s": wall, "peak_rss_mb": peak_kb / 1024, "grew": peak_kb > before, "reports": len(run["reports"]),
            "failures": len(run["failures"]), "reused": len(run.get("reused", []))}


def main() -> None:
    ap = argparse.ArgumentParser(description="Time, peak memory and store size of a stored org scan of local repositories.")
    ap.add_argument("--repos", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="keep the repositories, config, store and run documents in DIR")
    args = ap.parse_args()
    if args.repos < 1:
        ap.error("--repos must be at least 1")
    workdir = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="maturity-store-bench-"))
    if args.keep and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        repos = make_repos(workdir / "repos", args.repos, args.seed)
        setup = time.perf_counter() - t0
        db = workdir / "maturity.db"
        config = workdir / "maturity.toml"
        config.write_text(f'[scanner]\ndatabase = "sqlite:///{db.as_posix()}"\n\n'
                          + "".join(f'[[targets]]\nkind = "local"\npath = "{p.as_posix()}"\n\n' for p in repos), encoding="utf-8")
        full = run_scan(config, workdir, "scan")
        rescan = run_scan(config, workdir, "rescan")
        size = sum(f.stat().st_size for f in workdir.glob("maturity.db*"))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"{args.repos} local repositories written in {setup:.1f} s; {machine}")
    print(f"scan    {full['wall_s']:7.2f} s  peak RSS {full['peak_rss_mb']:.0f} MB  {full['reports']} reports, {full['failures']} failures")
    rss = f"{rescan['peak_rss_mb']:.0f} MB" if rescan["grew"] else f"≤ {full['peak_rss_mb']:.0f} MB (below the scan's)"
    print(f"rescan  {rescan['wall_s']:7.2f} s  peak RSS {rss}  {rescan['reused']} reused")
    print(f"SQLite store: {size / 1e6:.1f} MB after both scans (maturity.db, -wal, -shm)")
    print(json.dumps({"repos": args.repos, "wall_s": round(full["wall_s"], 2), "peak_rss_mb": round(full["peak_rss_mb"], 1),
                      "rescan_wall_s": round(rescan["wall_s"], 2), "rescan_peak_rss_mb": round(rescan["peak_rss_mb"], 1) if rescan["grew"] else None,
                      "reused": rescan["reused"], "sqlite_bytes": size, "machine": machine}))


if __name__ == "__main__":
    main()
