from django.core.management.base import BaseCommand, CommandError

from sessions.jobs import run_due_jobs


class Command(BaseCommand):
    help = "Run the periodic jobs that are due. Schedule it every minute (deploy/'s systemd timer, or cron)."

    def handle(self, *args, **options):
        failed = []
        for name, count in run_due_jobs():
            if count is None:
                failed.append(name)
            self.stdout.write(f"{name}: {'failed (see the log)' if count is None else count}")
        if failed:
            raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}.")
