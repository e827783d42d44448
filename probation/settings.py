"""One settings module, read from the environment.

With no environment at all it runs the embedded quick-start: SQLite and a file-system
Celery broker, so web, worker and beat run on a machine with no servers installed.
Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY,
DEBUG=false and ALLOWED_HOSTS.
"""

import importlib.util
import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key() -> str:
    """SECRET_KEY from the environment; the embedded quick-start makes and keeps one of its own."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = "Manage people on probation"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "probation",
    "regions",
    "cases",
    "interventions",
]
# Operational tooling (bench, loadtest, seed_demo commands) is named here only so its commands are found where
# it is checked out: the product never imports it, and the production image leaves it out (.dockerignore).
if importlib.util.find_spec("tools") is not None:
    INSTALLED_APPS.append("tools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "probation.db_router.ReadYourWritesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "probation.sessions.IdleTimeoutMiddleware",
    "probation.access.RoleRequiredMiddleware",
    "probation.idempotency.OnceOnlyMiddleware",
    "probation.security_headers.SecurityHeadersMiddleware",
    "probation.request_checks.RefuseNulMiddleware",  # last: before any process_view looks up a NUL
]

ROOT_URLCONF = "probation.urls"
WSGI_APPLICATION = "probation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "probation.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: pages run short queries whose estimated cost can still pass jit_above_cost,
    # and compiling them cost My cases about 2 s at national scale. Random reads priced for SSDs (1.1, not
    # the spinning-disk default of 4): with 4 the team dashboard's workload query scanned every sentence
    # (55 ms) where index lookups take 6 ms (docs/BENCHMARKS.md). Parallel workers only for a query big
    # enough to repay starting them (setup priced at 10000, not 1000): a page's aggregates of a few ms each
    # were planned with one, whose start cost 7-10 ms a query (the team dashboard's SQL 135-175 ms, 70-90
    # without), while the rollup job's scans of every obligation still get theirs.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c random_page_cost=1.1 -c parallel_setup_cost=10000"
    )
    # Statements prepared on the server once a connection has run them a few times (psycopg's automatic
    # preparation, which needs server-side parameters): PostgreSQL then parses and plans a page's statements
    # once a connection, not on every request. Planning was most of their cost at national scale: the ledger
    # refresh's one read of a case (15 querysets in one UNION ALL) took 9.6 ms, 2.7 ms prepared; a contact
    # logged 29-35 ms, 22-24 prepared (docs/BENCHMARKS.md). DATABASE_PREPARE_THRESHOLD=off binds parameters in
    # the client as before, for a pooler that cannot keep prepared statements (PgBouncer in transaction mode
    # before 1.21, or without max_prepared_statements): server-side parameters unprepared cost more than either.
    PREPARE_THRESHOLD = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
    if PREPARE_THRESHOLD != "off":
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": int(PREPARE_THRESHOLD)}
# A PostgreSQL streaming replica for the reads that may be a few seconds old (probation/db_router.py): the
# performance pages and downloads, kpi_report, export_cases, the rollup and recount jobs' counts.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # A replica that does not answer must not hold a page: a connection is given up after 2 s, and one whose
    # sent data goes unacknowledged for 5 s (the network lost) is dropped; its state then reads "down" and the
    # primary is read. (A server that is stopped but still acknowledges is not caught: docs/DEPLOYMENT.md.)
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": 2,
        "tcp_user_timeout": 5000,
    }
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the primary's test database through it
DATABASE_ROUTERS = ["probation.db_router.ReplicaRouter"]
# Read-your-writes: after changing something, a user reads from the primary for this long.
REPLICA_READ_YOUR_WRITES_SECONDS = int(os.environ.get("REPLICA_READ_YOUR_WRITES_SECONDS", "10"))
# Past this lag (or when it is down) the replica is not read; its state is checked at most this often.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "30"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "5"))
# A job that must count what was just committed waits this long for the replica to replay it, then reads the primary.
REPLICA_CATCH_UP_SECONDS = float(os.environ.get("REPLICA_CATCH_UP_SECONDS", "5"))
# The shared cache (probation/reference.py: the reference lists the forms offer). Production and the load test
# set CACHE_URL to a Redis database, shared by every web worker and machine; without it each process keeps its
# own (fine for one process: the tests, the quick-start, `manage.py bench`). Keys are prefixed with the database
# name, so databases never read each other's lists.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL.startswith("redis")
        # file:///path: one machine's processes share it (the quick-start: two web workers and a Celery worker)
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": CACHE_URL[len("file://") :]}
        if CACHE_URL.startswith("file://")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_PREFIX"] = str(DATABASES["default"].get("NAME", ""))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering-index columns (INCLUDE) are a PostgreSQL speed-up; the SQLite quick-start simply goes without.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["probation.auth.LockOutBackend"]
# Argon2id at OWASP's cost (probation/passwords.py); the others only verify passwords kept before, and each is
# kept again with the first when its owner signs in.
PASSWORD_HASHERS = [
    "probation.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The accessibility statement's contact (probation/views.py has the defaults): the service owner sets these.
for _name in ("SERVICE_OWNER_NAME", "SERVICE_OWNER_EMAIL", "SERVICE_OWNER_PHONE"):
    if os.environ.get(_name):
        globals()[_name] = os.environ[_name]
# Addresses (or networks) of the proxies in front of the service whose X-Forwarded-For is believed, for the
# sign-in lock-out and the session list (probation/throttle.py). Empty: the connecting address is the client.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy.strip(), strict=False))  # a mistyped address stops the start, loudly
    for proxy in os.environ.get("TRUSTED_PROXIES", "").split(",")
    if proxy.strip()
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed static files (collectstatic) in production; plain finders where nothing is collected.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Documents on a case (cases/documents): private, never under STATIC_ROOT nor served by whitenoise or the web
# server; read back only through the download view, which applies the case's access rules and audits. On the
# file system by default (DOCUMENTS_ROOT, var/documents); in an S3-compatible bucket with DOCUMENTS_STORAGE=s3
# (django-storages: DOCUMENTS_BUCKET, and DOCUMENTS_S3_ENDPOINT_URL and DOCUMENTS_S3_REGION for a store other
# than AWS; credentials the AWS way, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the machine's role).
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT", VAR_DIR / "documents"))
MEDIA_ROOT = DOCUMENTS_ROOT  # nothing is served from it: there is no MEDIA_URL
DOCUMENTS_STORAGE = os.environ.get("DOCUMENTS_STORAGE", "filesystem").strip().lower()


def _no_bucket() -> str:
    raise ValueError("DOCUMENTS_STORAGE=s3 needs DOCUMENTS_BUCKET")  # the start fails, loudly


if DOCUMENTS_STORAGE == "s3":
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("DOCUMENTS_BUCKET") or _no_bucket(),
            "endpoint_url": os.environ.get("DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DOCUMENTS_S3_REGION") or None,
            "location": os.environ.get("DOCUMENTS_S3_PREFIX", "documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif DOCUMENTS_STORAGE == "filesystem":
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(DOCUMENTS_ROOT),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
else:
    raise ValueError(f"DOCUMENTS_STORAGE must be filesystem or s3, not {DOCUMENTS_STORAGE!r}")
# The largest document accepted (DOCUMENT_MAX_MB, 10 by default): probation.uploads stops reading a file past it.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "10")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "probation.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file while the request is read
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the form's other fields
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Sessions: an officer's working day at most, ended when the browser closes, or after 30 minutes without
# activity (a warning shows 2 minutes before, with a button to stay signed in).
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# At most a working day from signing in, however active (docs/SECURITY.md): the idle time-out slides, this does not.
SESSION_ABSOLUTE_LIFETIME = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "10")) * 60 * 60
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_TIMEOUT_WARNING = 120
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy and the other headers: probation/security_headers.py

# HTTPS_ONLY=true in production (behind a TLS-terminating proxy); the embedded quick-start serves
# plain HTTP on localhost. /healthz stays reachable over HTTP for the container health checks.
HTTPS_ONLY = env_bool("HTTPS_ONLY", False)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@probation.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The test suite's check that a case change which says it wrote one event's facts (CaseChange.within) moved no
# other event's obligations: two derivations of the whole case per change, so for tests only (tests/conftest.py).
CASE_CHANGE_CHECK_SCOPE = env_bool("CASE_CHANGE_CHECK_SCOPE", False)

# Celery: Redis in production; with no broker configured, a file-system queue under var/
# so the quick-start's worker and beat run with no server.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {
        "visibility_timeout": 60 * 60,
        # A Redis that hangs without closing its connections (a stopped process, a lost network) would otherwise
        # hold a web request queuing a job, or the health check, for ever: fail in seconds instead.
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
)
# Queuing a job from a request tries three times in about a second, then gives up: the change is saved
# and the catch-up job sends the work when the broker is back (cases.tasks.catch_up).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
if CELERY_BROKER_URL.startswith("filesystem"):
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "probation.tasks.heartbeat", "schedule": 60.0},
    # Beat sends each job once and drops it if the broker is down: this sends again any run that was lost.
    "catch-up": {"task": "cases.tasks.catch_up", "schedule": 60.0},
    # Nightly: the month's contact obligations, states, overdue flags and due-soon reminders (catches up).
    "standards-sweep": {"task": "cases.tasks.standards_sweep", "schedule": crontab(hour=1, minute=30)},
    "standards-digest": {"task": "cases.tasks.standards_digest", "schedule": crontab(hour=6, minute=30)},
    "performance-rollup": {"task": "regions.tasks.performance_rollup", "schedule": crontab(hour=2, minute=45)},
    "purge-expired": {"task": "probation.tasks.purge_expired", "schedule": crontab(hour=3, minute=15)},
    # Every few minutes: recount only the months a change to a case made out of date (issue 19, "Fresh").
    "performance-recount": {"task": "regions.tasks.performance_recount", "schedule": crontab(minute="*/3")},
    "workload-snapshot": {"task": "regions.tasks.workload_snapshot", "schedule": crontab(hour=2, minute=15)},
    "standards-open-month": {
        "task": "cases.tasks.standards_open_month",
        "schedule": crontab(day_of_month="1", hour=0, minute=5),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "probation.log_redaction.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (a console copy when DEBUG, and tracebacks mailed to ADMINS) would bypass the
        # redacting formatter: everything goes through the one console handler instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},  # SQL parameters are people's details
    },
}
