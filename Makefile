# Gần Dân: two commands on a fresh machine.
#   make run   set up, load the demo data (SQLite) and serve on http://127.0.0.1:8000
#   make test  lint, type-check, migration check and the whole test suite

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check
HOST ?= 127.0.0.1:8000

export GANDAN_ALLOW_INSECURE_KEY ?= 1

.PHONY: run test lint typecheck migrations-check pytest fast browser messages makemessages install install-dev clean

$(BIN)/activate:
	@echo "==> Tạo môi trường ảo $(VENV) ($(PYTHON))"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	@echo "==> Cài đặt gói (pip install -e .)"
	$(PIP) install --progress-bar on -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	@echo "==> Cài đặt gói cho kiểm thử (pip install -e .[dev])"
	$(PIP) install --progress-bar on -e '.[dev]'
	touch $@

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
	@echo "==> Gần Dân đang chạy tại http://$(HOST)/  (Ctrl+C để dừng)"
	$(BIN)/gandan runserver $(HOST)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy gandan

migrations-check: $(VENV)/.installed-dev
	$(BIN)/gandan makemigrations --check --dry-run

pytest: $(VENV)/.installed-dev messages
	@mkdir -p var/screenshots
	$(BIN)/pytest -q $(PYTEST_ARGS)

# The fast layer: everything but the browser tests and the demo-dataset tests, on two
# workers (pytest-xdist; each has its own test database).
fast: $(VENV)/.installed-dev messages
	$(BIN)/pytest -q -n 2 -m "not browser and not slow" $(PYTEST_ARGS)

browser: $(VENV)/.installed-dev messages
	@mkdir -p var/screenshots
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
