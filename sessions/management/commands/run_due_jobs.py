from django.core.management.base import BaseCommand

from sessions.jobs import run_due_jobs


class Command(BaseCommand):
    help = "Run the periodic jobs that are due. Schedule it every 5 minutes (cron or a timer)."

    def handle(self, *args, **options):
        for name, count in run_due_jobs():
            self.stdout.write(f"{name}: {count}")
