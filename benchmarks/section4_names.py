"""Section 4: actor name search, with spelling variants built from the stored names:
p95 latency and recall."""

import re
import time
import unicodedata

from benchmarks.common import ERROR, INFO, MISSING, fetch, ms, percentile, sample_rows, verdict
from benchmarks.server import WARM_SECONDS, Client, query_string, run_batch

# --- section 4: name search --------------------------------------------------------------


def _keep_case(template, word):
    return word.capitalize() if template[:1].isupper() else word.lower()


def _sub(pattern, replacement, text, flags=re.IGNORECASE):
    return re.sub(pattern, lambda m: _keep_case(m.group(0), replacement), text, flags=flags)


QAEDA = r"qa(?:e|i|'i|’i|ʿi|`i)da"
SUN_LETTERS = {"t": "at", "th": "ath", "d": "ad", "dh": "adh", "r": "ar", "z": "az", "s": "as"}
SUN_LETTERS |= {"sh": "ash", "n": "an"}
ARABIC_ARTICLE_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


def strip_accents(text):
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def add_accents(text):
    words = text.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    words[i] = words[i].translate(str.maketrans({"a": "ā", "i": "ī", "u": "ū"}))
    return " ".join(words)


def sun_letter(text):
    def repl(m):
        rest = m.group(2)
        for letters in ("sh", "th", "dh", "t", "d", "r", "z", "s", "n"):
            if rest.lower().startswith(letters):
                return _keep_case(m.group(1), SUN_LETTERS[letters]) + "-" + rest
        return m.group(0)

    return re.sub(r"\b(al)-(\w+)", repl, text, count=1, flags=re.IGNORECASE)


CONTROL = "as stored (control)"
# family: (PostgreSQL regex the stored name matches, [(variant kind, function)])
SEARCH_FAMILIES = {
    "Nusra/Nosra": (
        "(?i)n[uo]srah?",
        [
            ("u->o", lambda s: _sub("nusra", "nosra", s) if re.search("(?i)nusra", s) else None),
            ("o->u", lambda s: _sub("nosra", "nusra", s) if re.search("(?i)nosra", s) else None),
            (
                "-ah",
                lambda s: _sub(r"nusrah?\b", "nusrah", s) if "nusrah" not in s.lower() else None,
            ),
        ],
    ),
    "Qaeda/Qaida/Qa'ida": (
        "(?i)qa(e|i|'i|’i|ʿi)da",
        [
            ("Qaida", lambda s: _sub(QAEDA, "qaida", s)),
            ("Qa'ida", lambda s: _sub(QAEDA, "qa'ida", s)),
            ("Qaeda", lambda s: _sub(QAEDA, "qaeda", s)),
        ],
    ),
    "النصرة/نصرة": (
        "نصرة",
        [
            (
                "drop ال",
                lambda s: re.sub(r"(^|\s)النصرة", r"\1نصرة", s) if "النصرة" in s else None,
            ),
            (
                "add ال",
                lambda s: re.sub(r"(^|\s)نصرة", r"\1النصرة", s) if "النصرة" not in s else None,
            ),
        ],
    ),
    "Arabic script": (
        "[\u0621-\u064a]",
        [
            ("diacritics", lambda s: re.sub("([\u0628-\u064a])", "\\1\u064e", s, count=2)),
            ("hamza folded", lambda s: s.translate(ARABIC_ARTICLE_FOLD)),
        ],
    ),
    "accents": (
        "[\u00c0-\u024f\u1e00-\u1eff]",
        [("stripped", strip_accents)],
    ),
    "accents (added)": (
        "(?i)(sham|islam|tahrir|ahrar|jabhat|nusra|qaeda)",
        [("macrons", add_accents)],
    ),
    "hyphens": (
        "-",
        [
            ("hyphen->space", lambda s: s.replace("-", " ")),
            ("space->hyphen", lambda s: s.replace("-", " ").replace(" ", "-", 1)),
        ],
    ),
    "al- prefix": (
        r"(?i)(^|\s)al[- ]\w",
        [
            ("dropped", lambda s: re.sub(r"(?i)(^|\s)al[- ](\w)", r"\1\2", s)),
            ("el-", lambda s: re.sub(r"(?i)(^|\s)al([- ])", r"\1el\2", s)),
            ("sun letter", sun_letter),
        ],
    ),
    CONTROL: ("^.", [("exact", lambda s: s)]),
}


PUBLISHED_NAMES = (
    "SELECT a.id, a.id AS actor_id, a.name FROM actors_actor a WHERE a.status = 'published'"
    " UNION ALL"
    " SELECT n.id, n.actor_id, n.name FROM actors_actorname n"
    " JOIN actors_actor a ON a.id = n.actor_id AND a.status = 'published'"
)
MAX_OWNERS = 1000


def search_sources(pattern, n, rng):
    """Stored spellings (an actor's name or an alias) that match `pattern`, spread over
    the table, each with the ids of every published actor bearing it (synthetic data
    gives many actors the same name, so any of them on page 1 is a hit)."""
    if not fetch(f"SELECT 1 FROM ({PUBLISHED_NAMES}) s WHERE s.name ~ %s LIMIT 1", (pattern,)):
        return []
    found, seen = [], set()
    sql = f"SELECT s.name FROM ({PUBLISHED_NAMES}) s WHERE s.name ~ %s"
    for (name,) in sample_rows(sql, n * 2, rng, (pattern,)):
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        owners = {
            str(r[0])
            for r in fetch(
                f"SELECT DISTINCT s.actor_id FROM ({PUBLISHED_NAMES}) s "
                "WHERE lower(s.name) = lower(%s) LIMIT %s",
                (name, MAX_OWNERS + 1),
            )
        }
        if 0 < len(owners) <= MAX_OWNERS:
            found.append((owners, name))
        if len(found) >= n:
            break
    return found


SEARCH_WARM_WORDS = (
    *("army", "front", "brigade", "forces", "movement", "council", "police", "union"),
    *("guard", "party", "militia", "battalion", "corps", "division", "group", "alliance"),
)


def section_search(report, server, budget, rng):
    sec = "4"
    client = Client(server.port)
    try:
        probe = client.get("/api/v1/actors/?q=a&page_size=1")
        if probe.status != 200:
            report.add(sec, "actor name search", f"HTTP {probe.status}", result=MISSING)
            return
        # Warm-up, as in section 2: single words, none of them a measured query.
        warm_paths = [f"/api/v1/actors/?q={word}" for word in SEARCH_WARM_WORDS]
        run_batch(server.port, warm_paths, budget.list_threads, time.monotonic() + WARM_SECONDS)
        latencies, hits, total, misses = [], 0, 0, []
        per_family = {}
        deadline = time.monotonic() + budget.search_seconds
        for family, (pattern, variants) in SEARCH_FAMILIES.items():
            sources = search_sources(pattern, budget.search_sources, rng)
            fam_hits = fam_total = 0
            for owners, name in sources:
                for kind, make in variants:
                    if time.monotonic() > deadline:
                        break
                    query = make(name)
                    if not query or (query == name and kind != "exact"):
                        continue
                    response = client.get(f"/api/v1/actors/?{query_string({'q': query})}")
                    if response.status != 200:
                        misses.append(f"{family}/{kind}: {query!r} -> HTTP {response.status}")
                        fam_total += 1
                        continue
                    latencies.append(response.seconds)
                    doc = response.json()
                    ids = {str(r.get("id")) for r in doc.get("results", [])}
                    fam_total += 1
                    if owners & ids:
                        fam_hits += 1
                    else:
                        where = (
                            "not matched"
                            if doc.get("count", 0) <= len(ids)
                            else f"not on page 1 of {doc.get('count')}"
                        )
                        misses.append(
                            f"{family}/{kind}: {query!r} (stored {name!r}, "
                            f"{len(owners)} actors): {where}"
                        )
            per_family[family] = (fam_hits, fam_total, len(sources))
            if family != CONTROL:
                hits += fam_hits
                total += fam_total
        report.data["search"] = {"per_family": per_family, "misses": misses}
        if not total:
            report.add(
                sec, "actor name search", "no variant could be drawn from the data", result=ERROR
            )
            return
        p95 = percentile(latencies, 0.95) if latencies else float("inf")
        report.add(
            sec,
            "actor name search latency",
            f"p95 {ms(p95)} ms (p50 {ms(percentile(latencies, 0.5)) if latencies else '-'})",
            "<= 20 ms p95",
            verdict(p95 <= 0.020),
            f"n={len(latencies)} queries of /api/v1/actors/?q=",
        )
        report.add(
            sec,
            "actor name search recall",
            f"{hits}/{total} = {100 * hits / total:.0f}%",
            "100%",
            verdict(hits == total),
            "hit = an actor bearing the stored spelling on page 1 (default page size); "
            + ", ".join(
                f"{fam} {h}/{t}" if t else f"{fam} (no data)"
                for fam, (h, t, _) in per_family.items()
                if fam != CONTROL
            ),
        )
        c_hits, c_total, _ = per_family.get(CONTROL, (0, 0, 0))
        if c_total:
            report.add(
                sec,
                "actor name search, spelling as stored",
                f"{c_hits}/{c_total} = {100 * c_hits / c_total:.0f}%",
                result=INFO,
                note="control, not in the recall: a miss here is ranking, not spelling",
            )
        for miss in misses[:40]:
            report.detail(f"Section 4 miss: {miss}")
    finally:
        client.close()
