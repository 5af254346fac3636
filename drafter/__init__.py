"""drafter: model local ordinances with commentary, from a clause library."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
