"""axe-core in the browser tests: run the WCAG 2.2 A and AA rules against the page Playwright has open."""

from functools import cache
from pathlib import Path
from typing import TypedDict, cast

from playwright.sync_api import Page

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Node(TypedDict):
    target: list[str]
    html: str
    failureSummary: str


class Violation(TypedDict):
    id: str
    impact: str | None
    help: str
    helpUrl: str
    nodes: list[Node]


@cache
def _axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise FileNotFoundError(f"{AXE_SOURCE} is missing: run `make assets` (npm ci) first")
    return AXE_SOURCE.read_text()


def axe_violations(page: Page) -> list[Violation]:
    """Every WCAG 2.2 AA violation axe finds on the page as it is now."""
    # Evaluated through the DevTools protocol rather than added as a <script>: the page's
    # Content-Security-Policy, which allows no inline script, does not apply to it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(({id, impact, help, helpUrl, nodes}) => ({
                id, impact, help, helpUrl,
                nodes: nodes.map(({target, html, failureSummary}) => ({
                    target: target.map(String), html, failureSummary,
                })),
            }));
        }""",
        WCAG_22_AA,
    )
    return cast(list[Violation], results)


def describe(violations: list[Violation]) -> str:
    """One paragraph a rule: what is wrong, how bad, where, and why (axe's own summary for each element)."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} - {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:200]}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)
