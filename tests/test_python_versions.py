"""The code runs on the oldest Python that pyproject.toml claims (``requires-python``),
also when the suite itself runs on a newer one: no newer syntax, no newer stdlib names.

Checked by running the suite on 3.10.13, 3.11.7, 3.12.1 and 3.13.0 (see the README);
this guard keeps CI on one Python from letting 3.11+ code in unnoticed.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "tests").rglob("*.py")])
MINIMUM = tuple(map(int, re.search(r'requires-python = ">=(\d+)\.(\d+)"',
                                   (ROOT / "pyproject.toml").read_text()).groups()))

# Standard-library names added after 3.10 that code is likely to reach for.
NEWER = {
    "tomllib": None, "wsgiref.types": None,
    "datetime": {"UTC"}, "itertools": {"batched"}, "contextlib": {"chdir"},
    "hashlib": {"file_digest"}, "operator": {"call"}, "sys": {"exception"},
    "math": {"exp2", "cbrt", "sumprod", "fma"}, "copy": {"replace"},
    "warnings": {"deprecated"}, "os": {"process_cpu_count"},
    "enum": {"StrEnum", "ReprEnum", "EnumCheck", "verify", "member", "nonmember"},
    "asyncio": {"TaskGroup", "timeout", "Runner"},
    "typing": {"Self", "LiteralString", "Never", "assert_never", "assert_type",
               "reveal_type", "Required", "NotRequired", "TypeVarTuple", "Unpack",
               "dataclass_transform", "override", "TypeAliasType", "ReadOnly", "TypeIs"},
}
NEWER_BUILTINS = {"ExceptionGroup", "BaseExceptionGroup"}


def newer_names(source):
    """The 3.11+ stdlib names that ``source`` imports or uses as ``module.name``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in NEWER and NEWER[a.name] is None]
        elif isinstance(node, ast.ImportFrom) and node.module in NEWER:
            names = NEWER[node.module]
            found += [f"{node.module}.{a.name}" for a in node.names
                      if names is None or a.name in names]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in (NEWER.get(node.value.id) or ()):
                found.append(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Name) and node.id in NEWER_BUILTINS:
            found.append(node.id)
    return found


def test_every_module_parses_and_uses_only_the_stdlib_of_the_oldest_python():
    assert len(FILES) > 50
    problems = {}
    for path in FILES:
        source = path.read_text(encoding="utf-8")
        try:
            ast.parse(source, str(path), feature_version=MINIMUM)
        except SyntaxError as error:
            problems[str(path.relative_to(ROOT))] = f"syntax: {error}"
            continue
        if names := newer_names(source):
            problems[str(path.relative_to(ROOT))] = names
    assert problems == {}


@pytest.mark.parametrize("source, found", [
    ("import tomllib", ["tomllib"]),
    ("from datetime import UTC, timezone", ["datetime.UTC"]),
    ("import itertools\nitertools.batched(x, 2)", ["itertools.batched"]),
    ("from typing import Self", ["typing.Self"]),
    ("raise ExceptionGroup('e', [])", ["ExceptionGroup"]),
    ("import datetime\ndatetime.timezone.utc", []),
])
def test_newer_stdlib_names_are_found(source, found):
    assert newer_names(source) == found


@pytest.mark.parametrize("source", ["try:\n    pass\nexcept* ValueError:\n    pass",
                                    "def f[T](x: T) -> T:\n    return x"])
def test_newer_syntax_is_rejected(source):
    with pytest.raises(SyntaxError):    # by this Python itself or by feature_version
        ast.parse(source, feature_version=MINIMUM)
