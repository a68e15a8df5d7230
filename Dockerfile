# Production image of Toàn Cảnh (see docker-compose.yml).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gdal-bin libgdal-dev binutils \
      libproj-dev proj-bin curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt constraints-vision.txt pyproject.toml ./
# -c: torch/torchvision and OpenCV <5 pinned for the camera AI (HOG needs OpenCV 4). For a smaller CPU-only
# image add --extra-index-url https://download.pytorch.org/whl/cpu (the ONNX Runtime path needs no torch).
RUN pip install --no-cache-dir -c constraints-vision.txt -r requirements.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && IOC_SECRET_KEY=build ioc collectstatic --noinput -v0
ENV DJANGO_SETTINGS_MODULE=ioc.settings TZ=Asia/Ho_Chi_Minh
EXPOSE 8000
