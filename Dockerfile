# Joldosh bot image: python -m bot run (long polling, or webhook when WEBHOOK_URL is set).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/joldosh.sqlite3 \
    CONTENT_DIR=/app/content

WORKDIR /app

# Dependencies first (from pyproject.toml), so code edits reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; d = tomllib.load(open('pyproject.toml', 'rb')); \
print('\n'.join(d['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY bot/ bot/
COPY handlers/ handlers/
COPY content/ content/
# Refuse to build an image whose content is broken (this also trains the danger model once and
# caches its weights in /app/data/cache, keyed by the examples).
RUN python -m bot content check

RUN useradd --create-home --uid 10001 joldosh \
    && mkdir -p /data && chown joldosh:joldosh /data \
    && mkdir -p /app/data/cache && chown -R joldosh:joldosh /app/data
USER joldosh
VOLUME ["/data"]
EXPOSE 8080

CMD ["python", "-m", "bot", "run"]
