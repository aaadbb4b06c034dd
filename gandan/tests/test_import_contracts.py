"""The import contracts of ``pyproject.toml`` (ADR 0020), as ``make lint`` runs them: the tree
keeps them, and a wrong import, made in a copy of the tree, breaks them."""

import glob
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own linter on our own tree)
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, check=False
    )


@pytest.fixture
def tree(tmp_path):
    """A copy of the Python modules and the contracts, to break on purpose."""
    shutil.copytree(
        ROOT / "gandan",
        tmp_path / "gandan",
        ignore=lambda folder, names: (
            [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]
            + ["__pycache__", "static", "templates", "locale", "data"]
        ),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def _add(tree, module, line):
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")


def test_the_tree_keeps_every_contract():
    result = _lint(ROOT)

    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_an_import_up_the_layers_breaks_the_lint(tree):
    _add(tree, "gandan.geo.selectors", "from gandan.reports.models import Report")

    result = _lint(tree)

    assert result.returncode == 1
    assert "gandan.geo is not allowed to import gandan.reports" in result.stdout
    assert "gandan.geo.selectors -> gandan.reports.models" in result.stdout


def test_a_page_used_as_a_library_breaks_the_lint(tree):
    # reports sit above org, so only the pages contract can catch this one
    _add(tree, "gandan.reports.selectors", "from gandan.org.views import team_list")

    result = _lint(tree)

    assert result.returncode == 1
    assert "Illegal imports of protected package gandan.org.views" in result.stdout


def test_every_page_module_is_protected():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    protected = {m for c in contracts if c["type"] == "protected" for m in c["protected_modules"]}
    pages = glob.glob("gandan/*/views.py", root_dir=ROOT) + glob.glob(
        "gandan/*/*_views.py", root_dir=ROOT
    )

    assert {p.removesuffix(".py").replace("/", ".") for p in pages} == protected
