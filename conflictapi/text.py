"""Search keys for names: one form for every spelling a reader may type."""

import re
import unicodedata

# Apostrophes, ayn/hamza marks and quotes that transliterations use or drop at will.
_MARKS = re.compile(r"[\u0027\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4\"“”]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,;:/()]+")
# Arabic diacritics (harakat), tatweel, and alef variants folded to bare alef.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def normalize_name(text):
    """Lower-case, strip accents, apostrophes and Arabic diacritics, fold hyphens and
    spaces to one space: "Da'esh", "Daesh" and "DA’ESH" all become "daesh"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    text = _MARKS.sub("", text.casefold())
    return _SEPARATORS.sub(" ", text).strip()


# Articles that transliterations attach, drop or hyphenate at will ("al-Nusra",
# "an-Nusra", "Nusra"); the Arabic article is a prefix of the word.
_ARTICLES = frozenset({"al", "el", "ul", "an", "ad", "ar", "as", "ash", "at", "az", "ath"})
_LATIN_VOWELS = str.maketrans("", "", "aeiouyw")
_ARABIC_VOWELS = str.maketrans("", "", "اويى")


def _word_skeleton(word):
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    if word.isascii() and len(word) > 2 and word[-1] == "h" and word[-2] in "aeiou":
        word = word[:-1]  # a final ta marbuta written or not: Nusrah, Nusra
    if word.isascii():
        return word[:1] + word[1:].translate(_LATIN_VOWELS)
    return word[:1] + word[1:].translate(_ARABIC_VOWELS)


def skeleton(text):
    """A consonant skeleton of a name for matching transliteration variants: articles
    dropped, vowels after each word's first letter dropped, doubled letters folded.
    "Jabhat al-Nusra", "Jabhat an-Nosra" and "جبهة النصرة" / "جبهة نصرة" each meet their
    variants: " jbht nsr ". Stored with a space at each end so that a match can be held
    to whole words (`contains(skeleton(query))`): "ISIL" (" isl ") does not find
    "Islamic Front" (" islmc frnt ")."""
    words = [w for w in normalize_name(text).split(" ") if w and w not in _ARTICLES]
    folded = []
    for word in words:
        skel = _word_skeleton(word)
        skel = re.sub(r"(.)\1+", r"\1", skel)
        if skel:
            folded.append(skel)
    return f" {' '.join(folded)} " if folded else ""


def joined_keys(keys):
    """Keys on lines of their own, "\\nkey one\\nkey two\\n": no key holds a newline
    (normalize_name folds every space to " "), so a key contains the text asked for
    exactly when the joined column contains it, and equals it exactly when the column
    contains it between newlines."""
    keys = sorted({key for key in keys if key})
    return "\n" + "\n".join(keys) + "\n" if keys else ""
