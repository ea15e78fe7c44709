"""The CEL binding, loaded without its command-line helper.

`import cel` also imports `cel.cli`, which pulls in prompt_toolkit and costs about 0.35 s at
every start-up (measured with `python -X importtime`). The compiled extension `cel.cel` holds
everything the scanner uses, so it is loaded directly; the plain import is the fallback.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def _load() -> ModuleType:
    if "cel.cel" in sys.modules:
        return sys.modules["cel.cel"]
    spec = importlib.util.find_spec("cel")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"cel{suffix}"
            if path.is_file():
                loader = importlib.machinery.ExtensionFileLoader("cel.cel", str(path))
                ext_spec = importlib.util.spec_from_file_location("cel.cel", path, loader=loader)
                if ext_spec is None:
                    continue
                module = importlib.util.module_from_spec(ext_spec)
                loader.exec_module(module)
                return module
    import cel  # pragma: no cover - a binding laid out differently

    return cel


cel = _load()
compile = cel.compile  # noqa: A001 - the binding's own name
