"""Accessibility checks for the browser tests, with axe-core."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def serious_violations(page: Page) -> list[dict]:
    """axe's violations on the page as it is now, keeping only serious and critical ones."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail if axe finds any serious or critical violation on the current page."""
    violations = serious_violations(page)
    assert not violations, (
        f"{len(violations)} serious/critical accessibility violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
