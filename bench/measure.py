"""One booking volume: migrate and seed a fresh SQLite file, measure each page in process
(SQL queries, CPU time through the Django test client), then serve it with gunicorn (2 sync
workers) and drive each page with wrk, reading the workers' CPU time from /proc.

Run by bench.run with the environment it sets (DATABASE_URL, DJANGO_SETTINGS_MODULE=bench.settings,
debug off); prints one JSON object.
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import django

BASE_DIR = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
IN_PROCESS_RUNS = 25
# The booking POST's fresh times: these many for wrk, and some more for the in-process runs.
POST_TIMES = 3_000
CSRF_SECRET = "b" * 32
# What --pages chooses from (the bare page is always measured: every result is divided by it).
PAGE_KEYS = "directory,profile,length,week-empty,week-busy,post"  # a 32-character token is accepted as the secret itself

WRK_POST_LUA = """
requests = {%s}
counter = 0
request = function()
  counter = counter + 1
  local r = requests[counter]
  if r == nil then r = requests[#requests] end
  return wrk.format("POST", r[1], {
    ["Cookie"] = r[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, r[3])
end
"""


# --- data ----------------------------------------------------------------------------------


def pages(now: datetime) -> list[dict]:
    """The measured GET pages: name and path."""
    from django.urls import reverse

    from bench.seed import BUSY, slug
    from practitioners.models import Practitioner, ServiceLength

    def week_path(index: int) -> str:
        practitioner = Practitioner.objects.get(slug=slug(index))
        length = ServiceLength.objects.get(service__practitioner=practitioner, minutes=60)
        monday = next_monday(practitioner, now)
        path = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk})
        return f"{path}?week={monday.isoformat()}"

    quiet = 7  # a practitioner whose calendar ahead is empty
    return [
        {"key": "bare", "page": "bare Django page", "path": reverse("bench-bare")},
        {"key": "directory", "page": "directory", "path": reverse("practitioners:directory")},
        {
            "key": "profile",
            "page": "profile",
            "path": reverse("practitioners:detail", args=[slug(quiet)]),
        },
        {
            "key": "length",
            "page": "choose a length",
            "path": reverse("sessions:book", args=[slug(quiet)]),
        },
        {"key": "week-empty", "page": "week of times, empty", "path": week_path(quiet)},
        {"key": "week-busy", "page": "week of times, busy", "path": week_path(BUSY)},
    ]


def next_monday(practitioner, now: datetime):
    from bench.seed import next_monday as monday

    return monday(ZoneInfo(practitioner.timezone), now)


def post_requests(now: datetime) -> list[dict]:
    """Booking POSTs, each a fresh free time (found by the app's own slot finder, spaced so no
    two overlap) by a different logged-in client with a current intake, interleaved across
    practitioners. Two weeks ahead and on, so the week pages measured stay as seeded."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from accounts import mfa
    from accounts.models import User
    from bench.seed import BUSY, slug
    from practitioners.models import Practitioner, ServiceLength
    from sessions.availability import free_slots_for

    per_practitioner = []
    for practitioner in Practitioner.objects.filter(slug__startswith="bench-").order_by("slug"):
        if practitioner.slug == slug(BUSY):
            continue
        length = ServiceLength.objects.select_related("service").get(
            service__practitioner=practitioner, minutes=60
        )
        first = next_monday(practitioner, now) + timedelta(days=7)
        free = free_slots_for(
            practitioner=practitioner,
            service=length.service,
            minutes=60,
            first_day=first,
            last_day=first + timedelta(days=41),
            now=now,
        )
        chosen, free_from = [], None
        for start in free:
            if free_from is None or start >= free_from:
                chosen.append(start)
                free_from = start + timedelta(minutes=60 + length.service.buffer_minutes)
        per_practitioner.append([(practitioner.slug, length.pk, start) for start in chosen])
    times = [
        row[i]
        for i in range(max(len(row) for row in per_practitioner))
        for row in per_practitioner
        if i < len(row)
    ][: POST_TIMES + IN_PROCESS_RUNS + 5]
    clients = list(User.objects.filter(email__startswith="client").order_by("pk"))
    store = SessionStore()
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    sessions, requests = [], []
    for n, (practitioner_slug, length_id, start) in enumerate(times):
        client = clients[n % len(clients)]
        key = get_random_string(32)
        data = {
            SESSION_KEY: str(client.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: client.get_session_auth_hash(),
            # As a log-in notes it (accounts.mfa): no two-factor sign-in, looked up just now.
            mfa.SESSION_KEY: [now.timestamp(), False],
        }
        sessions.append(
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=now + timedelta(days=1),
            )
        )
        path = reverse(
            "sessions:review",
            kwargs={"slug": practitioner_slug, "length_id": length_id, "start": start},
        )
        cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
        body = (
            f"csrfmiddlewaretoken={CSRF_SECRET}&message=&unwell_now=False&unwell_details="
            "&accept_policy=on&price_seen=80.00"
        )
        requests.append({"path": path, "cookie": cookie, "body": body, "session": key})
    Session.objects.bulk_create(sessions, batch_size=1_000)
    return requests


# --- in process ----------------------------------------------------------------------------


def in_process(page_list: list[dict], posts: list[dict]) -> dict:
    """Per page: SQL queries of one request and the median CPU time of IN_PROCESS_RUNS."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for page in page_list:
        client = Client()
        for _ in range(3):
            client.get(page["path"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"])
        assert response.status_code == 200, (page, response.status_code)
        count = len(queries)  # now: the next request clears the log it reads from
        cpu = []
        for _ in range(IN_PROCESS_RUNS):
            began = time.process_time()
            client.get(page["path"])
            cpu.append(time.process_time() - began)
        results[page["page"]] = {
            "queries": count,
            "in_process_ms": statistics.median(cpu) * 1000,
        }

    # One client (one handler and middleware chain, as in a served worker), its cookies
    # replaced for each POST's client.
    client = Client(enforce_csrf_checks=True)

    def post(request: dict):
        client.cookies.clear()
        client.cookies[settings.SESSION_COOKIE_NAME] = request["session"]
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        return client.generic(
            "POST",
            request["path"],
            request["body"],
            content_type="application/x-www-form-urlencoded",
        )

    cpu, counts = [], []
    for request in posts if posts else []:
        with CaptureQueriesContext(connection) as queries:
            began = time.process_time()
            response = post(request)
            cpu.append(time.process_time() - began)
        assert response.status_code == 302, response.content.decode()[-2000:]
        counts.append(len(queries))
    if posts:
        results["booking POST"] = {
            "queries": max(counts),
            "in_process_ms": statistics.median(cpu[2:]) * 1000,
        }
    return results


# --- served --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_cpu(master: int) -> float:
    """utime + stime (seconds) of the gunicorn master's children, from /proc."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == master:  # ppid
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / CLOCK_TICKS


def wrk(url: str, seconds: float, script: Path | None = None) -> dict:
    command = ["wrk", "-t1", "-c2", f"-d{seconds:g}s", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    served = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": served,
        "req_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "bad_responses": int(errors.group(1)) if errors else 0,
    }


def start_gunicorn(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "reflexbook.wsgi",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2)
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.3)


def served(page_list: list[dict], posts: list[dict], seconds: float) -> dict:
    from sessions.models import Booking

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    results = {}
    try:
        for page in page_list:
            wrk(base + page["path"], 1)  # warm both workers
            before = workers_cpu(server.pid)
            run = wrk(base + page["path"], seconds)
            cpu = workers_cpu(server.pid) - before
            run["cpu_ms"] = cpu * 1000 / max(run["requests"], 1)
            results[page["page"]] = run
        if not posts:
            return results
        # JSON strings are Lua strings too.
        fields = ("path", "cookie", "body")
        rows = ",".join("{" + ",".join(json.dumps(r[k]) for k in fields) + "}" for r in posts)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_POST_LUA % rows)
        booked_before = Booking.objects.count()
        before = workers_cpu(server.pid)
        run = wrk(base + "/", seconds, Path(script.name))
        cpu = workers_cpu(server.pid) - before
        os.unlink(script.name)
        run["cpu_ms"] = cpu * 1000 / max(run["requests"], 1)
        # Every POST must have booked a fresh time (a refusal re-renders the page with 200).
        run["booked"] = Booking.objects.count() - booked_before
        results["booking POST"] = run
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--pages", default=PAGE_KEYS)
    args = parser.parse_args()
    keys = {"bare", *args.pages.split(",")}
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.seed import seed

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    seed(args.bookings)
    now = timezone.now()
    page_list = [page for page in pages(now) if page["key"] in keys]
    posts = post_requests(now) if "post" in keys else []
    wrk_posts, own_posts = posts[:POST_TIMES], posts[POST_TIMES:]
    seeded = time.monotonic() - started
    inside = in_process(page_list, own_posts)
    outside = served(page_list, wrk_posts, args.seconds)
    measured = [(p["page"], p["path"]) for p in page_list]
    if posts:
        measured.append(("booking POST", "/book/<slug>/<length>/<start>/"))
    rows = [
        {"page": page, "path": path, **outside[page], **inside[page]} for page, path in measured
    ]
    print(json.dumps({"bookings": args.bookings, "seed_seconds": seeded, "rows": rows}))


if __name__ == "__main__":
    main()
