# Kokous: one image for web (gunicorn), the Celery workers and beat.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH="/app/.venv/bin:$PATH"

# gettext compiles the translations below. Pango, HarfBuzz and the fonts draw the
# badges (WeasyPrint): DejaVu for Latin with the Sámi letters, Greek, Hebrew and
# Arabic, WenQuanYi Zen Hei for Chinese.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fontconfig fonts-dejavu-core fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv

WORKDIR /app
# Dependencies first: this layer stays cached while only the code changes.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-cache --python /usr/local/bin/python3

COPY . .
# A throwaway key only for these build steps; the real one comes from the environment.
RUN export SECRET_KEY=build-only-not-a-secret \
    && python manage.py collectstatic --noinput --verbosity 0 \
    && if find . -path ./.venv -prune -o -name "*.po" -print | grep -q .; then \
           python manage.py compilemessages --ignore .venv --verbosity 0; fi

RUN useradd --system --uid 1000 --home-dir /app kokous \
    && mkdir -p /app/var && chown -R kokous /app/var
USER kokous

EXPOSE 8000
# config/gunicorn.conf.py: threads (a request waiting for a lock holds one thread, so
# /healthz and the other pages keep answering) and the access log, secrets redacted.
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
