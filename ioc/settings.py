"""Django settings for Toàn Cảnh; every value comes from spatial.config.Config (IOC_* variables)."""

from datetime import timedelta

from spatial.config import STATE_DIR, Config

CONFIG = Config.from_env()

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "spatial",
    "layers",
    "workdays",
    "notify",
    "etl",
    "feedback",
    "alerts",  # alert rules, alerts, CAP
    "response",  # incidents' SOPs, steps, nearest resources
    "directives",  # leaders' directives to units
    "indicators",  # the leaders' figures: indicator catalogue, units, values, targets
    "health",  # the epidemic watch: cases per commune and day, isolation and vaccination sites
    "django_fsm_log",  # the history of each report's transitions (who, when, the public text)
    "democity",
    "services",
    "tiles",
    "vision",
    "web_map",
    "briefings",  # the leaders' weekly and monthly briefings (PDF, XLSX, e-mail)
    "procrastinate.contrib.django",
    "axes",
    *CONFIG.layer_apps,  # a province's own layers: models and a catalog module (docs/adding-a-layer.md)
]

# Headers every response carries; tiles.lane wraps anonymous tiles in these alone.
HEADER_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spatial.security_headers.SecurityHeadersMiddleware",
]
MIDDLEWARE = [
    *HEADER_MIDDLEWARE,
    "spatial.compression.CompressionMiddleware",  # gzip for JSON, HTML and static files (not SSE)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "spatial.auth.HeaderAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "spatial.error_responses.ErrorMiddleware",
    "spatial.database_health.ReadRetryMiddleware",  # after ErrorMiddleware: sees a lost connection first
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a locked sign-in into its 429
]

ROOT_URLCONF = "ioc.urls"
WSGI_APPLICATION = "ioc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_OPTIONS: dict = {"pool": {"min_size": 1, "max_size": CONFIG.db_pool_size, "timeout": 5,
                                   "reconnect_timeout": 5}} if CONFIG.db_pool_size else {}
if CONFIG.statement_timeout_ms:  # the server's statements stop there (spatial.errors.StatementTimeout)
    DATABASE_OPTIONS["options"] = f"-c statement_timeout={CONFIG.statement_timeout_ms}"
DATABASES = {
    "default": {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": CONFIG.database.name,
        "USER": CONFIG.database.user,
        "PASSWORD": CONFIG.database.password,
        "HOST": CONFIG.database.host,
        "PORT": CONFIG.database.port,
        # a pool per worker: a new PostgreSQL connection (and PostGIS load) per request costs more than
        # most requests do (docs/benchmarks.md).
        # While the database is down a request waits `timeout` s for a connection, then answers 503;
        # the pool tries to connect (1 s, then 2 s apart) for as long, then again on the next request,
        # so it finds the database within about 2 s of its return (spatial.database_health).
        "OPTIONS": DATABASE_OPTIONS,
        "CONN_MAX_AGE": 0 if CONFIG.db_pool_size else 60,
        "CONN_HEALTH_CHECKS": True,  # a pooled or kept connection is checked before use: restarts go unseen
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Sign-in throttling (spatial.login_throttle): django-axes first, refusing before password hashing.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "spatial.login_throttle.SignInAttempts"  # attempts in the database: every worker sees them
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "spatial.client_address.client_address"  # X-Forwarded-For of trusted proxies
AXES_FAILURE_LIMIT = 10  # failures of one username at one client address
SIGNIN_FAILURE_LIMIT_PER_ADDRESS = 30  # failures of one client address, whatever the usernames
AXES_COOLOFF_TIME = timedelta(minutes=15)  # after the last counted failure
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # refused tries do not extend a lock
AXES_LOCKOUT_CALLABLE = "spatial.login_throttle.lockout_response"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# One shared cache: Redis in production (IOC_REDIS_URL), process memory otherwise.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CONFIG.redis_url}
        if CONFIG.redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TILE_CACHE_DIR = CONFIG.tile_cache_dir
TILE_CACHE_MB = CONFIG.tile_cache_mb
IOC_FEEDBACK_PER_HOUR = CONFIG.feedback_per_hour  # feedback.intake
RASTER_DIR = CONFIG.raster_dir
MAPPROXY_DIR = CONFIG.mapproxy_dir

# Camera AI: typed settings (IOC_VISION_*) and the procrastinate task queue on the same database.
VISION = CONFIG.vision
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": VISION.heartbeat_s,
    "stalled_worker_timeout": VISION.stalled_s,
    "delete_jobs": "successful",
}

# Notifications (notify): Django's mail through the SMTP relay, the MQTT broker, webhook limits and retries.
NOTIFY = CONFIG.notify
EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = NOTIFY.email_host, NOTIFY.email_port, NOTIFY.timeout_s
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = NOTIFY.email_user, NOTIFY.email_password
EMAIL_USE_TLS, EMAIL_USE_SSL = NOTIFY.email_tls, NOTIFY.email_ssl
DEFAULT_FROM_EMAIL = SERVER_EMAIL = NOTIFY.email_from

STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # app static files (the map bundle) are served even before collectstatic
STATIC_ROOT = STATE_DIR / "static"
# Vite names the bundle's files by their content (main-BTH65FDS.js): cached for a year, never revalidated
STORAGES = {  # collectstatic writes a .gz (and .br with brotli installed) beside each file for WhiteNoise
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/static/web_map/assets/.+-[0-9A-Za-z_-]{8}\.\w+$"
MEDIA_URL = "media/"
MEDIA_ROOT = CONFIG.media_root
DATA_UPLOAD_MAX_MEMORY_SIZE = CONFIG.max_upload_mb * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: strict by default, cookies secure whenever the platform runs in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CONFIG.production
CSRF_COOKIE_SECURE = CONFIG.production
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if CONFIG.production:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # pygeoapi logs every client error with a traceback; ours are logged by spatial.error_responses
    # axes: each failure and lock at WARNING; its INFO lines narrate every attempt
    "loggers": {"pygeoapi": {"level": "CRITICAL"}, "axes": {"level": "WARNING"}},
}

SILENCED_SYSTEM_CHECKS = ["gis.W001"]  # Debian 12 ships GDAL 3.6; file access is not user-driven here
