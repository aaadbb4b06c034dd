"""No ``Any`` on who acts (issue 12, "Typed actors"): a production module that annotates a
parameter named ``actor``, ``user`` or ``viewer`` with ``Any`` (alone, or inside a union or
``Optional``) fails here. The types to use are in ``gandan.accounts.types`` (``Actor``,
``User``, ``AnyUser``, ``AuthenticatedHttpRequest``) and, below ``accounts``,
``gandan.core.audit.AuditActor``.

Read with ``ast``, not text search: a wrapped signature, a keyword-only parameter, a
``typing.Any`` or a string annotation are found as well.
"""

import ast
from pathlib import Path

import pytest

import gandan

ROOT = Path(gandan.__file__).resolve().parent
NAMES = frozenset({"actor", "user", "viewer"})


def _mentions_any(node: ast.expr | None) -> bool:
    """Whether an annotation is, or contains, ``Any`` / ``typing.Any`` (also as a string)."""
    if node is None:
        return False
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id == "Any":
            return True
        if isinstance(part, ast.Attribute) and part.attr == "Any":
            return True
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            try:
                inner = ast.parse(part.value, mode="eval").body
            except SyntaxError:
                continue
            if _mentions_any(inner):
                return True
    return False


def untyped_actors(source: str, filename: str = "<source>") -> list[str]:
    """``file:line function(parameter)`` for every parameter named as a user and typed Any."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = node.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        found += [
            f"{filename}:{arg.lineno} {node.name}({arg.arg})"
            for arg in every
            if arg.arg in NAMES and _mentions_any(arg.annotation)
        ]
    return found


def production_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    )


def test_no_production_parameter_types_a_user_as_any() -> None:
    modules = production_modules()
    assert len(modules) > 200  # the walk found the tree (not an empty folder)
    found = [
        hit
        for path in modules
        for hit in untyped_actors(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from typing import Any\ndef f(*, actor: Any) -> None: ...",
        "import typing\ndef f(user: typing.Any) -> None: ...",
        "from typing import Any\ndef f(actor: Any | None = None) -> None: ...",
        "from typing import Any, Optional\ndef f(actor: Optional[Any]) -> None: ...",
        "def f(user: 'Any') -> None: ...",
        "from typing import Any\nclass C:\n    def m(self, viewer: Any) -> None: ...",
        "from typing import Any\nasync def f(\n    a: int,\n    *,\n    actor: Any,\n) -> None: ...",
    ],
)
def test_the_guard_finds_any_on_a_user(source: str) -> None:
    assert len(untyped_actors(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "def f(*, actor: Actor) -> None: ...",
        "def f(user: User | AnonymousUser) -> None: ...",
        "from typing import Any\ndef f(data: Any, *, actor: Actor) -> None: ...",
        "from typing import Any\ndef f(*args: Any, **kwargs: Any) -> None: ...",
    ],
)
def test_the_guard_leaves_typed_users_and_other_parameters(source: str) -> None:
    assert untyped_actors(source) == []
