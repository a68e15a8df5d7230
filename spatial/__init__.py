"""Toàn Cảnh project core: settings, shared spatial utilities and roles."""
