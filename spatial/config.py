"""Typed, validated configuration read once from IOC_* environment variables."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = BASE_DIR / "var"


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message says which and how to fix it."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use true or false")


def _number(name: str, default, cast: type, kind: str):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return cast(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not {kind}") from exc


def _int(name: str, default: int) -> int:
    return _number(name, default, int, "an integer")


def _at_least_one(name: str, default: int) -> int:
    if (value := _int(name, default)) < 1:
        raise ConfigError(f"{name}={value} must be 1 or more")
    return value


def _not_negative(name: str, default: int) -> int:
    if (value := _int(name, default)) < 0:
        raise ConfigError(f"{name}={value} must be 0 (no limit) or more")
    return value


def _float(name: str, default: float) -> float:
    return _number(name, default, float, "a number")


def _list(name: str, default: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, default).split(",") if part.strip())


def _networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Addresses and CIDR ranges, comma-separated: 10.0.0.5, 172.16.0.0/12, ::1."""
    try:
        return tuple(ipaddress.ip_network(part, strict=False) for part in _list(name, ""))
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}; give addresses or ranges, e.g. 10.0.0.5,172.16.0.0/12") from exc


@dataclass(frozen=True)
class DatabaseConfig:
    """Connection parameters parsed from a postgres:// URL."""

    name: str
    user: str
    password: str
    host: str
    port: int

    @classmethod
    def from_url(cls, url: str) -> DatabaseConfig:
        parsed = urlparse(url)
        if parsed.scheme not in {"postgres", "postgresql", "postgis"}:
            raise ConfigError(
                f"DATABASE_URL must start with postgres://, got {parsed.scheme or 'nothing'!r}"
            )
        name = parsed.path.lstrip("/")
        if not name:
            raise ConfigError("DATABASE_URL names no database, e.g. postgres://user@host:5432/toancanh")
        return cls(
            name=unquote(name),
            user=unquote(parsed.username or "postgres"),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
        )

    @classmethod
    def of_django(cls) -> DatabaseConfig:
        """Django's default database as it is now (under pytest, the test database)."""
        from django.conf import settings

        db = settings.DATABASES["default"]
        return cls(name=db["NAME"], user=db["USER"], password=db["PASSWORD"] or "", host=db["HOST"],
                   port=int(db["PORT"]))

    def as_url(self) -> str:
        auth = quote(self.user, safe="") + (f":{quote(self.password, safe='')}" if self.password else "")
        return f"postgresql://{auth}@{self.host}:{self.port}/{quote(self.name, safe='')}"


def _secret_key() -> str:
    """The secret key from IOC_SECRET_KEY, else one generated once and kept under var/."""
    if key := os.environ.get("IOC_SECRET_KEY"):
        return key
    path = STATE_DIR / "secret_key"
    if not path.exists():
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


VISION_DEFAULT_WEIGHTS = "vision/models/toancanh-pico.onnx"  # shipped, trained by `ioc vision train`


@dataclass(frozen=True)
class VisionConfig:
    """Camera AI settings (IOC_VISION_*): model, sampling, threads, retention, worker supervision."""

    weights: Path
    detector: str  # onnx | ultralytics | hog | dotted.path.Class
    sample_fps: float
    threads: int
    confidence: float
    batch_frames: int
    evidence_days: float
    detection_days: int
    stalled_s: float
    heartbeat_s: float

    @classmethod
    def from_env(cls) -> VisionConfig:
        config = cls(
            weights=Path(os.environ.get("IOC_VISION_WEIGHTS", str(BASE_DIR / VISION_DEFAULT_WEIGHTS))),
            detector=os.environ.get("IOC_VISION_DETECTOR", "onnx"),
            sample_fps=_float("IOC_VISION_SAMPLE_FPS", 10.0),
            threads=_int("IOC_VISION_THREADS", 1),
            confidence=_float("IOC_VISION_CONFIDENCE", 0.3),
            batch_frames=_int("IOC_VISION_BATCH_FRAMES", 20),
            evidence_days=_float("IOC_VISION_EVIDENCE_DAYS", 30.0),
            detection_days=_int("IOC_VISION_DETECTION_DAYS", 180),
            stalled_s=_float("IOC_VISION_STALLED_S", 30.0),
            heartbeat_s=_float("IOC_VISION_HEARTBEAT_S", 10.0),
        )
        if config.sample_fps <= 0 or config.threads < 1 or config.batch_frames < 1:
            raise ConfigError(
                "IOC_VISION_SAMPLE_FPS, IOC_VISION_THREADS and IOC_VISION_BATCH_FRAMES must be above 0"
            )
        if config.heartbeat_s >= config.stalled_s:
            raise ConfigError("IOC_VISION_HEARTBEAT_S must be shorter than IOC_VISION_STALLED_S")
        return config


@dataclass(frozen=True)
class NotifyConfig:
    """Notifications (notify): the SMTP relay (IOC_EMAIL_*), the MQTT broker, time limits and retries."""

    email_host: str  # IOC_EMAIL_HOST: the SMTP relay; empty: no e-mail is queued
    email_port: int
    email_from: str  # IOC_EMAIL_FROM: the From of every message, e.g. Toàn Cảnh <noreply@ioc.example.gov.vn>
    email_user: str
    email_password: str
    email_tls: bool  # IOC_EMAIL_TLS: STARTTLS on the port (587)
    email_ssl: bool  # IOC_EMAIL_SSL: TLS from the first byte (465)
    mqtt_url: str  # IOC_MQTT_URL: mqtt://[user:password@]host:port or mqtts://…; empty: nothing is published
    timeout_s: float  # IOC_NOTIFY_TIMEOUT_S: one webhook POST, SMTP or MQTT exchange
    attempts: int  # IOC_NOTIFY_ATTEMPTS: tries of one delivery before it is marked failed
    backoff_s: float  # IOC_NOTIFY_BACKOFF_S: the n-th retry waits backoff_s ** n seconds

    @classmethod
    def from_env(cls) -> NotifyConfig:
        config = cls(
            email_host=os.environ.get("IOC_EMAIL_HOST", ""),
            email_port=_at_least_one("IOC_EMAIL_PORT", 25),
            email_from=os.environ.get("IOC_EMAIL_FROM", "Toàn Cảnh <noreply@localhost>"),
            email_user=os.environ.get("IOC_EMAIL_USER", ""),
            email_password=os.environ.get("IOC_EMAIL_PASSWORD", ""),
            email_tls=_bool("IOC_EMAIL_TLS", False),
            email_ssl=_bool("IOC_EMAIL_SSL", False),
            mqtt_url=os.environ.get("IOC_MQTT_URL", "mqtt://127.0.0.1:1883"),
            timeout_s=_float("IOC_NOTIFY_TIMEOUT_S", 5.0),
            attempts=_at_least_one("IOC_NOTIFY_ATTEMPTS", 8),
            backoff_s=_float("IOC_NOTIFY_BACKOFF_S", 4.0),
        )
        if config.email_tls and config.email_ssl:
            raise ConfigError("IOC_EMAIL_TLS and IOC_EMAIL_SSL exclude each other; 587 uses TLS, 465 SSL")
        if config.mqtt_url and urlparse(config.mqtt_url).scheme not in {"mqtt", "mqtts"}:
            raise ConfigError(f"IOC_MQTT_URL={config.mqtt_url!r}: give mqtt://host:port, mqtts://… or empty")
        if config.timeout_s <= 0 or config.backoff_s <= 1:
            raise ConfigError("IOC_NOTIFY_TIMEOUT_S must be above 0 and IOC_NOTIFY_BACKOFF_S above 1")
        return config


@dataclass(frozen=True)
class Config:
    """Everything the platform reads from its environment, validated at start-up."""

    debug: bool
    secret_key: str
    database: DatabaseConfig
    allowed_hosts: tuple[str, ...]
    production: bool
    media_root: Path
    max_upload_mb: int
    redis_url: str
    tile_cache_dir: Path
    tile_cache_mb: int  # IOC_TILE_CACHE_MB: the vector tile cache's size; when full it is emptied
    db_pool_size: int
    tile_pool_size: int  # IOC_TILE_POOL_SIZE: connections per web worker for tile queries
    raster_dir: Path
    mapproxy_dir: Path
    live_max_clients: int  # IOC_LIVE_MAX_CLIENTS: live-feed (SSE) clients per web worker
    live_heartbeat_seconds: int  # IOC_LIVE_HEARTBEAT_SECONDS: comment sent to idle live clients
    feedback_per_hour: int  # IOC_FEEDBACK_PER_HOUR: citizen reports one client address may file an hour
    vision: VisionConfig
    notify: NotifyConfig
    # IOC_TRUSTED_PROXIES: reverse proxies whose X-Forwarded-Host/-Proto and X-Script-Name are believed
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    live_max_per_client: int = 4  # IOC_LIVE_MAX_PER_CLIENT: live-feed clients per address per worker
    live_recheck_seconds: int = 5  # IOC_LIVE_RECHECK_SECONDS: a live client's credentials are re-checked
    # IOC_STATEMENT_TIMEOUT_MS: the longest one SQL statement of a request may run (0: no limit; `ioc serve`
    # sets 20 s, command-line jobs such as imports have none); IOC_WRITE_TIMEOUT_MS: the same for edits
    statement_timeout_ms: int = 0
    write_timeout_ms: int = 120_000
    # IOC_LAYER_APPS: more Django apps that declare layers (models and a `catalog` module), e.g. a
    # province's own subsystems; see docs/adding-a-layer.md
    layer_apps: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            debug=_bool("IOC_DEBUG", False),
            secret_key=_secret_key(),
            database=DatabaseConfig.from_url(
                os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toancanh")
            ),
            allowed_hosts=_list("IOC_ALLOWED_HOSTS", "127.0.0.1,localhost"),
            production=_bool("IOC_PRODUCTION", False),
            media_root=Path(os.environ.get("IOC_MEDIA_ROOT", str(STATE_DIR / "media"))),
            max_upload_mb=_int("IOC_MAX_UPLOAD_MB", 200),
            redis_url=os.environ.get("IOC_REDIS_URL", ""),
            db_pool_size=_int("IOC_DB_POOL_SIZE", 10),
            tile_pool_size=_int("IOC_TILE_POOL_SIZE", 4),
            raster_dir=Path(os.environ.get("IOC_RASTER_DIR", str(STATE_DIR / "rasters"))),
            mapproxy_dir=Path(os.environ.get("IOC_MAPPROXY_DIR", str(STATE_DIR / "mapproxy"))),
            tile_cache_dir=Path(os.environ.get("IOC_TILE_CACHE_DIR", str(STATE_DIR / "tiles"))),
            tile_cache_mb=_int("IOC_TILE_CACHE_MB", 4096),
            live_max_clients=_at_least_one("IOC_LIVE_MAX_CLIENTS", 8),
            live_heartbeat_seconds=_at_least_one("IOC_LIVE_HEARTBEAT_SECONDS", 10),
            feedback_per_hour=_at_least_one("IOC_FEEDBACK_PER_HOUR", 5),
            vision=VisionConfig.from_env(),
            notify=NotifyConfig.from_env(),
            trusted_proxies=_networks("IOC_TRUSTED_PROXIES"),
            live_max_per_client=_at_least_one("IOC_LIVE_MAX_PER_CLIENT", 4),
            live_recheck_seconds=_at_least_one("IOC_LIVE_RECHECK_SECONDS", 5),
            statement_timeout_ms=_not_negative("IOC_STATEMENT_TIMEOUT_MS", 0),
            write_timeout_ms=_not_negative("IOC_WRITE_TIMEOUT_MS", 120_000),
            layer_apps=_list("IOC_LAYER_APPS", ""),
        )

