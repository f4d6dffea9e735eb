from django.core.management.base import BaseCommand

from practitioners.demo import seed


class Command(BaseCommand):
    help = (
        "Create demo staff, practitioners (every credential state) and clients, and print "
        "their logins; safe to run again (changes nothing)."
    )

    def handle(self, *args, **options):
        for role, email, password in seed():
            self.stdout.write(f"{role:<13} {email:<22} {password}")
