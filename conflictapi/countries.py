"""Countries as analysts type them: one resolver, `resolve_country`, for every filter
that takes a country (and for the ACLED-compatible reads, whose `country` is a name and
`iso` a numeric code)."""

import functools

from django.core.exceptions import ValidationError
from django.utils import translation
from django_countries import Countries, countries
from django_countries.data import COUNTRIES

from conflictapi.text import normalize_name

# Short forms people write that no list above holds.
EXTRA_NAMES = {
    "UK": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "United States": "US",
    "Ivory Coast": "CI",
    "Turkey": "TR",
    "Burma": "MM",
    "Congo-Kinshasa": "CD",
    "DRC": "CD",
    "Congo-Brazzaville": "CG",
    "Czechia": "CZ",
    "Holy See": "VA",
}


@functools.cache
def _names():
    """{normalized name: {alpha-2 codes}} from the English names (django-countries'
    short ones, "Syria"), ISO's official ones ("Syrian Arab Republic"), the former
    ones ("Swaziland"), and each name's part before a parenthesis ("Iran (Islamic
    Republic of)": "Iran") where no other country has it as a full name."""
    full, short = {}, {}

    def add(table, name, code):
        key = normalize_name(str(name))
        if key:
            table.setdefault(key, set()).add(code)

    with translation.override("en"):
        current = {code: str(name) for code, name in countries}
        official = {code: str(name) for code, name in COUNTRIES.items()}
    for code, name in current.items():
        add(full, name, code)
    for table in (official, Countries.COMMON_NAMES):
        for code, name in table.items():
            add(full, name, code)
    for code, names in Countries.OLD_NAMES.items():
        for name in names:
            add(full, name, code)
    for name, code in EXTRA_NAMES.items():
        add(full, name, code)
    for table in (official, current):
        for code, name in table.items():
            head = name.split(" (")[0]
            if head != name:
                add(short, head, code)
    for key, codes in short.items():
        full.setdefault(key, codes)
    return full


def country_candidates(text):
    """The alpha-2 codes `text` may mean: an alpha-2 or alpha-3 code in any case, an
    ISO 3166-1 numeric code with or without leading zeros (760 is Syria; Gleditsch–Ward
    numbers are the UCDP API's business), or an English name in any case, with or
    without accents ("cote d'ivoire")."""
    text = (text or "").strip()
    if not text:
        return []
    if text.isdigit() or (len(text) in (2, 3) and text.isalpha()):
        code = countries.alpha2(int(text) if text.isdigit() else text)
        if code:
            return [code]
        if text.isdigit():
            return []
    return sorted(_names().get(normalize_name(text), ()))


def resolve_country(text):
    """The ISO 3166-1 alpha-2 code `text` names (see country_candidates), or a
    ValidationError: code "invalid" when it names none, "ambiguous" (listing the
    candidates) when it names several."""
    codes = country_candidates(text)
    if len(codes) == 1:
        return codes[0]
    if not codes:
        raise ValidationError(
            "“%(value)s” is not a country: give an ISO 3166-1 alpha-2, alpha-3 or numeric "
            "code, or an English name.",
            code="invalid",
            params={"value": text},
        )
    raise ValidationError(
        "“%(value)s” may mean several countries: %(candidates)s.",
        code="ambiguous",
        params={
            "value": text,
            "candidates": ", ".join(f"{code} ({countries.name(code)})" for code in codes),
        },
    )
