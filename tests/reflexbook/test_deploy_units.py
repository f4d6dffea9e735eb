"""deploy/'s systemd units (web, worker, jobs timer) pass `systemd-analyze verify`, and
make run starts the same three processes (Procfile.dev)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_the_systemd_units_verify(tmp_path):
    # The units name /srv/reflexbook's virtualenv and /etc/reflexbook/env; point them at this
    # checkout's so verify can check the commands exist.
    venv = Path(sys.executable).parent.parent
    for unit in DEPLOY.iterdir():
        text = unit.read_text().replace("/srv/reflexbook/.venv", str(venv))
        (tmp_path / unit.name).write_text(text.replace("/etc/reflexbook/env", "/dev/null"))
    units = sorted(str(p) for p in tmp_path.iterdir())
    assert [Path(u).name for u in units] == [
        "reflexbook-jobs.service",
        "reflexbook-jobs.timer",
        "reflexbook-web.service",
        "reflexbook-worker.service",
    ]
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # no unknown keys or other warnings


def test_make_run_starts_the_server_a_worker_and_the_jobs():
    procfile = (ROOT / "Procfile.dev").read_text()
    names = [line.split(":")[0] for line in procfile.splitlines() if line and line[0] != "#"]
    assert names == ["web", "worker", "jobs"]
    assert "db_worker" in procfile and "run_due_jobs" in procfile and "sleep 60" in procfile
    makefile = (ROOT / "Makefile").read_text()
    assert "honcho -f Procfile.dev start" in makefile
    assert "DJANGO_TASKS_BACKEND=database" in makefile
