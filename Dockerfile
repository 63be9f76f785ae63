# syntax=docker/dockerfile:1
# The registry's image (README, Deployment): the wheel is built with GraphiQL's npm assets in builder
# stages and installed in a slim runtime stage that runs as a non-root user, with its data directory
# on a volume. tests/config/test_packaging.py runs the npm, wheel and install RUN steps below verbatim
# in a fresh virtual environment (no Docker daemon needed), then serves the installed wheel.

# GraphiQL's assets, from the lock file (config/graphiql/package-lock.json), never from a CDN.
FROM node:22-slim AS graphiql
WORKDIR /src
COPY config/graphiql/package.json config/graphiql/package-lock.json config/graphiql/
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix config/graphiql

# The wheel: the code, the console, the reference data and GraphiQL's four assets (pyproject.toml).
FROM python:3.11-slim AS wheel
ENV WHEELS=/wheels
WORKDIR /src
COPY . .
COPY --from=graphiql /src/config/graphiql/node_modules config/graphiql/node_modules
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir "$WHEELS" .

# The runtime: the installed wheel and its pinned dependencies; no source, no compiler, no npm.
FROM python:3.11-slim AS runtime
ENV WHEELS=/wheels
# The wheel is mounted for this step only, so that it takes no layer of the image.
RUN --mount=type=bind,from=wheel,source=/wheels,target=/wheels \
    python -m pip install --no-cache-dir "$WHEELS"/mandates-*.whl
RUN useradd --system --uid 10001 --create-home mandates && mkdir -p /data && chown mandates /data
# The SQLite database (when MANDATES_DATABASE_URL is unset) and the development seal pair.
ENV MANDATES_DATA_DIR=/data PYTHONUNBUFFERED=1
VOLUME /data
USER mandates
WORKDIR /home/mandates
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["mandates", "serve", "--host", "0.0.0.0", "--port", "8000"]
