"""Every resource limit that keeps an untrusted clause library or input file from hanging or
exhausting a build, in one place. docs/security.md explains each one and how to change it.

The modules that enforce them read these names at run time (``limits.MAX_OUTPUT``), so a
test or an embedding program may lower one with ``monkeypatch``/``setattr``.
"""

from __future__ import annotations

# Templates (clause text, commentary, findings, definitions), per render of one piece.
MAX_OUTPUT = 200_000  # characters a piece may write, counted wherever written (macros and blocks too)
MAX_VALUE = 200_000  # longest string or list a template may build (join, replace, ~, +, method results)
MAX_REPEAT = 10_000  # largest result of repeating a string or list with *
MAX_INT = 10**12  # largest number a template may compute
MAX_LOOP_ITERATIONS = 10_000  # loop iterations in one render, all loops together
MAX_CALL_DEPTH = 50  # calls nested inside calls (a macro calling itself)
MAX_RENDER_SECONDS = 2.0  # wall-clock time for one render, checked at every loop step, call and filter
MAX_NESTING = 50  # depth of blocks and expressions inside one another
MAX_LOOP_NESTING = 10  # {% for %} loops inside one another (Python allows 20 nested blocks)
MAX_TEMPLATE_NODES = 20_000  # template elements; the largest built-in clause has about 120

# Files (clauses, definitions, authorities, presets, states, answers files).
MAX_FILE_BYTES = 1_000_000  # a clause or answers file is a few KB; refuse anything absurd
MAX_YAML_EXPANSION = 2_000_000  # nodes + scalar characters after following every alias (&a / *a)
MAX_YAML_DEPTH = 100  # mappings and lists inside one another

# The private cache folder (drafter/parse_cache.py): parsed YAML, compiled templates, check results.
MAX_CACHE_ENTRY_BYTES = 4_000_000  # a larger parse is not cached (and a larger file is not read)
# The folder is pruned, least recently used first, past this size. A library of N clauses takes
# about 8 KB a clause (parse ~2.3 KB, compiled templates ~5.5 KB, check result ~0.3 KB): 5,000
# clauses ~41 MB, so this keeps several such libraries (or versions of one) at once.
MAX_CACHE_DISK_BYTES = 256_000_000
MAX_CACHE_MEMORY_BYTES = 32_000_000  # the in-process copy drops least recently used entries past this
# Compiled templates kept in memory (drafter/templating.py), by estimated size, least recently
# used out first (estimated as twice the marshalled code): an uncached check of the built-in
# library + 2,000 clauses compiles about 50 MB of them, + 5,000 about 125 MB, which all stay.
MAX_COMPILED_MEMORY_BYTES = 192_000_000
