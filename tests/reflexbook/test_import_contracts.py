"""The floors in pyproject.toml's import-linter contracts: the real tree keeps them, and each
contract fails when a copy of the tree gets an import that points the wrong way. The pure
modules also read no clock, which imports alone cannot show."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["accounts", "practitioners", "sessions", "reflexbook"]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
# Calls that read the clock: datetime.now(), date.today(), timezone.now()/localdate()/...
CLOCK_CALLS = {"now", "utcnow", "today", "localdate", "localtime"}


def lint_imports(cwd: Path, *contracts: str) -> subprocess.CompletedProcess:
    """Run lint-imports in `cwd` (a project root), optionally on some contracts only."""
    limit = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--no-logo",
            *limit,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory):
    """A copy of the project's packages and pyproject.toml, to break on purpose."""
    copy = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return copy


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_the_expected_contracts_are_written_down():
    assert set(CONTRACTS) == {
        "floors",
        "accounts-ground-floor",
        "practitioners-below-sessions",
        "pure-modules",
    }
    assert CONTRACTS["floors"]["layers"][2:] == [
        "reflexbook.readiness",
        "sessions",
        "practitioners",
        "accounts",
        "reflexbook.lib",
    ]


# (contract, module to break, the wrong import, words in the report)
WRONG_IMPORTS = [
    ("floors", "reflexbook/lib/mail.py", "import accounts.models", "reflexbook.lib is not allowed to import accounts"),
    ("floors", "reflexbook/views.py", "import reflexbook.urls", "reflexbook.views is not allowed to import reflexbook.urls"),
    ("floors", "practitioners/services.py", "import sessions.models", "practitioners is not allowed to import sessions"),
    ("accounts-ground-floor", "accounts/views.py", "from practitioners.services import practitioner_signup", "accounts is not allowed to import practitioners"),
    ("practitioners-below-sessions", "practitioners/hours.py", "from sessions import slots", "practitioners is not allowed to import sessions"),
    ("pure-modules", "sessions/safety.py", "from django.utils import timezone", "sessions.safety is not allowed to import django"),
    ("pure-modules", "sessions/slots.py", "from sessions.availability import free_slots_for", "sessions.slots is not allowed to import django"),
    ("pure-modules", "sessions/reflex_map.py", "from sessions.models import Booking", "sessions.reflex_map is not allowed to import sessions.models"),
    ("pure-modules", "practitioners/certification_rules.py", "from practitioners.models import Certification", "practitioners.certification_rules is not allowed to import practitioners.models"),
    ("pure-modules", "sessions/record_safety.py", "import practitioners.certification_rules", "sessions.record_safety is not allowed to import practitioners"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("contract", "module", "wrong_import", "report"),
    WRONG_IMPORTS,
    ids=[f"{contract}:{module}" for contract, module, *_ in WRONG_IMPORTS],
)
def test_a_wrong_import_breaks_its_contract(tree_copy, contract, module, wrong_import, report):
    path = tree_copy / module
    original = path.read_text()
    path.write_text(f"{wrong_import}  # noqa\n{original}")
    try:
        result = lint_imports(tree_copy, contract)
    finally:
        path.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 1 broken." in result.stdout
    assert report in " ".join(result.stdout.split()), result.stdout


def test_the_untouched_copy_keeps_every_contract(tree_copy):
    # The breakages above come from the wrong import, not from copying the tree.
    result = lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def clock_reads(source: str) -> list[str]:
    """Calls in `source` that read the clock, as `name()` with their line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        called, on = node.func.attr, node.func.value
        on_time_module = isinstance(on, ast.Name) and on.id == "time"
        if called in CLOCK_CALLS or (on_time_module and called in {"time", "monotonic"}):
            found.append(f"{called}() on line {node.lineno}")
    return found


@pytest.mark.parametrize("module", CONTRACTS["pure-modules"]["source_modules"])
def test_pure_modules_read_no_clock(module):
    source = (ROOT / (module.replace(".", "/") + ".py")).read_text()
    assert clock_reads(source) == [], f"{module} reads the clock: take `now`/`today` as arguments"


def test_the_clock_check_sees_a_clock_read():
    assert clock_reads("from datetime import date\ntoday = date.today()\n") == ["today() on line 2"]
    assert clock_reads("import time\nstarted = time.time()\n") == ["time() on line 2"]
    assert clock_reads("wall.time()\nstarts.date()\n") == []  # a datetime's parts, no clock
