# `make run` serves the API with the seed data on http://127.0.0.1:8000/;
# `make test` runs the test suite (DATABASE_URL picks the database; SQLite by default).
PYTHON ?= python3
VENV ?= .venv
# The file of the seed's articles (README: The seed data and its texts), if at hand.
SEED_TEXTS ?=
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate seed lint format check clean assets

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py migrate --noinput

seed: migrate
	@if DEBUG=$${DEBUG-1} $(BIN)/python manage.py help load_seed >/dev/null 2>&1; then \
		DEBUG=$${DEBUG-1} $(BIN)/python manage.py load_seed $(if $(SEED_TEXTS),--texts $(SEED_TEXTS)); \
	else echo "No seed loader yet: serving an empty database."; fi

run: seed
	@echo
	@echo "API:   http://127.0.0.1:8000/api/v1/"
	@echo "Docs:  http://127.0.0.1:8000/api/v1/docs/  (ReDoc: /api/v1/redoc/, schema: /api/v1/schema/)"
	@echo
	@echo "Admin: create a user with  DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo "       then sign in at http://127.0.0.1:8000/admin/"
	@echo
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

# The suite runs on every core (pytest-xdist; JOBS=1 for one process, e.g. to debug).
JOBS ?= auto
test: install
	$(BIN)/python -m pytest -n $(JOBS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: schema
# On SQLite whatever DATABASE_URL says: integer limits in the schema follow the backend.
schema: install
	DATABASE_URL=sqlite://:memory: DEBUG=1 \
	  $(BIN)/python manage.py spectacular --validate --fail-on-warn --file openapi.yaml

check: lint test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles

# The admin's pictures' vendored assets (Leaflet, map outlines) from the npm registry,
# into conflictapi/static/conflictapi/vendor/ (committed: running needs no npm).
assets: install
	cd assets && npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/python assets/build.py
