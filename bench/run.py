"""`make bench`: for each booking volume, seed a fresh SQLite file and measure every page
(bench.measure), then print one table per volume and write bench/results/<timestamp>.json.

CPU per request is the gunicorn workers' utime+stime over the run divided by the requests
wrk got answered; "× bare" divides it by the bare Django page's, measured in the same run, so
the ratio holds on a busy or slower machine. Options: --volumes 0,20000 --seconds 3, and
--pages post (or directory,profile,length,week-empty,week-busy) to measure only some pages.
"""

import argparse
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
WRK_MISSING = """make bench drives the pages with wrk, which is not installed.
Install it with your package manager, e.g. on Debian or Ubuntu:  sudo apt-get install wrk
(macOS: brew install wrk)."""


FIELD_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def environment(scratch: Path, database: Path) -> dict:
    """As in production (debug off, whitenoise, the database task queue), with a throwaway
    secret key and plain HTTP on 127.0.0.1."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # Debug off needs a field-encryption key: one throwaway key per bench run.
        "DJANGO_FIELD_ENCRYPTION_KEYS": FIELD_KEY,
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_TASKS_BACKEND": "database",
        "DATABASE_URL": f"sqlite:///{database}",
        "BENCH_STATIC_ROOT": str(scratch / "static"),
        "PYTHONPATH": str(BASE_DIR),
    }


def table(result: dict) -> str:
    rows = result["rows"]
    bare = next(r for r in rows if r["page"] == "bare Django page")
    lines = [
        f"{result['bookings']:,} bookings",
        f"{'page':<24} {'req/s':>7} {'CPU ms/req':>10} {'× bare':>7} {'queries':>7} "
        f"{'in-process ms':>13}",
    ]
    for row in rows:
        ratio = row["cpu_ms"] / bare["cpu_ms"] if bare["cpu_ms"] else float("nan")
        row["ratio_to_bare"] = ratio
        lines.append(
            f"{row['page']:<24} {row['req_per_s']:>7.0f} {row['cpu_ms']:>10.2f} {ratio:>7.1f} "
            f"{row['queries']:>7} {row['in_process_ms']:>13.2f}"
        )
    post = next((r for r in rows if r["page"] == "booking POST"), None)
    if post is None:
        return "\n".join(lines)
    lines.append(
        f"booking POST: {post['requests']} POSTs served by wrk (a Lua script over fresh free "
        f"times), {post['booked']} booked; in process: {post['queries']} queries."
    )
    if post["booked"] < post["requests"]:
        lines.append("WARNING: not every POST booked a time; its CPU figure is not a booking's.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--volumes", default="0,20000,200000")
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument(
        "--pages",
        default="directory,profile,length,week-empty,week-busy,post",
        help="which pages to measure besides the bare one, e.g. --pages post",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit(WRK_MISSING)
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="reflexbook-bench-"))
    try:
        env = environment(scratch, scratch / "collect.sqlite3")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        results = []
        for volume in [int(v) for v in args.volumes.split(",")]:
            env = environment(scratch, scratch / f"bench-{volume}.sqlite3")
            output = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.measure",
                    f"--bookings={volume}",
                    f"--seconds={args.seconds}",
                    f"--pages={args.pages}",
                ],
                cwd=BASE_DIR,
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            result = json.loads(output.stdout.strip().splitlines()[-1])
            print(table(result), end="\n\n", flush=True)
            results.append(result)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{stamp}.json"
    out.write_text(json.dumps({"at": stamp, "seconds": args.seconds, "volumes": results}, indent=2))
    print(f"Written {out.relative_to(BASE_DIR)} in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
