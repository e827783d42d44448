"""The keyboard steps every keyboard-only browser test shares: Tab and Shift+Tab to a control (checking each stop
shows where the focus is), type into it, choose a radio with the arrow keys, tick a box with Space, pick an
option of a closed select with the arrow keys, and submit with Enter; and the driver that records through one
form with nothing but those steps (RecordingForm, record_by_keyboard)."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.test import Client
from playwright.sync_api import Locator, Page, expect

# GOV.UK Frontend's focus states: yellow outline on fields, yellow background with a black underline (a box
# shadow) on links and buttons. Either way something must show where the focus is (WCAG 2.4.7). Each stop answers
# what has the focus ("radio <name>" for a group of radios, else its id, name or text), whether that is the
# target, and what is wrong with how it shows the focus ("" if nothing), in one round trip.
STOP = """target => {
    const element = document.activeElement;
    if (!element || element === document.body) return ["", false, "nothing has the focus"];
    const style = getComputedStyle(element);
    const shown = (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none";
    const name = element.type === "radio"
        ? `radio ${element.name}` : element.id || element.name || element.textContent.trim();
    return [name, element === target, shown ? "" : `no visible focus on ${element.outerHTML.slice(0, 200)}`];
}"""
SHOWS_FOCUS = f"() => ({STOP})(null)[2]"

# Whether the focus must move forwards (Tab) or backwards (Shift+Tab) to reach an element, by document order
DIRECTION = """element => {
    const active = document.activeElement;
    if (!active || active === document.body || active === element) return "Tab";
    return active.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_PRECEDING ? "Shift+Tab" : "Tab";
}"""

# The controls of a form a person must be able to reach: shown, enabled, not hidden inputs; one per radio group
CONTROLS = """form => [...form.querySelectorAll("input, select, textarea, button")]
    .filter(el => el.type !== "hidden" && !el.disabled && el.offsetParent !== null)
    .map(el => el.type === "radio" ? `radio ${el.name}` : el.id || el.name || el.textContent.trim())"""


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("element => element === document.activeElement"))


def press_and_check_focus(page: Page, key: str) -> None:
    page.keyboard.press(key)
    problem = page.evaluate(SHOWS_FOCUS)
    assert not problem, problem


def tab_to(target: Locator, most: int = 120) -> None:
    """Press Tab (or Shift+Tab, if the target comes earlier in the page) until the target has the focus, checking
    each stop on the way shows that it has it."""
    page = target.page
    element = target.element_handle()
    key = element.evaluate(DIRECTION)
    if element.evaluate(STOP)[1]:
        return
    for _ in range(most):
        page.keyboard.press(key)
        _, there, problem = element.evaluate(STOP)
        assert not problem, problem
        if there:
            return
    raise AssertionError(f"{most} presses of {key} never reached {target}")


def press_enter_and_wait(page: Page) -> None:
    """Enter on a link or a form's button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_then_tab(page: Page, text: str) -> None:
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def type_into(target: Locator, text: str) -> None:
    """Tab to a text box, select what is in it (Ctrl+A) and type over it."""
    tab_to(target)
    target.page.keyboard.press("Control+A")
    target.page.keyboard.type(text)
    expect(target).to_have_value(text)


def type_date(form: Locator, name: str, day: date) -> None:
    """A GOV.UK date input: day, month and year, one after the other by Tab."""
    type_into(form.locator(f'[name="{name}_0"]'), str(day.day))
    for part, value in ((1, day.month), (2, day.year)):
        form.page.keyboard.press("Tab")
        field = form.locator(f'[name="{name}_{part}"]')
        expect(field).to_be_focused()
        form.page.keyboard.press("Control+A")
        form.page.keyboard.type(str(value))
        expect(field).to_have_value(str(value))


def choose_radio(form: Locator, name: str, label: str) -> None:
    """Tab into the group of radios, then the arrow keys move through it, choosing as they go (Space chooses the
    one Tab lands on when none is chosen yet)."""
    group = form.locator(f'input[type="radio"][name="{name}"]')
    wanted = group.and_(form.get_by_label(label, exact=True))
    if wanted.count() == 0:  # a label with more after it: "Olivia Officer (most room)"
        wanted = group.and_(form.get_by_label(label))
    expect(wanted).to_have_count(1)
    page = form.page
    tab_to(group.and_(form.locator(":checked")) if group.and_(form.locator(":checked")).count() else group.first)
    for _ in range(group.count()):
        if is_focused(wanted):
            break
        press_and_check_focus(page, "ArrowDown")
    expect(wanted).to_be_focused()
    if not wanted.is_checked():
        page.keyboard.press("Space")
    expect(wanted).to_be_checked()


def tick(form: Locator, name: str, label: str | None = None) -> None:
    """Tab to a checkbox and tick it with Space."""
    box = form.locator(f'input[type="checkbox"][name="{name}"]')
    if label is not None:
        exact = box.and_(form.get_by_label(label, exact=True))
        box = exact if exact.count() else box.and_(form.get_by_label(label))  # "ALLAN, Hannah (X000006), ..."
    tab_to(box)
    if not box.is_checked():
        form.page.keyboard.press("Space")
    expect(box).to_be_checked()


def pick_option(form: Locator, name: str, label: str) -> None:
    """Tab to a closed select, go to its first option (Home), then down with the arrow key to the one wanted."""
    select = form.locator(f'select[name="{name}"]')
    tab_to(select)
    page = form.page
    page.keyboard.press("Home")
    chosen = select.locator("option:checked")
    for _ in range(select.locator("option").count()):
        if (chosen.text_content() or "").strip() == label:
            break
        page.keyboard.press("ArrowDown")
    expect(chosen).to_have_text(label)


def officer_option(staff: Any) -> str:
    """How a select of staff names one: "Olivia Officer (S00001)"."""
    return f"{staff.name} ({staff.code})"


@dataclass(frozen=True)
class Tick:
    """Tick the checkbox of this label (of a group of checkboxes), or the only checkbox of its name."""

    label: str | None = None


@dataclass(frozen=True)
class Upload:
    """A file for a file input: its name, what it is and its bytes."""

    name: str
    mime_type: str
    content: bytes


Answer = str | date | Tick | Upload


def choose_file(form: Locator, name: str, upload: Upload) -> None:
    """Tab to a file input. What a browser does on Enter or Space there is open the system's file chooser, which
    no test can type into: so the file is given to the focused element with Playwright's set_input_files (the one
    step not done by keyboard), and the rest of the form goes on by keyboard from there."""
    field = form.locator(f'input[type="file"][name="{name}"]')
    tab_to(field)
    focused = form.page.locator(":focus")
    expect(focused).to_have_attribute("name", name)
    focused.set_input_files({"name": upload.name, "mimeType": upload.mime_type, "buffer": upload.content})
    expect(field).to_be_focused()
    assert field.evaluate("el => el.files.length === 1 && el.files[0].name") == upload.name


def answer(form: Locator, name: str, value: Answer) -> None:
    """Fill one field by keyboard, by the kind of control the form has for it."""
    if isinstance(value, date):
        type_date(form, name, value)
    elif isinstance(value, Upload):
        choose_file(form, name, value)
    elif isinstance(value, Tick):
        tick(form, name, value.label)
    else:
        kind = form.locator(f'[name="{name}"]').first.evaluate("el => el.type")
        if kind == "radio":
            choose_radio(form, name, value)
        elif kind in ("select-one", "select-multiple"):
            pick_option(form, name, value)
        else:
            type_into(form.locator(f'[name="{name}"]'), value)


def every_control_reached(form: Locator, button: Locator) -> None:
    """From where the focus is, Tab through the page to the form's button: every control of the form shown now
    must be one of the stops (a group of radios counts as one stop)."""
    page = form.page
    wanted = set(form.evaluate(CONTROLS))
    element = button.element_handle()
    reached = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        name, there, problem = element.evaluate(STOP)
        assert not problem, problem
        reached.add(name)
        if there:
            break
    assert wanted <= reached, f"never reached by Tab: {sorted(wanted - reached)}"


def error_summary_leads_to_fields(page: Page) -> None:
    """A refused form: the GOV.UK error summary has the focus, and each of its links, reached by Tab and followed
    with Enter, puts the focus on the field it names."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: "))
    links = summary.get_by_role("link")
    assert links.count() > 0, "the error summary has no links to the fields"
    for index in range(links.count()):
        link = links.nth(index)
        tab_to(link)
        target = str(link.get_attribute("href")).split("#", 1)[1]
        page.keyboard.press("Enter")
        field = page.locator(f'[id="{target}"]')
        assert field.count() == 1, f"the error summary links to #{target}, which is not on the page"
        expect(field).to_be_focused()


@dataclass(frozen=True)
class RecordingForm:
    """One recording form driven by keyboard: its URL's name, who uses it (the World's officer or spo), where
    (an arranger from tests/probation/hostile_cases.py), what to answer (field name -> Answer, in the order a
    person would fill them), the button, the words the next page confirms it with, and a check that the row is
    in the database."""

    label: str
    url_name: str  # the URL's name, as in tests/probation/test_hostile_input.py's table of every form
    role: str
    arrange: Callable[[Any], Any]
    answers: Callable[[Any], Mapping[str, Answer]]
    button: str
    confirmation: str
    recorded: Callable[[Any], None]
    # answers the form refuses, saved first (by default, nothing entered); None: nothing it shows is refused
    refused: Callable[[Any], Mapping[str, Answer]] | None = lambda target: {}
    then: str | None = None  # the button of a page that follows to confirm ("Check your answers")
    opens: str | None = None  # the summary of the GOV.UK details the form is folded into, opened with Enter

    def __str__(self) -> str:
        return self.label


def sign_in(page: Page, base: str, user: Any) -> None:
    """Start signed in as the user (signing in by keyboard has tests of its own): the session cookie of a
    Django test client's force_login, put into the browser context."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}])


def record_by_keyboard(page: Page, base: str, world: Any, form: RecordingForm) -> Any:
    """Open the form; Tab through every control to the button; save it empty and follow the error summary's
    links; answer every field by keyboard; save with Enter; check the confirmation and the database."""
    target = form.arrange(world)
    sign_in(page, base, getattr(world, form.role).user)
    page.goto(f"{base}{target.url}")
    if form.opens is not None:
        tab_to(page.locator("summary", has_text=form.opens))
        page.keyboard.press("Enter")
    button = page.get_by_role("button", name=form.button, exact=True)
    if button.count() == 0:  # a button whose name goes on for screen readers: "Remove<hidden> Sam from the list>"
        button = page.get_by_role("button", name=re.compile(f"^{re.escape(form.button)}"))
    html_form = page.locator("form").filter(has=button)
    every_control_reached(html_form, button)
    if form.refused is not None:
        for name, value in form.refused(target).items():
            answer(html_form, name, value)
        tab_to(button)
        press_and_check_focus_on(button)
        press_enter_and_wait(page)
        error_summary_leads_to_fields(page)
    for name, value in form.answers(target).items():
        answer(html_form, name, value)
    tab_to(button)
    press_and_check_focus_on(button)
    press_enter_and_wait(page)
    if form.then is not None:
        confirm = page.get_by_role("button", name=form.then, exact=True)
        tab_to(confirm)
        press_and_check_focus_on(confirm)
        press_enter_and_wait(page)
    refused = page.locator(".govuk-error-summary")
    assert refused.count() == 0, f"refused: {refused.text_content()}"
    expect(page.locator("main")).to_contain_text(form.confirmation)
    form.recorded(target)
    return target


def press_and_check_focus_on(button: Locator) -> None:
    """The button has the focus, and shows it (a yellow background and a black underline)."""
    expect(button).to_be_focused()
    problem = button.page.evaluate(SHOWS_FOCUS)
    assert not problem, problem
