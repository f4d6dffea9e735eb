"""Several servers (issue 19): two gunicorn servers on one PostgreSQL database and one task
worker. Clients book the same times through both servers at once: one booking per time. Both
servers' periodic jobs sweep at once: each reminder is sent once. A login made on one server
is valid on the other (sessions live in the database, not in a server)."""

import http.client
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sessions.availability import free_slots_for
from sessions.models import Booking, Reminder
from tests.e2e.helpers import open_every_day
from tests.factories import (
    PASSWORD,
    IntakeFormFactory,
    ListedPractitionerFactory,
    ServiceLengthFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several servers share one PostgreSQL database (run with DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
CLIENTS_PER_TIME = 4
TIMES = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(static_root=root, database="sqlite:///unused.sqlite3"),
        check=True,
        timeout=120,
    )
    return root


def production_env(*, static_root: Path, database: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return clean | {
        "DJANGO_DEBUG": "0",
        # The test's own key: the sessions it stores are signed with it.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        # And its encryption keys: the servers read what the test wrote.
        "DJANGO_FIELD_ENCRYPTION_KEYS": os.environ["DJANGO_FIELD_ENCRYPTION_KEYS"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",
        "DJANGO_TASKS_BACKEND": "database",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database,
    }


@pytest.fixture
def env(static_root):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return production_env(static_root=static_root, database=url)


@pytest.fixture
def servers(env):
    """Two gunicorn servers (two workers each) on the test database: their ports."""
    ports, processes = [free_port(), free_port()], []
    for port in ports:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "reflexbook.wsgi", "--workers=2"]
                + [f"--bind=127.0.0.1:{port}", "--log-level=warning"],
                cwd=ROOT,
                env=env,
            )
        )
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while Browser(port).get("/healthz")[0] != 200:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


class Browser:
    """A cookie-keeping HTTP client for one server (no redirects followed)."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = cookies if cookies is not None else {}

    def request(self, method: str, path: str, body: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, data, headers)
            response = conn.getresponse()
        except OSError:
            return 0, "", {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        return response.status, text, dict(response.headers)

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, body: dict):
        token = self.cookies.get(settings.CSRF_COOKIE_NAME)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **body})

    def log_in(self, email: str) -> None:
        status, text, _ = self.get(reverse("login"))
        assert status == 200
        status, _, headers = self.post(reverse("login"), {"username": email, "password": PASSWORD})
        assert status == 302, (status, headers)


def logged_in_cookies(user) -> dict:
    """Cookies of a session in which `user` has logged in (stored as a login stores it)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = "c" * 32
    return {settings.SESSION_COOKIE_NAME: store.session_key, settings.CSRF_COOKIE_NAME: csrf}


def test_two_servers_one_winner_per_time_reminders_once_sessions_shared(servers, env):
    practitioner = ListedPractitionerFactory(min_notice_hours=0)
    open_every_day(practitioner)
    length = ServiceLengthFactory(service__practitioner=practitioner, minutes=60)
    now = timezone.now()
    local_today = timezone.localdate(now, timezone=ZoneInfo(practitioner.timezone))
    free = free_slots_for(
        practitioner=practitioner,
        service=length.service,
        minutes=60,
        first_day=local_today + timedelta(days=2),
        last_day=local_today + timedelta(days=3),
        now=now,
    )
    times = free[::3][:TIMES]  # far enough apart that one booking never blocks the next
    assert len(times) == TIMES
    clients = UserFactory.create_batch(TIMES * CLIENTS_PER_TIME)
    for client in clients:
        IntakeFormFactory(client=client)

    # A login on one server works on the other. (The servers hash passwords as production
    # does, not with the test settings' fast hasher.)
    clients[0].password = PBKDF2PasswordHasher().encode(PASSWORD, "twoservers")
    clients[0].save(update_fields=["password"])
    first = Browser(servers[0])
    first.log_in(clients[0].email)
    shared = Browser(servers[1], dict(first.cookies))
    status, text, _ = shared.get(reverse("sessions:my-bookings"))
    assert status == 200 and "Log out" in text and "Your bookings" in text

    # Every client has a login session; then all book at once, half through each server.
    clients[0].refresh_from_db()  # the server's log-in may have rehashed the password
    browsers = [
        Browser(servers[n % 2], logged_in_cookies(client)) for n, client in enumerate(clients)
    ]
    start = threading.Barrier(len(browsers))
    results = [None] * len(browsers)

    def book(n: int) -> None:
        starts_at = times[n // CLIENTS_PER_TIME]
        path = reverse(
            "sessions:review",
            kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": starts_at},
        )
        body = {
            "message": "",
            "unwell_now": "False",
            "unwell_details": "",
            "accept_policy": "on",
            "price_seen": str(length.price),
        }
        start.wait()
        status, _, headers = browsers[n].post(path, body)
        results[n] = (status, headers.get("Location", ""))

    threads = [threading.Thread(target=book, args=(n,)) for n in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = [status for status, _ in results]
    assert statuses.count(302) == TIMES, results  # one booking per time ...
    assert set(statuses) == {302, 409}, results  # ... and a clear refusal for the others
    assert all("/bookings/" in where for status, where in results if status == 302), results
    booked = Booking.objects.filter(practitioner=practitioner)
    assert sorted(booked.values_list("starts_at", flat=True)) == sorted(times)

    # A day later: both servers' jobs sweep the due reminders at the same moment, and one
    # worker sends what they queued.
    Reminder.objects.filter(booking__in=booked).update(due_at=timezone.now() - timedelta(minutes=1))
    sweeps = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_due_jobs"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in servers
    ]
    outputs = [sweep.communicate(timeout=120)[0] for sweep in sweeps]
    assert all(sweep.returncode == 0 for sweep in sweeps), outputs
    sent = [int(re.search(r"send_due_reminders: (\d+)", out).group(1)) for out in outputs]
    assert sum(sent) == TIMES, outputs
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr
    # One task per reminder, each sent by the worker (printed: the console email backend).
    reminder_tasks = DBTaskResult.objects.filter(args_kwargs__kwargs__event="reminder")
    assert reminder_tasks.count() == TIMES
    assert {row.status for row in reminder_tasks} == {"SUCCESSFUL"}
    assert set(Reminder.objects.filter(booking__in=booked).values_list("state", flat=True)) == {
        Reminder.State.SENT
    }
    call_command("run_due_jobs", stdout=io.StringIO())  # nothing left to send
    assert Reminder.objects.filter(state=Reminder.State.PENDING).count() == 0
