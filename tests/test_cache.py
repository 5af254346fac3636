"""The parse cache cannot change a result (shared/reviews/reliability-2026-11.md, part 7 and S7):
an edited, forged, corrupt or foreign entry is discarded and rebuilt, never trusted and never a
traceback or a false error; a file rejected once is rejected every time; the folder is private
and nowhere when none is safe; disk and memory use are bounded; DRAFTER_NO_CACHE turns it off."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter import limits, parse_cache
from drafter.errors import Problems
from drafter.library import load_library
from drafter.resolve import load_answers
from drafter.sources import parse_yaml

from .conftest import MINIMAL_ANSWERS, write_tree

STATE = "state: TX\nwithhold: [information.no-status-inquiry, information.release-info-none]\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh private cache (the entry folder) and an empty in-process copy."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DRAFTER_NO_CACHE", raising=False)
    parse_cache.clear_memory()
    yield tmp_path / "xdg" / "drafter" / f"yaml-v{parse_cache.FORMAT}"
    parse_cache.clear_memory()


def parse(text: str, where: Path) -> tuple[object, list[str]]:
    """Parse as a new process would (nothing in memory): the data and the problems."""
    parse_cache.clear_memory()
    problems = Problems()
    doc = parse_yaml(text, where / "a.yaml", problems, display="a.yaml")
    return (doc.data if doc else None), [str(p) for p in problems.items]


def entry(folder: Path, text: str) -> Path:
    return folder / f"{parse_cache._key(text)}.json"


def signed(folder: Path, body: bytes) -> bytes:
    """An entry with a valid MAC: what only drafter, holding the key, can write."""
    mac = hmac.new((folder / "key").read_bytes(), body, hashlib.sha256).hexdigest().encode()
    return b'{"mac":"' + mac + b'","entry":' + body + b"}"


def test_the_suite_never_touches_the_real_cache() -> None:
    assert os.environ["XDG_CACHE_HOME"].startswith(tempfile.gettempdir())
    assert "drafter-test-cache-" in os.environ["XDG_CACHE_HOME"]


def test_entries_are_private_and_served_from_disk(cache: Path, tmp_path: Path) -> None:
    fresh, problems = parse(MINIMAL_ANSWERS, tmp_path)
    assert not problems and entry(cache, MINIMAL_ANSWERS).is_file()
    again, _ = parse(MINIMAL_ANSWERS, tmp_path)
    assert again == fresh and type(again) is dict  # plain data: it came from the JSON entry
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry(cache, MINIMAL_ANSWERS).stat().st_mode) == 0o600
    assert stat.S_IMODE((cache / "key").stat().st_mode) == 0o600


@pytest.mark.parametrize(("text", "old", "new"), [
    (MINIMAL_ANSWERS, b"Springfield", b"POISONVILL"),  # same length: only the MAC can tell
    (MINIMAL_ANSWERS, b'"strongest"', b'"baseline"'),
    (STATE, b'["information.no-status-inquiry","information.release-info-none"]', b"[]"),
])
def test_an_edited_entry_is_never_trusted(cache: Path, tmp_path: Path, text: str, old: bytes,
                                          new: bytes) -> None:
    fresh, _ = parse(text, tmp_path)
    path = entry(cache, text)
    raw = path.read_bytes()
    assert old in raw
    path.write_bytes(raw.replace(old, new))
    again, problems = parse(text, tmp_path)
    assert again == fresh and not problems
    assert new not in path.read_bytes()  # discarded and rebuilt


def test_a_forged_entry_from_the_plain_hash_is_ignored(cache: Path, tmp_path: Path) -> None:
    # the review's poison: <sha256(text)>.json holding another jurisdiction
    fresh, _ = parse(MINIMAL_ANSWERS, tmp_path)
    forged = {"jurisdiction": {"name": "POISONVILLE", "kind": "city", "state": "IL"}, "preset": "baseline"}
    (cache / f"{hashlib.sha256(MINIMAL_ANSWERS.encode()).hexdigest()}.json").write_text(json.dumps(forged))
    entry(cache, MINIMAL_ANSWERS).write_text(json.dumps(forged))
    again, problems = parse(MINIMAL_ANSWERS, tmp_path)
    assert again == fresh and not problems


def test_entries_written_with_another_key_are_discarded(cache: Path, tmp_path: Path) -> None:
    fresh, _ = parse(MINIMAL_ANSWERS, tmp_path)
    (cache / "key").write_text("0" * 64)  # e.g. a cache folder copied from another account
    again, problems = parse(MINIMAL_ANSWERS, tmp_path)
    assert again == fresh and not problems


def corruptions(folder: Path, key: str) -> dict[str, object]:
    """Ways an entry can be broken: raw damage, and validly signed but malformed content."""
    def body(data: object, **fields: object) -> bytes:
        return json.dumps({"format": parse_cache.FORMAT, "key": key, "data": data, **fields}).encode()

    return {
        "empty": b"",
        "not json": b"\x00\xff garbage",
        "a json list": b"[1, 2, 3]",
        "truncated": signed(folder, body({"a": 1}))[:40],
        "bad date": signed(folder, body({"output": {"date": {"__date__": "garbage"}}})),
        "date of wrong type": signed(folder, body({"d": {"__date__": 5}})),
        "wrong key": signed(folder, body({"a": 1}).replace(key.encode(), b"0" * 64)),
        "extra field": signed(folder, body({"a": 1}, x=1)),
        "old format": signed(folder, body({"a": 1}).replace(b'"format": "3"', b'"format": "1"')),
        "over the size limit": b" " * (limits.MAX_CACHE_ENTRY_BYTES + 1000),
        "link to /dev/zero": Path("/dev/zero"),
        "a fifo": "fifo",
        "a folder": "folder",
    }


CORRUPTIONS = ["empty", "not json", "a json list", "truncated", "bad date", "date of wrong type", "wrong key",
               "extra field", "old format", "over the size limit", "link to /dev/zero", "a fifo", "a folder"]


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupt_entry_is_a_miss_not_a_traceback_or_a_false_error(cache: Path, tmp_path: Path,
                                                                    kind: str) -> None:
    fresh, _ = parse(MINIMAL_ANSWERS, tmp_path)
    path = entry(cache, MINIMAL_ANSWERS)
    damage = corruptions(cache, parse_cache._key(MINIMAL_ANSWERS))[kind]
    assert set(corruptions(cache, "k")) == set(CORRUPTIONS)
    path.unlink()
    if isinstance(damage, bytes):
        path.write_bytes(damage)
    elif isinstance(damage, Path):
        path.symlink_to(damage)
    elif damage == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    again, problems = parse(MINIMAL_ANSWERS, tmp_path)
    assert again == fresh and problems == []


@pytest.mark.parametrize("text", [
    "name: !foo Oakland\n",  # a tag: rejected by validation, and must stay rejected
    "x: !!binary aGVsbG8=\n",
    "x: !!set {a, b}\n",
    "1: x\n",
    "true: x\n",
    "a: &b true\nc: *b\n",
    "x: !!omap [{a: 1}]\n",
    "when: 2026-01-02 10:00:00\n",
    "__date__: 2026-01-02\n",
])
def test_first_and_second_run_see_the_same_data(cache: Path, tmp_path: Path, text: str) -> None:
    first, _ = parse(text, tmp_path)
    second, _ = parse(text, tmp_path)
    assert repr(first) == repr(second) and type(first) is type(second)
    assert not entry(cache, text).exists()  # JSON cannot hold it exactly, so it is never cached


def test_a_rejected_answers_file_is_rejected_every_time(cache: Path, tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"a.yaml": MINIMAL_ANSWERS.replace("name: Springfield", "name: !foo Oakland")})
    runs = []
    for _ in range(2):
        parse_cache.clear_memory()
        problems = Problems()
        load_answers(path / "a.yaml", problems)
        runs.append([str(p) for p in problems.errors])
    assert runs[0] and runs[0] == runs[1]


def test_a_rejected_clause_is_rejected_every_time(cache: Path, tmp_path: Path) -> None:
    lib = write_tree(tmp_path, {"lib/policing/extra.md": (
        "---\nid: policing.extra\ntitle: !foo Evil Clause\narea: policing\nprovisions: [policing.cite-release]\n"
        "strength: strongest\nsources: [nyc-cjra-2016]\nsummary: {en: Extra., es: Extra.}\n---\n"
        "1. X shall act.\n\n## Commentary\n\nThis is commentary.\n")}) / "lib"
    runs = []
    for _ in range(2):
        parse_cache.clear_memory()
        problems = Problems()
        load_library(lib, problems)
        runs.append([str(p) for p in problems.errors if "extra.md" in p.path])
    assert runs[0] and runs[0] == runs[1]


def test_a_yaml_bomb_is_rejected_every_time_and_never_cached(cache: Path, tmp_path: Path) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8))
    assert len(bomb) < 370  # the review's 370-byte bomb became a 76 MB entry
    for _ in range(2):
        data, problems = parse(bomb, tmp_path)
        assert data is None and "YAML aliases expand" in problems[0]
    assert not list(cache.glob("*.json"))


def test_lowering_a_limit_rejects_a_text_accepted_before(cache: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    text = "s: &s " + "y" * 100 + "\nitems: [*s, *s, *s]\n"
    assert parse(text, tmp_path)[0] is not None and entry(cache, text).exists()
    monkeypatch.setattr(limits, "MAX_YAML_EXPANSION", 200)
    data, problems = parse(text, tmp_path)
    assert data is None and "YAML aliases expand" in problems[0]


@pytest.mark.parametrize(("home", "xdg"), [("", ""), ("/", ""), ("", "relative/cache")])
def test_no_usable_folder_means_no_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              home: str, xdg: str) -> None:
    monkeypatch.setenv("HOME", home)
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.chdir(tmp_path)
    root_cache_before = Path("/.cache/drafter").exists()
    fresh, problems = parse(MINIMAL_ANSWERS, tmp_path)
    assert fresh is not None and not problems
    assert parse_cache._folder() is None
    assert Path("/.cache/drafter").exists() == root_cache_before
    assert list(tmp_path.iterdir()) == []  # nothing in the working directory either
    parse_cache.clear_memory()


def test_a_relative_xdg_falls_back_to_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relcache")
    monkeypatch.chdir(tmp_path)
    parse(MINIMAL_ANSWERS, tmp_path)
    assert entry(tmp_path / "home" / ".cache" / "drafter" / f"yaml-v{parse_cache.FORMAT}", MINIMAL_ANSWERS).exists()
    assert not (tmp_path / "relcache").exists()
    parse_cache.clear_memory()


def test_an_unsafe_folder_is_not_used(cache: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache.parent.mkdir(parents=True)
    cache.symlink_to(elsewhere, target_is_directory=True)
    assert parse_cache._folder() is None
    parse(MINIMAL_ANSWERS, tmp_path)
    assert list(elsewhere.iterdir()) == []


def test_an_open_folder_is_made_private(cache: Path) -> None:
    cache.mkdir(parents=True, mode=0o777)
    cache.chmod(0o777)
    assert parse_cache._folder() is not None
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def texts(count: int, size: int) -> list[str]:
    return [f"n: {i}\ntext: {'w' * size}\n" for i in range(count)]


def test_disk_use_is_bounded(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CACHE_DISK_BYTES", 20_000)
    monkeypatch.setattr(parse_cache, "_measured", False)
    many = texts(60, 1000)
    for text in many:
        parse(text, tmp_path)
    (cache / ".stale.tmp").write_text("left by a killed process")
    os.utime(cache / ".stale.tmp", (0, 0))
    parse_cache.prune(cache)
    sizes = [p.stat().st_size for p in cache.glob("*.json")]
    assert sum(sizes) <= 20_000 and len(sizes) < 60
    assert entry(cache, many[-1]).exists() and not entry(cache, many[0]).exists()
    assert not (cache / ".stale.tmp").exists()


def test_a_large_parse_is_not_cached(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CACHE_ENTRY_BYTES", 1000)
    [text] = texts(1, 5000)
    assert parse(text, tmp_path)[0] is not None
    assert not entry(cache, text).exists() and not parse_cache._memory


def test_memory_use_is_bounded(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CACHE_MEMORY_BYTES", 5000)
    many = texts(50, 500)
    for text in many:
        parse_yaml(text, tmp_path / "a.yaml", Problems())
    assert 0 < parse_cache._memory_bytes <= 5000 and len(parse_cache._memory) < 50
    assert parse_cache._key(many[-1]) in parse_cache._memory
    assert parse_cache._key(many[0]) not in parse_cache._memory


def test_no_cache_turns_off_memory_and_disk(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    problems = Problems()
    assert parse_yaml(MINIMAL_ANSWERS, tmp_path / "a.yaml", problems) is not None
    assert parse_yaml(MINIMAL_ANSWERS, tmp_path / "a.yaml", problems) is not None
    assert not parse_cache._memory and not cache.exists() and not problems.items


# ---------------------------------------------------------------- Markdown tokens

MARKDOWN = ("The **City** shall not:\n\n1. detain a person on a [detainer](#ref:detainers.no-hold);\n"
            "2. ask about *status*.\n\nA second paragraph.\n")


def _blocks(text: str) -> list:
    from drafter import markdown

    markdown._tokens.cache_clear()  # as a new process would
    return markdown.parse_blocks(text, lambda level, index: f"({level}.{index})")


def test_markdown_tokens_are_kept_and_give_the_same_blocks(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter import markdown

    fresh = _blocks(MARKDOWN)
    assert len(list(cache.glob("*.md"))) == 1
    monkeypatch.setattr(markdown, "_parser", lambda: pytest.fail("parsed again"))
    assert _blocks(MARKDOWN) == fresh


@pytest.mark.parametrize("spoil", ["forged", "wrong shape"])
def test_a_spoiled_markdown_entry_is_parsed_again(cache: Path, spoil: str) -> None:
    fresh = _blocks(MARKDOWN)
    (path,) = cache.glob("*.md")
    from drafter.markdown import _TOKENS_KIND as kind
    payload = json.dumps([["paragraph_open", 1, 0, None], ["inline", 0, 0, [["forged", False, False, None, None]]],
                          ["paragraph_close", -1, None, None]]).encode()
    if spoil == "wrong shape":  # signed by drafter but not tokens: parsed again, not a traceback
        payload = b'{"not": "tokens"}'
    secret = b"not the user's key" if spoil == "forged" else (cache / "key").read_bytes()
    mac = parse_cache._blob_mac(secret, kind, path.stem, payload)
    path.write_bytes(mac + b"\n" + payload)
    assert _blocks(MARKDOWN) == fresh


def test_a_warm_build_imports_neither_markdown_it_nor_ruamel(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    code = ("import sys\nfrom drafter.launch import main\n"
            f"sys.argv = ['drafter', 'build', {str(root / 'samples' / 'oakland-ca.yaml')!r}, '-o', "
            f"{str(tmp_path / 'd.docx')!r}, '--force', '-q']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', [m for m in ('markdown_it', 'ruamel.yaml') if m in sys.modules])")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr
