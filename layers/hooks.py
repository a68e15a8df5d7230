"""Hooks named in a layer's declaration, loaded by dotted path as pygeoapi's `load_plugin` loads
providers: the declaration says "package.module:function" and whoever runs the hook imports it.

The catalog never imports a hook itself, so a declaration on a low floor (layers) may name code on
a higher one (the demo city's generators) without an upward import.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module


class HookError(ImportError):
    """A hook's path does not import or does not name a callable."""


def load_hook(path: str) -> Callable:
    """The callable named "package.module:function" (or "package.module.function")."""
    module_name, _, name = path.partition(":") if ":" in path else path.rpartition(".")
    if not module_name or not name:
        raise HookError(f"{path!r} is not 'package.module:function'")
    try:
        module = import_module(module_name)
    except ImportError as error:
        raise HookError(f"module {module_name!r} does not import ({error})") from error
    hook = getattr(module, name, None)
    if not callable(hook):
        raise HookError(f"{module_name!r} has no function {name!r}")
    return hook
