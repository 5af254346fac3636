"""The statistical reader: one linear model per taxonomy id over the words of a whole text.

The phrasing rules (``clauses/analyzer/*.yaml``) are exact but only know the wordings someone wrote
down; measured on enacted texts they had never seen, they found about half of what was there. This
reader was trained (``scripts/train_reader.py``) on the hand-labelled enacted texts and drafter's own
corpus, and recognises an id from the words around it even when no rule has that phrasing. The
analyzer adds what it finds only where the rules found nothing, and names the passage that weighs
most, so every finding still points at words in the text.

The model is data (``clauses/analyzer/reader-model.json``): a vocabulary of words and word pairs,
their inverse document frequencies, and per id an intercept and weights. Nothing here imports
scikit-learn; the arithmetic is a sparse dot product.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TOKEN = re.compile(r"\b\w\w+\b")
MODEL_FILE = "reader-model.json"
FORMAT = "drafter-reader-1"
MANDATE = "mandates_cooperation"  # the model of whether a whole text requires cooperation (not a taxonomy id)


def terms(text: str) -> Counter[str]:
    """Words of two or more letters, lower-cased, and each adjacent pair: the model's vocabulary."""
    words = TOKEN.findall(text.lower())
    out = Counter(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return out


@dataclass(frozen=True)
class Reader:
    vocabulary: dict[str, int]
    idf: tuple[float, ...]
    models: dict[str, tuple[float, dict[int, float], float]]  # id -> (intercept, weights by index, threshold)
    trained_on: int
    passage_chars: int  # the longest text it was trained on: longer texts are read a passage at a time
    min_words: int  # the fewest words it weighs: a shorter text is left to the rules
    mandate: tuple[float, dict[int, float], float] | None = None  # as a model in ``models``, for MANDATE

    def vector(self, text: str) -> dict[int, float]:
        """The text's tf-idf vector: sublinear term frequency times idf, unit length."""
        raw = {self.vocabulary[t]: (1.0 + math.log(n)) * self.idf[self.vocabulary[t]]
               for t, n in terms(text).items() if t in self.vocabulary}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {i: v / norm for i, v in raw.items()}

    def probabilities(self, text: str) -> dict[str, float]:
        vector = self.vector(text)
        return {pid: _logistic(model, vector) for pid, model in self.models.items()}

    def mandate_found(self, text: str) -> float | None:
        """The probability that the whole text is a law or agreement requiring cooperation, when it reaches
        the model's threshold; otherwise (or without a mandate model) None."""
        if self.mandate is None:
            return None
        probability = _logistic(self.mandate, self.vector(text))
        return probability if probability >= self.mandate[2] else None

    def _weights(self, pid: str) -> dict[int, float]:
        return self.mandate[1] if pid == MANDATE and self.mandate else self.models[pid][1]

    def found(self, text: str) -> dict[str, float]:
        """Ids whose probability reaches their threshold, with that probability."""
        return {pid: p for pid, p in self.probabilities(text).items() if p >= self.models[pid][2]}

    def weight_of(self, pid: str, passage: str) -> float:
        """How much a passage's words speak for ``pid`` (the sum of their positive weights)."""
        weights = self._weights(pid)
        return sum(max(0.0, weights.get(self.vocabulary[t], 0.0)) for t in terms(passage) if t in self.vocabulary)

    def telling_words(self, pid: str, passage: str, count: int = 3) -> list[str]:
        weights = self._weights(pid)
        scored = sorted(((weights.get(self.vocabulary[t], 0.0), t) for t in terms(passage) if t in self.vocabulary),
                        reverse=True)
        return [t for w, t in scored[:count] if w > 0]


def _logistic(model: tuple[float, dict[int, float], float], vector: dict[int, float]) -> float:
    intercept, weights, _ = model
    z = intercept + sum(v * weights.get(i, 0.0) for i, v in vector.items())
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def passages(text: str, size: int) -> list[tuple[int, int, str]]:
    """(first line, line after the last, text) of consecutive whole lines of at most ``size`` characters
    (a longer line is a passage of its own); lines count from 1."""
    out: list[tuple[int, int, str]] = []
    start, chunk, length = 1, [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if chunk and length + len(line) + 1 > size:
            out.append((start, number, "\n".join(chunk)))
            start, chunk, length = number, [], 0
        chunk.append(line)
        length += len(line) + 1
    if chunk:
        out.append((start, start + len(chunk), "\n".join(chunk)))
    return out


class ModelError(ValueError):
    """The model file is not a reader model drafter can use."""


def parse(data: object) -> Reader:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"not a '{FORMAT}' model")
    try:
        vocabulary = {term: index for index, term in enumerate(data["vocabulary"])}
        idf = tuple(float(x) for x in data["idf"])
        if len(idf) != len(vocabulary):
            raise ModelError("'idf' and 'vocabulary' differ in length")
        models = {pid: _model(pid, model, len(idf)) for pid, model in data["models"].items()}
        mandate = _model(MANDATE, data["mandate"], len(idf)) if data.get("mandate") else None
        passage_chars = int(data["passage_chars"])
        if passage_chars < 200:
            raise ModelError("'passage_chars' must be at least 200")
        return Reader(vocabulary, idf, models, int(data.get("trained_on", 0)), passage_chars, int(data["min_words"]),
                      mandate)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"missing or malformed field: {exc}") from None


def _model(name: str, model: dict, size: int) -> tuple[float, dict[int, float], float]:
    weights = {int(i): float(w) for i, w in model["weights"].items()}
    if any(not 0 <= i < size for i in weights):
        raise ModelError(f"a weight of '{name}' names no vocabulary entry")
    threshold = float(model["threshold"])
    if not 0.0 < threshold < 1.0:
        raise ModelError(f"the threshold of '{name}' must lie between 0 and 1")
    return float(model["intercept"]), weights, threshold


@lru_cache(maxsize=4)
def _load(path: Path, stamp: float) -> Reader:
    return parse(json.loads(path.read_text(encoding="utf-8")))


def load(folder: Path) -> Reader | None:
    """The reader model in a library's analyzer folder, or None when it has none."""
    path = folder / MODEL_FILE
    if not path.is_file():
        return None
    return _load(path, path.stat().st_mtime)
