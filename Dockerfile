# The production image: gunicorn serves the web; the same image runs the Celery worker and beat.
# .dockerignore keeps tests, development and operational tooling, and local state out of the build context.

# Compiles the Sass and gathers GOV.UK / MoJ Frontend assets; npm ci installs devDependencies too (sass).
# Only the compiled static/build/ leaves this stage: the product image has no node_modules.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json Makefile ./
COPY static/src static/src
RUN npm ci --no-audit --no-fund --loglevel=error \
 && apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/* \
 && make assets

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=probation.settings
WORKDIR /app
# The runtime lock only: no test, lint or type-checking tools in production.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
RUN groupadd --system --gid 10001 probation \
 && useradd --system --uid 10001 --gid probation --home-dir /app --no-create-home --shell /usr/sbin/nologin probation
# The code stays owned by root, read-only to the app; it writes only var/ (and static files are collected at build).
COPY . .
COPY --from=assets /app/static/build static/build
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0 \
 && mkdir -p var/documents \
 && chown -R probation:probation var staticfiles
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "probation.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
