"""Benchmark: `maturity scan github:ORG` (or `gitlab:GROUP`) of a generated organisation served by a fake.

    python benchmarks/org_scan.py --provider github --repos 500 --latency-ms 50
    python benchmarks/org_scan.py --provider gitlab --repos 300 --latency-ms 50
    python benchmarks/org_scan.py --provider jenkins --jobs 1000 --latency-ms 50
        [--seed 1] [--concurrency N] [--keep DIR]

GitLab mode: the fake GitLab with a generated group of that many projects (nested subgroups, one
archived); the last line's keys are repos, requests, requests_per_repo, wall_s,
rescan_requests_per_repo and rescan_wall_s (GitLab counts requests, not points). Aim: at most 6
requests per project on a full scan.

Jenkins mode: the fake Jenkins with that many jobs in nested folders (and a multibranch project);
one scan; the last line's keys are jobs, requests, requests_per_job and wall_s. Budget: at most 3
requests per job.

It starts the fake GitHub of tests/fakes (real HTTP on 127.0.0.1, `latency_ms` of sleep per
request, rate limits raised so that the benchmark is never throttled), then runs the installed
scanner as a subprocess twice with the same fresh cache directory: the full scan, and the rescan
right after it (ETags, trees, blobs and history cached). For each it measures the wall time
around the subprocess and the fake's server-side counters (requests, rate-limit points by
GitHub's rules). It prints a human summary, then as its last line one JSON object:
repos, requests, points, points_per_repo, wall_s, rescan_points_per_repo, rescan_wall_s
(and the extras rescan_requests, rescan_points, rescan_not_modified, failures, latency_ms,
concurrency, machine).

Budget: a full scan at most 4 points per repository, a rescan at most 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

ORG = "acme"
HUGE_LIMIT = 1_000_000
# Printed budget (points per repository), for the summary lines only.
BUDGET_FULL, BUDGET_RESCAN = 4.0, 0.5


def scanner_command() -> list[str]:
    """The scanner as installed in this interpreter's environment, whatever the venv."""
    return [sys.executable, "-c", "from scanner.cli import entry; entry()"]


def scan_env(cache_home: Path, concurrency: int | None, provider: str = "github") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           # Inherited MATURITY_* settings (cache dir, URL, token, ...) would skew the numbers.
           if not k.startswith("MATURITY_") or k == "MATURITY_VERBOSE"}
    env["XDG_CACHE_HOME"] = str(cache_home)
    env["GITHUB_TOKEN"] = "bench-token"
    env["GITLAB_TOKEN"] = "bench-token"
    env.pop("GH_TOKEN", None)
    if concurrency is not None:
        env[f"MATURITY_{provider.upper()}__CONCURRENCY"] = str(concurrency)
    return env


def timed_scan(fake, target: list[str], label: str, workdir: Path, env: dict[str, str]) -> tuple[dict, float]:  # noqa: ANN001
    """`maturity scan TARGET… --format json` as a subprocess, the fake's counters reset first:
    (the run document, wall seconds). A failed scan ends the benchmark with its stderr's tail."""
    output = workdir / f"{label}.json"
    cmd = [*scanner_command(), "scan", *target, "--format", "json", "--output", str(output)]
    fake.reset_counters()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=workdir, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    (workdir / f"{label}.stderr").write_text(proc.stderr)
    if proc.returncode != 0:
        print("\n".join(proc.stderr.strip().splitlines()[-20:]), file=sys.stderr)
        sys.exit(f"{label}: scan subprocess failed with exit code {proc.returncode}")
    try:
        return json.loads(output.read_text(encoding="utf-8")), wall
    except (OSError, ValueError) as exc:
        sys.exit(f"{label}: no readable run document at {output}: {exc}")


def _client(run: dict, provider: str) -> dict:
    """What the scanner itself counted for `provider`."""
    return next((u for u in run.get("api", []) if u.get("provider") == provider), {})


def run_scan(gh, label: str, workdir: Path, env: dict[str, str]) -> dict:  # noqa: ANN001
    """One GitHub scan, with the fake's server-side counts."""
    run, wall = timed_scan(gh, [f"github:{ORG}", "--github-url", gh.url], label, workdir, env)
    return {"wall_s": wall, "requests": gh.requests, "points": gh.points, "rest_points": gh.rest_points,
            "graphql_points": gh.graphql_points, "not_modified": gh.not_modified, "scanned": len(run.get("reports", [])),
            "failures": run.get("failures", []), "client": _client(run, "github")}


def per_repo(points: int, repos: int) -> float:
    return round(points / repos, 3) if repos else 0.0


def summary_line(label: str, r: dict, repos: int, budget: float) -> str:
    ppr = per_repo(r["points"], repos)
    client = r["client"]
    return (f"{label:<7} {r['wall_s']:7.2f} s  {r['requests']:6d} requests ({r['not_modified']} x 304)  "
            f"{r['points']:6d} points (REST {r['rest_points']}, GraphQL {r['graphql_points']})  "
            f"{ppr:.3f} points/repo (budget {budget:g}: {'ok' if ppr <= budget else 'OVER'})  "
            f"[scanner counted {client.get('requests', '?')} requests, {client.get('points', '?')} points]")


def main() -> None:
    ap = argparse.ArgumentParser(description="Time and count API points of an org scan against a fake provider.")
    ap.add_argument("--provider", choices=("github", "gitlab", "jenkins"), default="github")
    ap.add_argument("--repos", type=int, default=500, help="repositories generated in the org (archived ones and forks are not scanned)")
    ap.add_argument("--jobs", type=int, default=1000, help="jobs generated on the Jenkins server (--provider jenkins)")
    ap.add_argument("--latency-ms", type=float, default=50, help="sleep of the fake per request")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=None, help="passed as MATURITY_GITHUB__CONCURRENCY")
    ap.add_argument("--keep", type=Path, default=None, help="keep the run documents, stderr and cache in DIR")
    args = ap.parse_args()
    if args.provider == "jenkins":
        jenkins_main(args)
        return
    if args.repos < 1:
        ap.error("--repos must be at least 1")
    if args.provider == "gitlab":
        gitlab_main(args)
        return

    from fakes import FakeGitHub, generate_org

    workdir, cache_home = workdirs(args.keep)
    env = scan_env(cache_home, args.concurrency)
    org = generate_org(ORG, repos=args.repos, seed=args.seed)
    try:
        with FakeGitHub(org=org, latency_ms=args.latency_ms, rate_limit=HUGE_LIMIT, graphql_rate_limit=HUGE_LIMIT) as gh:
            full = run_scan(gh, "scan", workdir, env)
            rescan = run_scan(gh, "rescan", workdir, env)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)

    repos = full["scanned"] + len(full["failures"])
    rescan_repos = rescan["scanned"] + len(rescan["failures"])
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"github: org {ORG} of {args.repos} generated repositories (seed {args.seed}), {repos} scanned "
          f"({full['scanned']} reports, {len(full['failures'])} failures), latency {args.latency_ms:g} ms, "
          f"concurrency {args.concurrency if args.concurrency is not None else 'default'}; {machine}")
    print(summary_line("scan", full, repos, BUDGET_FULL))
    print(summary_line("rescan", rescan, repos, BUDGET_RESCAN))
    if rescan_repos != repos:
        print(f"note: the rescan covered {rescan_repos} repositories, the scan {repos}")
    for label, r in (("scan", full), ("rescan", rescan)):
        for f in r["failures"][:10]:
            print(f"{label} failure: {f.get('target')}: {f.get('error')}")
    if args.keep is not None:
        print(f"kept run documents, stderr and cache in {workdir}")
    print(json.dumps({
        "repos": repos,
        "requests": full["requests"],
        "points": full["points"],
        "points_per_repo": per_repo(full["points"], repos),
        "wall_s": round(full["wall_s"], 2),
        "rescan_points_per_repo": per_repo(rescan["points"], repos),
        "rescan_wall_s": round(rescan["wall_s"], 2),
        "rescan_requests": rescan["requests"],
        "rescan_points": rescan["points"],
        "rescan_not_modified": rescan["not_modified"],
        "failures": len(full["failures"]),
        "rescan_failures": len(rescan["failures"]),
        "latency_ms": args.latency_ms,
        "concurrency": args.concurrency,
        "machine": machine,
    }))


def workdirs(keep: Path | None) -> tuple[Path, Path]:
    if keep is not None:
        workdir = keep.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        cache_home = workdir / "cache"
        if cache_home.exists():
            shutil.rmtree(cache_home)  # the full scan must start cold
    else:
        workdir = Path(tempfile.mkdtemp(prefix="maturity-org-bench-"))
        cache_home = workdir / "cache"
    cache_home.mkdir(parents=True)
    return workdir, cache_home


def run_gitlab_scan(gl, label: str, workdir: Path, env: dict[str, str]) -> dict:  # noqa: ANN001
    run, wall = timed_scan(gl, [f"gitlab:{ORG}", "--gitlab-url", gl.url], label, workdir, env)
    return {"wall_s": wall, "requests": gl.requests, "scanned": len(run.get("reports", [])), "failures": run.get("failures", []),
            "client": _client(run, "gitlab")}


def gitlab_main(args: argparse.Namespace) -> None:
    import datetime as dt

    from fakes import FakeGitLab, generate_group

    workdir, cache_home = workdirs(args.keep)
    env = scan_env(cache_home, args.concurrency, "gitlab")
    anchor = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    group = generate_group(ORG, projects=args.repos, seed=args.seed, anchor=anchor)
    try:
        with FakeGitLab(group=group, latency_ms=args.latency_ms, rate_limit=HUGE_LIMIT) as gl:
            full = run_gitlab_scan(gl, "scan", workdir, env)
            rescan = run_gitlab_scan(gl, "rescan", workdir, env)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    repos = full["scanned"] + len(full["failures"])
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"gitlab: group {ORG} of {args.repos} generated projects (seed {args.seed}), {repos} scanned "
          f"({full['scanned']} reports, {len(full['failures'])} failures), latency {args.latency_ms:g} ms, "
          f"concurrency {args.concurrency if args.concurrency is not None else 'default'}; {machine}")
    for label, r in (("scan", full), ("rescan", rescan)):
        print(f"{label:<7} {r['wall_s']:7.2f} s  {r['requests']:6d} requests  {per_repo(r['requests'], repos):.3f} requests/project"
              f"{'  (aim 6: ' + ('ok' if per_repo(r['requests'], repos) <= 6 else 'over') + ')' if label == 'scan' else ''}"
              f"  [scanner counted {r['client'].get('requests', '?')} requests]")
        for f in r["failures"][:10]:
            print(f"{label} failure: {f.get('target')}: {f.get('error')}")
    print(json.dumps({
        "repos": repos,
        "requests": full["requests"],
        "requests_per_repo": per_repo(full["requests"], repos),
        "wall_s": round(full["wall_s"], 2),
        "rescan_requests_per_repo": per_repo(rescan["requests"], repos),
        "rescan_wall_s": round(rescan["wall_s"], 2),
        "rescan_requests": rescan["requests"],
        "failures": len(full["failures"]),
        "latency_ms": args.latency_ms,
        "concurrency": args.concurrency,
        "machine": machine,
    }))


def jenkins_main(args: argparse.Namespace) -> None:
    from fakes import FakeJenkins, generate_jenkins_server

    if args.jobs < 1:
        sys.exit("--jobs must be at least 1")
    workdir, cache_home = workdirs(args.keep)
    env = scan_env(cache_home, args.concurrency, "jenkins")
    env["JENKINS_USER"], env["JENKINS_TOKEN"] = "bench", "bench-token"
    server = generate_jenkins_server(jobs=args.jobs, seed=args.seed)
    try:
        with FakeJenkins(server=server, user="bench", token="bench-token", latency_ms=args.latency_ms) as jk:
            run, wall = timed_scan(jk, [f"jenkins:{jk.url}"], "scan", workdir, env)
            requests = jk.requests
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    client = _client(run, "jenkins")
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"jenkins: server of {args.jobs} generated jobs in nested folders (seed {args.seed}), latency {args.latency_ms:g} ms, "
          f"concurrency {args.concurrency if args.concurrency is not None else 'default'}; {machine}")
    print(f"scan    {wall:7.2f} s  {requests:6d} requests  {per_repo(requests, args.jobs):.3f} requests/job (budget 3: "
          f"{'ok' if requests / args.jobs <= 3 else 'OVER'})  {len(run.get('reports', []))} reports, "
          f"{len(run.get('failures', []))} failures  [scanner counted {client.get('requests', '?')} requests]")
    print(json.dumps({"jobs": args.jobs, "requests": requests, "requests_per_job": per_repo(requests, args.jobs), "wall_s": round(wall, 2),
                      "reports": len(run.get("reports", [])), "failures": len(run.get("failures", [])), "latency_ms": args.latency_ms,
                      "concurrency": args.concurrency, "machine": machine}))


if __name__ == "__main__":
    main()
