"""Holding a quote against the text of the document it cites.

A quote matches when, with whitespace runs folded to one space and the typographic
variants of quote marks folded to ' and ", it occurs in the equally folded text: a
curator who pastes a quote from a browser gets curly quotes and line breaks the stored
text may not have. Nothing else is folded (case, dashes, spelling): a quote is verbatim.

Paragraphs are the text's non-empty lines, numbered from 1 (a seed article's heading is
"para 1"): the locator convention of the seed data (tests/seed/test_seed_quotes.py).
"""

import difflib
import functools
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

QUOTE_MARKS = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
    }
)

# How much of the nearest passage an error shows around the quote's length.
PASSAGE_MARGIN_WORDS = 3


def fold(text):
    """The text as quotes are matched: quote-mark variants folded, whitespace runs
    (line breaks included) one space, no space at either end."""
    return " ".join(text.translate(QUOTE_MARKS).split())


@dataclass(frozen=True)
class FoldedText:
    folded: str
    # Offset in `folded` where each paragraph starts.
    starts: tuple

    def paragraph_at(self, offset):
        """The 1-based number of the paragraph holding `offset` of `folded`."""
        return bisect_right(self.starts, offset)


@functools.lru_cache(maxsize=16)
def folded_text(text):
    """The folded text with its paragraphs' offsets; cached, so that checking every
    citation of a document folds its text once."""
    paragraphs = [p for p in (fold(line) for line in text.splitlines()) if p]
    starts, offset = [], 0
    for p in paragraphs:
        starts.append(offset)
        offset += len(p) + 1
    return FoldedText(" ".join(paragraphs), tuple(starts))


@dataclass(frozen=True)
class Match:
    locator: str


def find(text, quote):
    """Where the quote occurs in the text (a Match with its locator, "para N" or
    "paras N–M" for a quote across paragraphs), or None."""
    needle = fold(quote)
    if not needle:
        return None
    doc = folded_text(text)
    at = doc.folded.find(needle)
    if at < 0:
        return None
    first, last = doc.paragraph_at(at), doc.paragraph_at(at + len(needle) - 1)
    return Match(f"para {first}" if first == last else f"paras {first}–{last}")


def _word_key(word):
    return word.strip(".,;:!?()[]{}'\"«»").casefold()


def nearest_passage(text, quote):
    """The passage of the text most like the quote (its words, as folded), with its
    locator: (passage, locator), or ("", "") for an empty text. Linear in the text:
    windows of the quote's length in words are ranked by the words they share with
    it, and the best few compared character by character."""
    needle = fold(quote)
    doc = folded_text(text)
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", doc.folded)]
    if not spans or not needle:
        return "", ""
    keys = [_word_key(doc.folded[s:e]) for s, e in spans]
    wanted = Counter(_word_key(w) for w in needle.split())
    size = min(len(needle.split()), len(spans))

    held, shared, scores = Counter(), 0, []
    for i, key in enumerate(keys):
        if held[key] < wanted[key]:
            shared += 1
        held[key] += 1
        if i >= size:
            old = keys[i - size]
            held[old] -= 1
            if held[old] < wanted[old]:
                shared -= 1
        if i >= size - 1:
            scores.append((shared, -(i - size + 1)))
    best_starts = [-start for _, start in sorted(scores, reverse=True)[:8]]

    def window(start):
        first = max(start - PASSAGE_MARGIN_WORDS, 0)
        last = min(start + size - 1 + PASSAGE_MARGIN_WORDS, len(spans) - 1)
        return spans[first][0], spans[last][1]

    def likeness(start):
        s, e = spans[start][0], spans[start + size - 1][1]
        return difflib.SequenceMatcher(None, needle, doc.folded[s:e], autojunk=False).ratio()

    start = max(best_starts, key=likeness)
    first = doc.paragraph_at(spans[start][0])
    last = doc.paragraph_at(spans[start + size - 1][1] - 1)
    locator = f"para {first}" if first == last else f"paras {first}–{last}"
    s, e = window(start)
    prefix = "…" if s > 0 else ""
    suffix = "…" if e < len(doc.folded) else ""
    return f"{prefix}{doc.folded[s:e]}{suffix}", locator
