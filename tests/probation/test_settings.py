"""The one settings module, read from the environment, in a fresh process each time."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3J9x-production-like-secret-with-plenty-of-entropy-0123456789abcdef",
    "ALLOWED_HOSTS": "probation.example",
    "HTTPS_ONLY": "true",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in {"STATIC_MANIFEST", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_with_no_environment_it_runs_the_embedded_default() -> None:
    script = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.DEBUG,"
        " s.SESSION_COOKIE_SECURE, len(s.SECRET_KEY) >= 50)"
    )
    result = run_manage("shell", "-v0", "-c", script, env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "False", "False", "True"]


def test_database_and_broker_come_from_the_environment() -> None:
    script = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)"
    result = run_manage("shell", "-v0", "-c", script, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "redis://127.0.0.1:6379/0"]


def test_migrations_are_committed() -> None:
    result = run_manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode == 0, result.stdout + result.stderr


def test_documents_are_kept_privately_on_disk_by_default_and_in_an_s3_bucket_by_setting() -> None:
    script = (
        "from django.conf import settings as s; d = s.STORAGES['documents'];"
        "print(d['BACKEND'], d['OPTIONS'].get('location', ''), d['OPTIONS'].get('bucket_name', ''),"
        " d['OPTIONS'].get('default_acl', ''), s.DOCUMENT_MAX_BYTES)"
    )
    default = run_manage("shell", "-c", script, env={"DOCUMENTS_ROOT": "/srv/private-documents"})
    assert default.stdout.splitlines()[-1].split() == [
        "django.core.files.storage.FileSystemStorage",
        "/srv/private-documents",
        str(10 * 1024 * 1024),
    ]  # no bucket, no ACL: nothing serves the store but the download view
    s3 = run_manage(
        "shell",
        "-c",
        script,
        env={"DOCUMENTS_STORAGE": "s3", "DOCUMENTS_BUCKET": "probation-documents", "DOCUMENT_MAX_MB": "5"},
    )
    assert s3.stdout.splitlines()[-1].split() == [
        "storages.backends.s3.S3Storage",
        "documents",  # the prefix within the bucket
        "probation-documents",
        "private",
        str(5 * 1024 * 1024),
    ]
    no_bucket = run_manage("check", env={"DOCUMENTS_STORAGE": "s3"})
    assert no_bucket.returncode != 0
    assert "DOCUMENTS_STORAGE=s3 needs DOCUMENTS_BUCKET" in no_bucket.stderr
