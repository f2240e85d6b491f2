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
