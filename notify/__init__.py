"""Notifications that leave the platform: e-mail, signed webhooks and MQTT topics, from one outbox."""
