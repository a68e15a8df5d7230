"""The notification settings come from IOC_EMAIL_*, IOC_MQTT_URL and IOC_NOTIFY_*, checked at start-up."""

from __future__ import annotations

import pytest

from spatial.config import ConfigError, NotifyConfig


def test_defaults_publish_on_the_local_broker_and_send_no_mail(monkeypatch):
    for name in ("IOC_EMAIL_HOST", "IOC_MQTT_URL", "IOC_NOTIFY_ATTEMPTS", "IOC_NOTIFY_BACKOFF_S"):
        monkeypatch.delenv(name, raising=False)
    config = NotifyConfig.from_env()
    assert (config.email_host, config.mqtt_url, config.attempts, config.backoff_s) == (
        "", "mqtt://127.0.0.1:1883", 8, 4.0)


def test_an_empty_mqtt_url_switches_mqtt_off(monkeypatch):
    monkeypatch.setenv("IOC_MQTT_URL", "")
    assert NotifyConfig.from_env().mqtt_url == ""


@pytest.mark.parametrize(("env", "message"), [
    ({"IOC_MQTT_URL": "http://broker:1883"}, "IOC_MQTT_URL"),
    ({"IOC_EMAIL_TLS": "true", "IOC_EMAIL_SSL": "true"}, "exclude each other"),
    ({"IOC_NOTIFY_BACKOFF_S": "1"}, "IOC_NOTIFY_BACKOFF_S"),
    ({"IOC_NOTIFY_ATTEMPTS": "0"}, "IOC_NOTIFY_ATTEMPTS"),
    ({"IOC_EMAIL_PORT": "smtp"}, "IOC_EMAIL_PORT"),
])
def test_a_wrong_setting_stops_start_up_naming_it(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        NotifyConfig.from_env()
