from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from practitioners import demo as practitioners_demo
from sessions import demo as sessions_demo


class Command(BaseCommand):
    help = (
        "Create demo staff, practitioners (every credential state) and clients with intakes, "
        "bookings and session records (every status and safety tier), and print their logins; "
        "safe to run again (changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--even-without-debug",
            action="store_true",
            help="Seed although DJANGO_DEBUG is off (a staging copy, never production).",
        )

    def handle(self, *args, **options):
        # The demo staff login and its authenticator secret are printed in the README: on a
        # production database they would be a way in.
        if not settings.DEBUG and not options["even_without_debug"]:
            raise CommandError(
                "seed_demo creates logins whose passwords and staff authenticator secret are "
                "public; it runs only with DJANGO_DEBUG=1 (or --even-without-debug on a copy)."
            )
        now = timezone.now()
        # One transaction: a failure leaves nothing half-seeded for the next run to skip.
        with transaction.atomic():
            logins = practitioners_demo.seed(now) + sessions_demo.seed(now)
        for role, email, password, *extra in logins:
            # The staff line has a fourth column: the authenticator secret (totp=...).
            self.stdout.write(" ".join([f"{role:<13} {email:<22} {password}", *extra]))
        self.stdout.write(sessions_demo.INVITED_NOTE)
        self.stdout.write(sessions_demo.ERASED_NOTE)
        self.stdout.write(practitioners_demo.LANGUAGES_NOTE)
