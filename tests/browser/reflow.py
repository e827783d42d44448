"""At 320 CSS pixels (1280 at 400%, WCAG 1.4.10 Reflow) a page does not scroll sideways: a wide table scrolls
inside its own region ({% scroll_region %}, probation/templatetags/tables.py), which is named, reached by Tab
and shows its focus. Used by the accessibility walk, which runs it on every page at 320 px."""

from dataclasses import dataclass, field

from playwright.sync_api import Page

TOLERANCE = 1  # a sub-pixel border may round up
MAX_TABS = 600  # the longest page (My cases: a link or two a row, the filters, the pagination) has fewer stops
TABS_BETWEEN_LOOKS = 25

# Every table on the page, and what is wrong with the region around it (nothing, if all is well).
TABLES_IN_REGIONS = """() => [...document.querySelectorAll("table")].map(table => {
    const region = table.closest(".app-table-scroll");
    if (!region) return {scrolls: false, problems: ["is in no scroll region"]};
    const problems = [];
    if (region.getAttribute("role") !== "region") problems.push("is in a region without role=region");
    if (region.getAttribute("tabindex") !== "0") problems.push("is in a region that is not focusable");
    const id = region.getAttribute("aria-labelledby") || "";
    const labels = id ? document.querySelectorAll(`[id="${CSS.escape(id)}"]`) : [];
    if (labels.length !== 1 || !labels[0].textContent.trim())
        problems.push(`is in a region whose aria-labelledby="${id}" names ${labels.length} elements or an empty one`);
    return {scrolls: region.scrollWidth > region.clientWidth, problems};
})"""
# Notes each scroll region focused, and whether it showed its focus then, as Tab moves through the page.
WATCH_FOCUS = """() => {
    window.appRegionsFocused = new Map();
    const regions = [...document.querySelectorAll(".app-table-scroll")];
    document.addEventListener("focusin", event => {
        const n = regions.indexOf(event.target);
        if (n >= 0) window.appRegionsFocused.set(n, getComputedStyle(event.target).boxShadow !== "none");
    });
    document.activeElement?.blur();
    return regions.length;
}"""
FOCUSED = "() => [...window.appRegionsFocused.entries()]"


@dataclass
class Reflow:
    problems: list[str] = field(default_factory=list)
    regions: int = 0
    scrolling: int = 0  # regions whose table is wider than the screen


def reflow(page: Page, width: int) -> Reflow:
    """What falls short of reflow on the page now open at `width` CSS pixels: the page's own width, each table's
    region, whether Tab reaches every region and whether it shows focus there."""
    result = Reflow()
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    if page_width > width + TOLERANCE:
        result.problems.append(f"the page is {page_width} px wide at {width} px: it scrolls sideways (WCAG 1.4.10)")
    tables = page.evaluate(TABLES_IN_REGIONS)
    result.problems.extend(f"table {n + 1} {p}" for n, table in enumerate(tables) for p in table["problems"])
    result.scrolling = sum(table["scrolls"] for table in tables)
    result.regions = page.evaluate(WATCH_FOCUS)
    focused: dict[int, bool] = {}
    presses = 0
    while result.regions and len(focused) < result.regions and presses < MAX_TABS:
        for _ in range(TABS_BETWEEN_LOOKS):
            page.keyboard.press("Tab")
        presses += TABS_BETWEEN_LOOKS
        focused = dict(page.evaluate(FOCUSED))
    page.evaluate("() => document.activeElement?.blur()")  # focus shown on a link would change what axe sees next
    if len(focused) < result.regions:
        result.problems.append(f"Tab reached {len(focused)} of the {result.regions} scroll regions")
    result.problems.extend(f"scroll region {n + 1} shows no focus" for n, shows in sorted(focused.items()) if not shows)
    return result
