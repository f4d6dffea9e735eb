from django.core.management.base import BaseCommand
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

    def handle(self, *args, **options):
        now = timezone.now()
        # One transaction: a failure leaves nothing half-seeded for the next run to skip.
        with transaction.atomic():
            logins = practitioners_demo.seed(now) + sessions_demo.seed(now)
        for role, email, password, *extra in logins:
            # The staff line has a fourth column: the authenticator secret (totp=...).
            self.stdout.write(" ".join([f"{role:<13} {email:<22} {password}", *extra]))
