"""In-process cost of the public pages against a bare template-and-one-query page.

    python bench/profile_page.py            # table: median ms per page, ratio to bare, queries
    python bench/profile_page.py --profile slots-empty   # cProfile of one page

Seeds its own SQLite file (/tmp/reflexbook-profile.sqlite3) on the first run: 50 listed
practitioners (30/60-minute services, Mon-Fri 8:00-19:00 on a 15-minute grid), 2,000
clients, an empty calendar and a busy one. Debug off, the Django test client, every
middleware: the bare page goes through the same stack, so the ratio isolates the page.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("PROFILE_DB", "/tmp/reflexbook-profile.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflexbook.settings")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "profile-only-" + "x" * 50)
# A fixed profile-only Fernet key (debug is off), so a kept PROFILE_DB stays readable.
os.environ.setdefault(
    "DJANGO_FIELD_ENCRYPTION_KEYS", "cHJvZmlsZS1vbmx5LWtleS1ub3QtZm9yLXVzZS0wMDA="
)
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_HTTPS"] = "0"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import argparse  # noqa: E402
import cProfile  # noqa: E402
import datetime as dt  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.seed import listed_practitioners  # noqa: E402
from practitioners.models import Practitioner, ServiceLength  # noqa: E402
from sessions.models import Booking  # noqa: E402

BARE = engines["django"].from_string(
    "<!doctype html><html><head><title>Bare</title></head><body><ul>"
    "{% for p in rows %}<li>{{ p.display_name }}, {{ p.city }}</li>{% endfor %}"
    "</ul></body></html>"
)


def bare(request):
    rows = list(Practitioner.objects.only("display_name", "city").order_by("pk")[:10])
    return HttpResponse(BARE.render({"rows": rows}, request))


bare.login_required = False
urlpatterns = [path("__bare__/", bare), path("", include("reflexbook.urls"))]
settings.ROOT_URLCONF = __name__


def seed() -> None:
    call_command("migrate", verbosity=0)
    if not settings.STATIC_ROOT.exists():  # debug off: the manifest storage, as in production
        call_command("collectstatic", verbosity=0, interactive=False)
    if Practitioner.objects.exists():
        return
    now = timezone.now()
    practitioners = listed_practitioners(50, "p")
    services = [p.services.get() for p in practitioners[:2]]
    clients = User.objects.bulk_create(
        User(
            email=f"c{n}@example.com", full_name=f"Client {n}", password="!", email_verified_at=now
        )
        for n in range(2000)
    )
    # p-1 is busy: every other hour booked, from a year back to the horizon.
    busy, service = practitioners[1], services[1]
    start = (now - dt.timedelta(days=365)).replace(minute=0, second=0, microsecond=0)
    bookings = []
    for n in range(0, 24 * 365 + 24 * 60, 2):
        s = start + dt.timedelta(hours=n)
        bookings.append(
            Booking(
                client=clients[n % 2000],
                practitioner=busy,
                service=service,
                minutes=60,
                price=Decimal("80"),
                starts_at=s,
                ends_at=s + dt.timedelta(minutes=60),
                blocks_from=s,
                blocks_until=s + dt.timedelta(minutes=75),
                status=Booking.Status.CONFIRMED,
                policy_text="policy",
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=1000)


def pages() -> dict[str, str]:
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    empty, busy = Practitioner.objects.get(slug="p-0"), Practitioner.objects.get(slug="p-1")
    e30 = ServiceLength.objects.get(service__practitioner=empty, minutes=30).pk
    b30 = ServiceLength.objects.get(service__practitioner=busy, minutes=30).pk
    return {
        "bare": "/__bare__/",
        "directory": "/practitioners/",
        "profile": f"/practitioners/{empty.slug}/",
        "choose": f"/book/{empty.slug}/",
        "slots-empty": f"/book/{empty.slug}/{e30}/?week={monday}",
        "slots-busy": f"/book/{busy.slug}/{b30}/?week={monday}",
    }


def measure(client: Client, urls: dict[str, str], runs: int) -> dict[str, tuple]:
    """Median CPU ms per page over `runs` rounds, the pages interleaved in each round (so a
    busy moment of the machine touches them all), then the queries and size of one more."""
    times = {name: [] for name in urls}
    for round_ in range(runs + 3):
        for name, url in urls.items():
            start = time.process_time()
            client.get(url)
            if round_ >= 3:  # warm-up rounds are not counted
                times[name].append(time.process_time() - start)
    results = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        ms = statistics.median(times[name]) * 1000
        results[name] = (ms, len(queries), len(response.content))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile")
    parser.add_argument("--user", help="log in as this email first")
    parser.add_argument("--dump", help="write each page's HTML into this folder")
    args = parser.parse_args()
    seed()
    client = Client()
    if args.user:
        client.force_login(User.objects.get(email=args.user))
    urls = pages()
    if args.dump:
        folder = Path(args.dump)
        folder.mkdir(parents=True, exist_ok=True)
        for name, url in urls.items():
            (folder / f"{name}.html").write_bytes(client.get(url).content)
            if name.startswith("slots"):
                partial = client.get(url, headers={"HX-Request": "true"}).content
                (folder / f"{name}-htmx.html").write_bytes(partial)
        return
    if args.profile:
        url = urls[args.profile]
        for _ in range(5):
            client.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        return
    reset_queries()
    results = measure(client, urls, args.runs)
    bare_ms = results["bare"][0]
    print(f"{'page':<14}{'ms':>8}{'ratio':>8}{'queries':>9}{'bytes':>9}")
    for name, (ms, queries, size) in results.items():
        print(f"{name:<14}{ms:>8.2f}{ms / bare_ms:>8.1f}{queries:>9}{size:>9}")


if __name__ == "__main__":
    main()
