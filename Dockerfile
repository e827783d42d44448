# The production image: gunicorn serves the web; the same image runs the Celery worker and beat.
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
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/static/build static/build
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0 \
 && useradd --system --home /app probation && chown -R probation /app
USER probation
EXPOSE 8000
CMD ["gunicorn", "probation.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
