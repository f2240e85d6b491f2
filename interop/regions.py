"""ACLED's regions (`region` codes and names) and the region of each country ACLED
covers. The table holds the countries of the seed data and of the synthetic generator,
with their neighbours; a country missing here has no region (`region` is empty, and
region filters do not find it). README: ACLED-compatible API."""

REGIONS = {
    1: "Western Africa",
    2: "Middle Africa",
    3: "Eastern Africa",
    4: "Southern Africa",
    5: "Northern Africa",
    7: "South Asia",
    9: "Southeast Asia",
    11: "Middle East",
    12: "Europe",
    13: "Caucasus and Central Asia",
    14: "Central America",
    15: "South America",
    16: "Caribbean",
    17: "East Asia",
    18: "North America",
    19: "Oceania",
}

_COUNTRIES = {
    11: "AE BH IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    5: "DZ EG LY MA SD TN",
    1: "BF BJ CI CV GH GM GN GW LR ML MR NE NG SL SN TG",
    2: "AO CD CF CG CM GA GQ ST TD",
    3: "BI DJ ER ET KE KM MG MU MW MZ RW SC SO SS TZ UG ZM ZW",
    4: "BW LS NA SZ ZA",
    7: "AF BD BT IN LK MV NP PK",
    9: "BN ID KH LA MM MY PH SG TH TL VN",
    13: "AM AZ GE KG KZ TJ TM UZ",
    12: "AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IT LT LV MD ME MK "
    "NL NO PL PT RO RS RU SE SI SK UA XK",
    17: "CN JP KP KR MN TW",
    18: "CA US",
}
REGION_OF_COUNTRY = {code: region for region, codes in _COUNTRIES.items() for code in codes.split()}
