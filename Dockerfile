# Production image of Toàn Cảnh (see docker-compose.yml).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gdal-bin libgdal-dev binutils \
      libproj-dev proj-bin curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && IOC_SECRET_KEY=build ioc collectstatic --noinput -v0
ENV DJANGO_SETTINGS_MODULE=spatial.settings TZ=Asia/Ho_Chi_Minh
EXPOSE 8000
