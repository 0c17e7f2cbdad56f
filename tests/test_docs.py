"""docs/ stays true of what the code writes and computes.

* Every key its results.json schema names exists in a freshly written results file
  (the quick run shared with ``test_report.py``), and every key of a part is named.
* Every JSON path it (and docs/complex-backprop.md) gives for a number exists in
  such a file.
* Its seed-free numbers (the maximum of L, the probabilities, 137, 25, the grid size,
  the exact mu and s^2 of the N(0, 1) model) are recomputed here from the sheet's
  formulas, not taken from the code under test where that is cheap.
* Every ``deltanet ...`` command in docs/ parses with the CLI's own parser.
"""

import json
import math
import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize

from deltanet import stability
from deltanet.cli.main import build_parser
from deltanet.experiments.gradients import make_config
from test_report import tiny_results_dir

DOCS = Path(__file__).resolve().parents[1] / "docs"
TASK26 = (DOCS / "task26.md").read_text(encoding="utf-8")
PARTS = ("a", "b", "c", "vanishing", "exploding")
# relative paths in the text start with one of these (inside the part just named)
RELATIVE_ROOTS = ("table", "slowdown", "configs", "gain_fractions", "per_seed")


@pytest.fixture(scope="module")
def results():
    return json.loads((tiny_results_dir() / "gradients" / "results.json").read_text())


def key_paths(obj, prefix=()):
    """Every path of dict keys in ``obj``, a list's items written as ``[]``."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield prefix + (key,)
            yield from key_paths(value, prefix + (key,))
    elif isinstance(obj, list) and obj:
        yield prefix + ("[]",)
        for value in obj:
            yield from key_paths(value, prefix + ("[]",))


def schema_section():
    section = TASK26.split("## results.json schema", 1)[1]
    top, bullets = section.split("\n* ", 1)
    return top, {m.group(1): m.group(2) for m in
                 re.finditer(r"`(\w+)`: (.*?)(?=\n\* |\Z)", "* " + bullets, re.S)}


def without_parentheses(text):
    while True:
        shorter = re.sub(r"\([^()]*\)", "", text)
        if shorter == text:
            return text
        text = shorter


def named_keys(text):
    """Backticked identifiers (``var_*`` a prefix) and ``{x|y|z: ...}`` alternatives."""
    names = set(re.findall(r"`([A-Za-z_]\w*\*?)`", text))
    for group in re.findall(r"\{(\w+(?:\|\w+)+):", text):
        names.update(group.split("|"))
    return names


def exists(name, keys):
    return any(k.startswith(name[:-1]) for k in keys) if name.endswith("*") else name in keys


def test_every_key_of_the_schema_exists_and_every_key_of_a_part_is_named(results):
    top, bullets = schema_section()
    assert sorted(bullets) == sorted(PARTS)
    top_named = named_keys(without_parentheses(top.split("and one key per part")[0]))
    assert top_named | set(PARTS) == set(results), "top level"
    for part, text in bullets.items():
        names = named_keys(text)
        keys = {p[-1] for p in key_paths(results[part])}
        for dotted in re.findall(r"`(\w+(?:\.\w+)+)`", text):       # e.g. `b.trained`
            assert tuple(dotted.split(".")) in set(key_paths(results)), dotted
        missing = sorted(n for n in names if not exists(n, keys))
        assert not missing, f"docs/task26.md names keys that {part} does not have: {missing}"
        unnamed = sorted(set(results[part]) - names)
        assert not unnamed, f"keys of {part} that docs/task26.md does not name: {unnamed}"


# (doc, results folder, first keys of the full paths it cites, of the relative ones)
CITED = [("task26.md", "gradients", PARTS, RELATIVE_ROOTS),
         ("complex-backprop.md", "complex", ("gradient_check", "task", "mnist", "timings"),
          ())]


@pytest.mark.parametrize("doc, folder, roots, relative_roots", CITED)
def test_every_json_path_in_the_text_exists(doc, folder, roots, relative_roots):
    stored = json.loads((tiny_results_dir() / folder / "results.json").read_text())
    paths = set(key_paths(stored))
    text = (DOCS / doc).read_text(encoding="utf-8").split("## results.json schema", 1)[0]
    checked = 0
    for token in re.findall(r"`([\w*]+(?:\[[^\]`]*\])?(?:\.[\w*]+(?:\[[^\]`]*\])?)+)`", text):
        parts = tuple(re.sub(r"\[[^\]]*\]", ".[]", token).split("."))
        if parts[0] in roots:
            found = any(len(p) == len(parts) and all(a in ("*", b) for a, b in zip(parts, p))
                        for p in paths)
        elif parts[0] in relative_roots:
            found = any(p[-len(parts):] == parts for p in paths if len(p) > len(parts))
        else:
            continue                                      # a module, e.g. `sympy.maximum`
        checked += 1
        assert found, f"docs/{doc} cites {token!r}, which {folder}/results.json does not have"
    assert checked >= 8


def number(pattern):
    match = re.search(pattern, TASK26, re.S)
    assert match, pattern
    return [float(g.replace(",", "")) for g in match.groups()]


def density(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def lsp(z):
    """ln sigma'(z), written out."""
    return -abs(z) - 2 * math.log1p(math.exp(-abs(z)))


def test_the_seed_free_numbers_are_recomputed():
    # the maximum of the sheet's literal formula, without deltanet
    def sheet(w):
        return (2 / w) * math.log((w / 2) * (1 + math.sqrt(1 - 4 / w)) - 1)
    res = optimize.minimize_scalar(lambda w: -sheet(w), bounds=(4.5, 20), method="bounded",
                                   options={"xatol": 1e-10})
    L, w = number(r"Maximum: L = ([\d.]+) at \|w\| = ([\d.]+)")
    assert L == round(-res.fun, 7) and w == pytest.approx(res.x, abs=1e-6)
    # a ~ U(0, 1), interval of length L* inside (0, 1); b ~ N(0, 1): average overlap
    best, rand = number(r"probability is at most L = ([\d.]+).*?([\d.]+) for b ~ N")
    half = -res.fun / 2

    def hit(b):                   # P(a in [-b/w - L/2, -b/w + L/2]) for a ~ U(0, 1)
        return max(0.0, min(-b / res.x + half, 1) - max(-b / res.x - half, 0)) * density(b)
    overlap = integrate.quad(hit, -12, 12, points=[-res.x * (1 + half), res.x * half],
                             limit=200)[0]
    assert (best, rand) == (round(-res.fun, 3), round(overlap, 3))
    k10, = number(r"\(([\d.e-]+) for k = 10")
    assert k10 == float(f"{(-res.fun) ** 10:.2g}")
    # the exploding configuration: (w/4) sqrt(30) and the chain's factor w/4
    assert number(r"\(w/4\) sqrt\(30\) = (\d+)") == [round(100 / 4 * math.sqrt(30))]
    assert number(r"grows by exactly (\d+)") == [make_config()["exploding"]["w"] / 4]
    # the grid of (a): the configured linear grid + two log grids
    n, = number(r"on ([\d,]+) points")
    n_lin, = number(r"a linear grid of ([\d,]+) points")
    n_log, = number(r"plus 2 x ([\d,]+) log-spaced")
    assert n == n_lin + 2 * n_log and n_lin == make_config()["a"]["n_points"]
    # mu and s^2 of ln q = ln|w| + ln sigma'(z), w, z ~ N(0, 1) independent, by quadrature
    mu, s2 = number(r"\| w, z ~ N\(0,1\) indep\..*?\| (-[\d.]+) \| ([\d.]+) \|")
    e_lw = integrate.quad(lambda x: 2 * math.log(x) * density(x), 0, np.inf)[0]
    e_lw2 = integrate.quad(lambda x: 2 * math.log(x) ** 2 * density(x), 0, np.inf)[0]
    e_ls = integrate.quad(lambda z: lsp(z) * density(z), -40, 40)[0]
    e_ls2 = integrate.quad(lambda z: lsp(z) ** 2 * density(z), -40, 40)[0]
    assert mu == round(e_lw + e_ls, 3)
    assert s2 == round(e_lw2 - e_lw ** 2 + e_ls2 - e_ls ** 2, 3)
    assert stability.interval_length(res.x) == pytest.approx(-res.fun, rel=1e-12)


def test_every_command_in_the_docs_parses():
    parser = build_parser()
    commands = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, re.S):
            commands += [line.split("#")[0] for line in block.splitlines()
                         if line.startswith("deltanet ")]
        commands += re.findall(r"`(deltanet [a-z][^`]*)`", text.replace("\n", " "))
    assert len(commands) >= 5
    for line in commands:
        argv = shlex.split(line)[1:]
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:                         # argparse's way to refuse
            pytest.fail(f"{line!r} in docs/ does not parse (exit {exc.code})")
        assert args.command == argv[0]


def test_every_test_the_docs_name_exists():
    """README and docs name the test behind each guarantee; a renamed or deleted test
    would leave the claim without its evidence. (``test_data`` is network2's name for the
    test set, ``test_cost_rises`` and the like are claim ids; ``test_x_*`` names a family.)"""
    root = DOCS.parent
    defined = {name for path in (root / "tests").glob("*.py")
               for name in re.findall(r"def (test_\w+)", path.read_text(encoding="utf-8"))}
    defined |= {path.stem for path in (root / "tests").glob("test_*.py")}
    named = {(name, doc.name) for doc in (root / "README.md", *sorted(DOCS.glob("*.md")))
             for name in re.findall(r"\b(test_\w+)(?![\w*])", doc.read_text(encoding="utf-8"))}
    assert len(named) > 100
    claim_ids = set(re.findall(r'"(test_\w+)"', (root / "src" / "deltanet" / "experiments" /
                                                 "conclusions.py").read_text(encoding="utf-8")))
    missing = sorted((name, doc) for name, doc in named
                     if name not in defined | claim_ids and name != "test_data")
    assert not missing, missing
