# Gần Dân: two commands on a fresh Debian machine with Python 3.11 and make.
#   make run   set up, load the demo data (SQLite) and serve on http://127.0.0.1:8000
#   make test  lint, type-check, migration check and the whole test suite
# Both first check the Debian packages they need (as root they install them) and install
# the Python packages from the lock files in requirements/ (exact versions, with hashes).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check
HOST ?= 127.0.0.1:8000

export GANDAN_ALLOW_INSECURE_KEY ?= 1

# Debian packages: to build the virtualenv and the messages (run), and for the tests:
# Chromium for the browser tests, the fonts and HarfBuzz's subset library for WeasyPrint.
RUN_PACKAGES := python3-venv gettext
TEST_PACKAGES := $(RUN_PACKAGES) chromium fonts-liberation2 libharfbuzz-subset0

.PHONY: serve-prod load cluster cluster-down cluster-test cluster-load debian-cluster run test lint typecheck migrations-check pytest fast browser messages makemessages install install-dev lock debian-run debian-test clean bench

debian-run:
	@bin/need-debian-packages $(RUN_PACKAGES)

debian-test:
	@bin/need-debian-packages $(TEST_PACKAGES)

$(BIN)/activate: | debian-run
	@echo "==> Tạo môi trường ảo $(VENV) ($(PYTHON))"
	$(PYTHON) -m venv $(VENV)

# Exact versions with hashes (requirements/*.txt, made by `make lock`), then the project.
$(VENV)/.installed: requirements/base.txt pyproject.toml | $(BIN)/activate
	@echo "==> Cài đặt gói theo requirements/base.txt"
	$(PIP) install --progress-bar on --require-hashes --no-deps -r requirements/base.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed
	@echo "==> Cài đặt gói cho kiểm thử theo requirements/dev.txt"
	$(PIP) install --progress-bar on --require-hashes --no-deps -r requirements/dev.txt
	touch $@

# After changing dependencies in pyproject.toml: pin them again (uv, from PyPI, only here).
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --no-header --index-url https://pypi.org/simple -q
lock: | $(BIN)/activate
	$(PIP) install -q "uv>=0.13,<0.14"
	$(UV_COMPILE) --extra dev -o requirements/dev.txt
	$(UV_COMPILE) -c requirements/dev.txt -o requirements/base.txt
	$(UV_COMPILE) --extra load -c requirements/base.txt -o requirements/load.txt

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: $(VENV)/.installed
	@cd gandan && ../$(BIN)/gandan compilemessages -v0 -l en

# Refresh the English catalogue from code and templates (run from the root so templates/ is read).
makemessages: $(VENV)/.installed
	$(BIN)/gandan makemessages -l en --ignore .venv --ignore var --ignore staticfiles --ignore "*/tests/*" -v0

run: export DEBUG ?= 1
run: $(VENV)/.installed messages
	@mkdir -p var
	$(BIN)/gandan migrate --no-input -v1
	$(BIN)/gandan demo
	@echo "==> Gần Dân đang chạy tại http://$(HOST)/ cùng tiến trình xử lý nền (Ctrl+C để dừng cả hai)"
	@$(BIN)/gandan worker --worker-id "run-$$(hostname)" --no-reload -v0 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/gandan runserver $(HOST)

# Production: gunicorn with WhiteNoise and the request-size limit (bin/serve, ADR 0010).
serve-prod: $(VENV)/.installed messages
	bin/serve

# The load test (bench/load.py): the production server with the demo data, ≤ 60 s, 0 errors.
#   make load                                      SQLite, 50 clients
#   make load LOAD_ARGS="--db postgres --users 100" DATABASE_URL=postgres://…
$(VENV)/.installed-load: requirements/load.txt $(VENV)/.installed
	$(PIP) install --progress-bar on --require-hashes --no-deps -r requirements/load.txt
	touch $@

load: $(VENV)/.installed-load messages
	$(BIN)/python bench/load.py $(LOAD_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy gandan

migrations-check: $(VENV)/.installed-dev
	$(BIN)/gandan makemigrations --check --dry-run

# The whole suite in two runs: everything but the browser tests on two workers (a test
# database each), then the browser tests on one, one Chromium at a time. Exit code 5 is
# pytest's "nothing selected" (PYTEST_ARGS naming only one kind), not a failure.
pytest: $(VENV)/.installed-dev messages
	@mkdir -p var/screenshots
	$(BIN)/pytest -q -n 2 -m "not browser" $(PYTEST_ARGS) || [ $$? = 5 ]
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS) || [ $$? = 5 ]

# The fast layer: everything but the browser tests and the demo-dataset tests, on two
# workers (pytest-xdist; each has its own test database).
fast: $(VENV)/.installed-dev messages
	$(BIN)/pytest -q -n 2 -m "not browser and not slow" $(PYTEST_ARGS)

browser: $(VENV)/.installed-dev messages
	@mkdir -p var/screenshots
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS)

test: debian-test
	@$(MAKE) --no-print-directory lint typecheck migrations-check pytest

# The national stack on this machine, loopback only (issue 16, docs/deploy.md): etcd, three
# PostgreSQL nodes under Patroni, HAProxy, PgBouncer, pgBackRest, two app processes, the worker.
CLUSTER_PACKAGES := patroni etcd-server haproxy pgbouncer pgbackrest postgresql-15
debian-cluster:
	@bin/need-debian-packages $(CLUSTER_PACKAGES)

cluster: $(VENV)/.installed | debian-cluster
	$(BIN)/python deploy/cluster/cluster.py up

cluster-down:
	@$(BIN)/python deploy/cluster/cluster.py down

# Up with the demo data, the failover and recovery tests, then down again (CI runs it last);
# down also when up fails, so that no daemon outlives the run.
cluster-test: $(VENV)/.installed-dev messages | debian-cluster
	$(BIN)/python deploy/cluster/cluster.py down
	$(BIN)/python deploy/cluster/cluster.py up && \
	$(BIN)/pytest -q -s -m cluster deploy/cluster; status=$$?; \
	$(BIN)/python deploy/cluster/cluster.py down; exit $$status

# The national load on the cluster (bench/cluster_load.py, docs/benchmarks.md): 200 officials
# through HAProxy with two app processes and with one, and writes beside replica analytics.
cluster-load: $(VENV)/.installed-load messages | debian-cluster
	$(BIN)/python deploy/cluster/cluster.py down
	@mkdir -p var/bench
	$(BIN)/python deploy/cluster/cluster.py up && \
	$(BIN)/python bench/cluster_load.py --json var/bench/cluster-load.json; status=$$?; \
	$(BIN)/python deploy/cluster/cluster.py down; exit $$status

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles

# The analytics benchmark (docs/benchmarks.md, issue 11): reads against DuckDB and plain SQL,
# concurrent writes, freshness, a rebuild and a boundary change under load, then an import
# with the ledger on and off. It resets the schema of BENCH_DATABASE_URL (gandan_bench… only).
BENCH_DATABASE_URL ?= postgres://gandan@127.0.0.1:5432/gandan_bench
BENCH_SCALE ?= 0.01
BENCH_ROWS ?= 20000
bench: $(VENV)/.installed-dev
	@mkdir -p var/bench
	DATABASE_URL=$(BENCH_DATABASE_URL) nice -n 10 $(BIN)/python bench/national.py \
		--scale $(BENCH_SCALE) --repeat 5 --writers 2,8 --seconds 10 \
		--json var/bench/national-$(BENCH_SCALE).json
	DATABASE_URL=sqlite:///var/bench/import.sqlite3 nice -n 10 $(BIN)/python \
		bench/import_activities.py --rows $(BENCH_ROWS) --ledger both
