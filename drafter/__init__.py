"""drafter: model local ordinances with commentary, from a clause library.

The Python API (docs/python-api.md)::

    import drafter

    draft = drafter.build({"jurisdiction": {"name": "Springfield", "kind": "city", "state": "IL"}})
    open("springfield.docx", "wb").write(draft.render("docx"))

Names are imported on first use, so ``import drafter`` (and ``drafter --help``) stays fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

_EXPORTS = {
    "build": "drafter.core", "Draft": "drafter.core", "BuildOptions": "drafter.core",
    "read_answers": "drafter.core", "parse_answers": "drafter.core",
    "answers_from_mapping": "drafter.core", "get_library": "drafter.core",
    "FORMATS": "drafter.core", "find_state": "drafter.lookup",
    "DrafterError": "drafter.errors", "Problem": "drafter.errors",
    "load_library": "drafter.library", "Library": "drafter.library",
    "Answers": "drafter.models", "analyze": "drafter.api", "check": "drafter.api",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

def __getattr__(name: str) -> object:  # (no typing import: it costs start-up time)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'drafter' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
