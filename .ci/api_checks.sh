#!/usr/bin/env bash
# API checks, run by .ci/run after the tests (or alone: VENV=.venv bash .ci/api_checks.sh,
# with requirements-ci.txt installed in that venv, and Node.js 20+ with npm for 3b):
#   1. the committed openapi.yaml is what the code generates (else: run `make schema`);
#   2. a template database: fresh SQLite, migrated, with the seed data (or a small
#      fallback data set while there is no load_seed command) and a curator's and an
#      editor's token; each server below is gunicorn (DEBUG off) on a fresh copy of it;
#   3. a Python client generated from openapi.yaml, untouched, reads a server
#      (.ci/client_smoke.py), and a UCDP client's paging loop reads
#      /api/ucdp/gedevents/current (.ci/ucdp_paging.py);
#   3b. clients as their users write them, type-checked and then run against a server
#      (.ci/clients/): a script over that Python client passes `mypy --strict` and reads
#      anonymously and with the curator's token (typed_client.py); a TypeScript one over
#      openapi-typescript's types and openapi-fetch (ts/, npm ci from its lock file)
#      passes `tsc` with "strict" and reads. Each runs even when its type check failed;
#   4. schemathesis fuzzes every operation, writes included, once anonymously and once
#      with each token, each against its own server on its own fresh copy of the data and
#      with one worker (so the order of cases is the seed's), the three runs side by side:
#      no 5xx, and every response (error codes included) conforms to the schema.
# Steps 1, 3, 3b and 4 all run even when one fails, so that one run reports every problem;
# the script fails if any did. API_CHECKS_ONLY=<regex> runs only the steps whose names
# match it (the template database is always made), e.g. API_CHECKS_ONLY='mypy|TypeScript'.
# The server is always stopped and the scratch folder removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

VENV="${VENV:-.venv}"
BIN="$(cd "$VENV/bin" && pwd)"
PY="$BIN/python"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
WORK="$(mktemp -d)"
SERVER_PID=""
BASE=""
FUZZ_PIDS=()
SUMMARY=()
FAILED=()

cleanup() {
  local rc=$?
  if [ "${#FUZZ_PIDS[@]}" -gt 0 ]; then
    kill -TERM "${FUZZ_PIDS[@]}" 2>/dev/null || true
    wait "${FUZZ_PIDS[@]}" 2>/dev/null || true
  fi
  stop_server
  if [ "$rc" -ne 0 ] && [ -s "$WORK/server.log" ]; then
    echo "-- last lines of the server log:"
    tail -n 60 "$WORK/server.log"
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run NAME FUNCTION: time a step, note whether it passed, carry on either way.
run() {
  local name="$1" start=$SECONDS status=0
  if [ -n "${API_CHECKS_ONLY:-}" ] && ! [[ "$name" =~ $API_CHECKS_ONLY ]]; then
    SUMMARY+=("$(printf '%-46s skipped' "$name")")
    return 0
  fi
  echo "== api: $name"
  "$2" || status=$?
  if [ "$status" -eq 0 ]; then
    SUMMARY+=("$(printf '%-46s ok      %4ss' "$name" "$((SECONDS - start))")")
  else
    SUMMARY+=("$(printf '%-46s FAILED  %4ss' "$name" "$((SECONDS - start))")")
    FAILED+=("$name")
  fi
}

# The server's settings: production mode (DEBUG off, so the JSON 404 handler is live),
# a throwaway database and no practical throttle.
export DEBUG=0
export SECRET_KEY="ci-api-checks-not-a-secret"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export DATABASE_URL="sqlite:///$WORK/db.sqlite3"
export API_ANON_RATE="100000/minute"
export API_USER_RATE="100000/minute"
# Plain HTTP on loopback: no redirect to HTTPS (a deployment sets it on).
export SECURE_SSL_REDIRECT=0
export LOG_LEVEL="ERROR"
export PYTHONDONTWRITEBYTECODE=1

# 1 ------------------------------------------------------------------------------------
schema_is_committed() {
  # As `make schema` makes it.
  DATABASE_URL=sqlite://:memory: DEBUG=1 "$PY" manage.py spectacular --validate \
    --fail-on-warn --file "$WORK/openapi.yaml" || return 1
  if ! diff -u openapi.yaml "$WORK/openapi.yaml" >"$WORK/schema.diff"; then
    head -n 60 "$WORK/schema.diff"
    echo "openapi.yaml is not what the code generates: run make schema, commit openapi.yaml."
    return 1
  fi
}

# 2 ------------------------------------------------------------------------------------
fallback_data() {
  "$PY" manage.py shell -v 0 <<'PYEOF'
from actors.models import Actor, ActorName, Affiliation, AffiliationCitation
from events.models import Event, EventCitation, EventParticipant, EventType, Place
from sources.models import Document, Outlet

P = "published"
outlet = Outlet.objects.create(slug="ci-wire", name="CI Wire", kind="news", status=P)
doc = Document.objects.create(
    outlet=outlet, title="Fighting in the north", published_on="2014-11-03", status=P
)
nusra = Actor.objects.create(
    slug="jabhat-al-nusra", name="Jabhat al-Nusra", kind="armed_group", country="SY", status=P
)
ActorName.objects.create(actor=nusra, name="al-Nusra Front", kind="short", language="en")
qaeda = Actor.objects.create(slug="al-qaeda", name="al-Qaeda", kind="armed_group", status=P)
tie = Affiliation.objects.create(
    subject=nusra, kind="branch_of", object=qaeda, start_date="2014-10", status=P
)
AffiliationCitation.objects.create(
    affiliation=tie, document=doc, quote="the official Syrian branch of al Qaeda", credibility=2
)
town = Place.objects.create(
    slug="maarshorin", name="Maarshorin", kind="town", country="SY",
    latitude="35.594000", longitude="36.737000", status=P,
)
event = Event.objects.create(
    title="Jabhat al-Nusra attacks al-Qaeda rivals in Maarshorin",
    event_type=EventType.objects.get(slug="armed-clash"),
    date="2014-11-01", place=town, geo_precision=1, fatalities_best=3, status=P,
)
EventParticipant.objects.create(event=event, actor=nusra, role="initiator")
EventParticipant.objects.create(event=event, actor=qaeda, role="target")
EventCitation.objects.create(event=event, document=doc, quote="clashes broke out", credibility=3)
PYEOF
}

# The personas the fuzzer plays: tokens for a curator and an editor, in a file.
personas() {
  "$PY" manage.py shell -v 0 <<PYEOF
from django.contrib.auth.models import Group, User
from knox.models import AuthToken

tokens = {}
for name, group in (("ci-curator", "curators"), ("ci-editor", "editors")):
    user = User.objects.create_user(name, password=None)
    user.groups.add(Group.objects.get(name=group))
    tokens[group] = AuthToken.objects.create(user)[1]
with open("$WORK/tokens", "w") as out:
    for group, token in tokens.items():
        out.write(f"{group} {token}\n")
PYEOF
}

# A template database: migrated, with the data and the personas; each server gets a
# fresh copy, so that what one persona's writes did is not what the next one reads.
make_template() {
  "$PY" manage.py migrate --noinput -v 0
  # The seed documents' texts (the four articles, never in the repository), where this
  # machine has them beside the repository: every seed quote is then verified.
  local texts="${SEED_TEXTS:-$ROOT/../shared/seeds/000_54fd4921a38bbcd8.txt}"
  if "$PY" manage.py help load_seed >/dev/null 2>&1 && [ -f "$texts" ]; then
    echo "loading the seed data with its texts (manage.py load_seed --texts $texts)"
    "$PY" manage.py load_seed --texts "$texts" | tail -n 1
  elif "$PY" manage.py help load_seed >/dev/null 2>&1; then
    echo "loading the seed data (manage.py load_seed; no texts file at $texts)"
    "$PY" manage.py load_seed | tail -n 1
  else
    echo "no load_seed command: creating a small fallback data set"
    fallback_data
  fi
  personas
  cp "$WORK/db.sqlite3" "$WORK/template.sqlite3"
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

# start_server: gunicorn over a fresh copy of the template database, in $DB_DIR (the
# scratch folder, or a fuzz run's own folder when the runs go side by side).
start_server() {
  stop_server
  local dir="${DB_DIR:-$WORK}"
  cp "$WORK/template.sqlite3" "$dir/db.sqlite3"
  local port
  port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  BASE="http://127.0.0.1:$port"
  DATABASE_URL="sqlite:///$dir/db.sqlite3" \
    "$BIN/gunicorn" conflictapi.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
    --timeout 60 --no-control-socket --error-logfile "$dir/server.log" \
    >>"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server exited during start-up"
      return 1
    fi
    if curl -fsS -o /dev/null "$BASE/readyz" 2>/dev/null; then
      echo "serving $BASE (pid $SERVER_PID)"
      return 0
    fi
    sleep 0.25
  done
  echo "the server did not answer $BASE/readyz within 30 s"
  return 1
}

# 3 ------------------------------------------------------------------------------------
generate_client() {
  [ -d "$WORK/client/conflict_data_api_client" ] && return 0
  mkdir -p "$WORK/client"
  # The generator formats its output with ruff, which it finds on PATH.
  PATH="$BIN:$PATH" "$BIN/openapi-python-client" generate --path "$ROOT/openapi.yaml" \
    --output-path "$WORK/client/conflict_data_api_client" --meta none --fail-on-warning \
    --config "$ROOT/.ci/clients/openapi-python-client.yaml"
}

client_smoke() {
  generate_client || return 1
  PYTHONPATH="$WORK/client" "$PY" .ci/client_smoke.py "$BASE"
}

# 3b -----------------------------------------------------------------------------------
# The generated client's types as an analyst's script meets them: mypy --strict over the
# script (the client's own code is read, not reported on, as an installed package's
# would be), then the script against the server, whatever mypy said.
typed_python_client() {
  local status=0
  generate_client || return 1
  echo "-- mypy --strict .ci/clients/typed_client.py"
  MYPYPATH="$WORK/client" "$BIN/mypy" --strict --follow-imports=silent \
    --cache-dir "$WORK/mypy-cache" .ci/clients/typed_client.py || status=1
  echo "-- typed_client.py against $BASE"
  PYTHONPATH="$WORK/client" "$PY" .ci/clients/typed_client.py "$BASE" \
    "$(awk '$1 == "curators" {print $2}' "$WORK/tokens")" || status=1
  return "$status"
}

# openapi-typescript's types of openapi.yaml (schema.d.ts, never committed) under a
# strict tsc, then the compiled script against the server: tsc emits build/check.js even
# when it finds type errors, so the run reports its own failures too.
typescript_client() {
  local dir="$ROOT/.ci/clients/ts" status=0
  (
    cd "$dir" && npm ci --no-audit --no-fund \
      && ./node_modules/.bin/openapi-typescript "$ROOT/openapi.yaml" -o schema.d.ts
  ) || return 1
  rm -rf "$dir/build"
  echo "-- tsc (strict) .ci/clients/ts/check.ts"
  (cd "$dir" && ./node_modules/.bin/tsc -p .) || status=1
  [ -f "$dir/build/check.js" ] || return 1
  echo "-- check.ts against $BASE"
  node "$dir/build/check.js" "$BASE" || status=1
  return "$status"
}

# 4 ------------------------------------------------------------------------------------
# fuzz PERSONA [TOKEN]: schemathesis over every operation, writes included, as that
# persona, against a server of its own on a fresh copy of the data, in $WORK/fuzz-PERSONA
# (one schemathesis worker: the order of cases is the seed's). Logging out would end the
# persona's token mid-run, so the sign-out routes are left to the anonymous run.
fuzz() {
  local persona="$1" token="${2:-}"
  local auth=() exclude=()
  local dir="$WORK/fuzz-$persona"
  if [ -n "$token" ]; then
    auth=(-H "Authorization: Token $token")
    exclude=(--exclude-path-regex '/auth/logout')
  fi
  DB_DIR="$dir" start_server || return 1
  # Paths under /actors/{actor_ref}/ get a real actor (a slug in both the seed and the
  # fallback data) most of the time, so that their 200 answers are checked too.
  cat >"$dir/schemathesis.toml" <<'EOF2'
[dictionaries.actors]
values = ["al-qaeda", "jabhat-al-nusra"]

[parameters]
"path.actor_ref" = { dictionary = "actors", probability = 0.7 }
EOF2
  (cd "$dir" && "$BIN/schemathesis" --config-file "$dir/schemathesis.toml" run \
    "$BASE/api/v1/schema/" \
    "${auth[@]}" "${exclude[@]}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --max-examples "$MAX_EXAMPLES" \
    --workers 1 \
    --seed 20141001 \
    --generation-database none \
    --request-timeout 30 \
    --no-color)
}

fuzz_anonymous() { fuzz anonymous; }
fuzz_curator() { fuzz curator "$(awk '$1 == "curators" {print $2}' "$WORK/tokens")"; }
fuzz_editor() { fuzz editor "$(awk '$1 == "editors" {print $2}' "$WORK/tokens")"; }

# The three personas' runs go side by side (each is one client and one server, so about
# one core; CI has two), each into its own log; the logs are then printed one after the
# other, with each run's own time and result in the summary, as `run` would note them.
fuzz_side_by_side() {
  local persona name started=()
  for persona in anonymous curator editor; do
    name="schemathesis: $persona$([ "$persona" = anonymous ] || echo " token"), $MAX_EXAMPLES examples"
    if [ -n "${API_CHECKS_ONLY:-}" ] && ! [[ "$name" =~ $API_CHECKS_ONLY ]]; then
      SUMMARY+=("$(printf '%-46s skipped' "$name")")
      continue
    fi
    mkdir -p "$WORK/fuzz-$persona"
    (
      trap stop_server EXIT
      trap 'exit 130' INT TERM
      start=$SECONDS status=0
      "fuzz_$persona" || status=$?
      echo "$status $((SECONDS - start))" >"$WORK/fuzz-$persona/result"
      exit "$status"
    ) >"$WORK/fuzz-$persona/out.log" 2>&1 &
    FUZZ_PIDS+=($!)
    started+=("$persona:$name")
  done
  echo "== api: schemathesis as ${#started[@]} personas side by side"
  wait "${FUZZ_PIDS[@]}" 2>/dev/null || true
  FUZZ_PIDS=()
  local entry status seconds
  for entry in "${started[@]}"; do
    persona="${entry%%:*}" name="${entry#*:}"
    echo "== api: $name"
    cat "$WORK/fuzz-$persona/out.log"
    read -r status seconds <"$WORK/fuzz-$persona/result" 2>/dev/null || status=1 seconds=0
    if [ "$status" -eq 0 ]; then
      SUMMARY+=("$(printf '%-46s ok      %4ss' "$name" "$seconds")")
    else
      if [ -s "$WORK/fuzz-$persona/server.log" ]; then
        echo "-- last lines of the $persona server's log:"
        tail -n 60 "$WORK/fuzz-$persona/server.log"
      fi
      SUMMARY+=("$(printf '%-46s FAILED  %4ss' "$name" "$seconds")")
      FAILED+=("$name")
    fi
  done
}
client_smoke_live() { start_server && client_smoke; }
typed_python_client_live() { start_server && typed_python_client; }
typescript_client_live() { start_server && typescript_client; }
ucdp_paging_live() {
  start_server && "$PY" .ci/ucdp_paging.py "$BASE" "$(awk '$1 == "curators" {print $2}' "$WORK/tokens")"
}

run "committed openapi.yaml matches the code" schema_is_committed
echo "== api: template database with data and personas"
template_start=$SECONDS
make_template
SUMMARY+=("$(printf '%-46s ok      %4ss' "template database with data and personas" "$((SECONDS - template_start))")")
run "generated Python client smoke run" client_smoke_live
run "UCDP client paging loop" ucdp_paging_live
run "typed Python client: mypy --strict, live" typed_python_client_live
run "TypeScript client: tsc strict, live" typescript_client_live
fuzz_side_by_side

echo "== api: summary"
for line in "${SUMMARY[@]}"; do echo "  $line"; done
if [ "${#FAILED[@]}" -gt 0 ]; then
  echo "API checks FAILED: ${FAILED[*]}"
  exit 1
fi
echo "API checks passed"
