"""The project's scripts (benchmarks/, tools/, examples/) loaded as modules for their tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_script(relative: str, name: str | None = None, *, register: bool = False) -> ModuleType:
    """The script at ``relative`` (from the project root) as a module called ``name`` (its
    file's stem by default). Its folder is on the import path while it loads, as when it runs,
    so it finds the modules beside it; ``register`` also lists it in ``sys.modules``, where
    dataclasses and pickles look a module up."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    if register:
        sys.modules[spec.name] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module
