# Production image of Toàn Cảnh (see docker-compose.yml).
#   docker build -t toancanh/app .                                       web, migrations: no camera AI
#   docker build --build-arg IOC_EXTRAS=vision -t toancanh/app-vision .  also the camera AI workers (PyTorch)
# Every step that builds the application is a command of scripts/image_steps.sh; the test
# tests/test_production_build.py runs those RUN lines, in this order, in a scratch folder.

# The map wall (MapLibre bundle and Vietnamese glyphs): built here, only its output enters the image.
FROM node:20-bookworm-slim AS web_map
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/image_steps.sh scripts/
COPY web_map/frontend/package.json web_map/frontend/package-lock.json web_map/frontend/
RUN scripts/image_steps.sh web-map-deps
COPY web_map/frontend web_map/frontend
RUN scripts/image_steps.sh web-map

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gdal-bin libgdal-dev binutils \
      libproj-dev proj-bin curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# "" (the web, migrations and tiles) or "vision" (adds ultralytics and PyTorch for `ioc vision worker`).
ARG IOC_EXTRAS=""
COPY scripts/image_steps.sh scripts/
COPY pyproject.toml constraints.txt ./
RUN scripts/image_steps.sh python-deps
COPY . .
COPY --from=web_map /src/web_map/static/web_map web_map/static/web_map
RUN scripts/image_steps.sh app
ENV DJANGO_SETTINGS_MODULE=ioc.settings TZ=Asia/Ho_Chi_Minh
EXPOSE 8000
