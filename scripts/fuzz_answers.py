"""Fuzz answers files and clause parameter values through the Python API (issue 16).

    python scripts/fuzz_answers.py            # 10,000 cases
    python scripts/fuzz_answers.py -n 2000 --seed 7

Uses the generators of tests/test_fuzz.py (mappings, YAML text, mutated YAML, parameter
values); every 25th case that validates is also built and rendered to Markdown. Prints how
many cases built, how many were refused with a ``DrafterError``, and every other exception
by class with an example (there should be none). Exit status 1 if any case raised anything
but ``DrafterError``.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="drafter-fuzz-cache-"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("-n", "--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    import warnings

    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    from tests import test_fuzz as fuzz

    warnings.filterwarnings("ignore")
    parameter_cases = st.fixed_dictionaries({"jurisdiction": st.fixed_dictionaries(
        {"name": fuzz.name_text, "kind": st.sampled_from(["city", "county"]),
         "state": st.sampled_from(["CA", "TX", "NY", "IL"])}), "params": fuzz.params})
    routes = [  # (name, share of the cases, strategy, route)
        ("mapping", 0.4, fuzz.answers, "mapping"),
        ("yaml", 0.15, fuzz.answers.map(fuzz.to_yaml), "yaml"),
        ("mutated-yaml", 0.25, fuzz.mutated_yaml(), "yaml"),
        ("params", 0.2, parameter_cases, "mapping"),
    ]
    outcomes: collections.Counter[str] = collections.Counter()
    unexpected: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    started = time.monotonic()
    def runner(name: str, count: int, strategy: st.SearchStrategy[object], route: str):  # noqa: ANN202
        built = [0]

        @seed(args.seed)
        @settings(max_examples=count, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(case: object) -> None:
            try:
                result = fuzz.exercise(case, route=route)
                if result == "built":
                    built[0] += 1
                    if built[0] % 25 == 0:
                        fuzz.exercise(case, route=route, full=True)
                        outcomes["built and rendered"] += 1
                outcomes[result] += 1
                outcomes[f"{name}: {result}"] += 1
            except Exception as exc:  # noqa: BLE001 - counted: this is what the fuzzer looks for
                key = f"{type(exc).__name__} ({name})"
                unexpected[key] += 1
                examples.setdefault(key, repr(case)[:400] + "\n" + traceback.format_exc(limit=-3))

        return run

    for name, share, strategy, route in routes:
        runner(name, round(args.cases * share), strategy, route)()
    seconds = time.monotonic() - started
    total = outcomes["built"] + outcomes["error"] + sum(unexpected.values())
    print(f"{total:,} cases in {seconds:.0f} s (seed {args.seed})")
    print(f"  validated and resolved: {outcomes['built']:,} "
          f"(of which built and rendered to Markdown: {outcomes['built and rendered']:,})")
    print(f"  DrafterError:           {outcomes['error']:,}")
    print(f"  anything else:          {sum(unexpected.values()):,}")
    for name, *_ in routes:
        print(f"    {name:13} built {outcomes[f'{name}: built']:,}, DrafterError {outcomes[f'{name}: error']:,}")
    for key, number in unexpected.most_common():
        print(f"\n{number} x {key}\n{examples[key]}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
