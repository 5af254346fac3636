"""``drafter serve``: the guided interview in a web browser, on the in-memory core.

Optional: ``pip install 'drafter[web]'`` (Flask and waitress). See docs/cli.md.
"""

from drafter.web.app import create_app, serve

__all__ = ["create_app", "serve"]
