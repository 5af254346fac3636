"""Wheel build hook: ship the built-in library's YAML already parsed and its templates already
compiled (drafter/prebuilt.py).

A wheel without it is still complete (the first run parses the library, as every later run
would without a cache), so a failure here warns and goes on rather than failing the install.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads the checkout's own files
        root = Path(self.root)
        sys.path.insert(0, str(root))
        shipped: dict[str, bytes] = {}
        try:
            from drafter.prebuilt import make, make_compiled

            shipped["parsed.json"] = make(root / "clauses")
            shipped["compiled.json"] = make_compiled(root / "clauses")
        except Exception as exc:  # noqa: BLE001 - a slower first run, not a failed install
            self.app.display_warning(f"drafter: the built-in library is not shipped prepared ({exc})")
        finally:
            sys.path.remove(str(root))
        folder = Path(tempfile.mkdtemp(prefix="drafter-wheel-"))
        for name, data in shipped.items():
            (folder / name).write_bytes(data)
            build_data["force_include"][str(folder / name)] = f"drafter/_builtin/{name}"
