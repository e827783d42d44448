"""Dependencies are pinned in pyproject.toml and locked in requirements.lock, and the two agree."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_direct_dependency_is_pinned_and_locked_at_the_same_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["dev"]
    locked = dict(
        (_normalise(name), version)
        for name, version in (
            line.split("==") for line in (ROOT / "requirements.lock").read_text().split() if "==" in line
        )
    )
    for requirement in direct:
        name, _, version = requirement.partition("==")
        assert version, f"{requirement} is not pinned"
        assert locked.get(_normalise(re.sub(r"\[.*\]", "", name))) == version, requirement
