"""The project's wiring: Django settings, the URL map, the WSGI/ASGI entry points and the `ioc`
command. It sits above every package it assembles; nothing imports it."""
