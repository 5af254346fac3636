"""The kinds of jurisdiction a draft can be for (kept free of heavy imports: the CLI's
option choices read it at start-up). ``drafter.models.Kind`` is the same list."""

KINDS: tuple[str, ...] = ("city", "county", "city-and-county", "town", "village", "borough",
                          "township", "parish", "state")
