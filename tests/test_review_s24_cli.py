"""Problems found in the review of session 24 (one test each; every test failed before its fix).

Runs are tiny (a [784, 10, 10] net on 100 training images, one or two epochs).
"""

import json
import re
import shlex
import shutil

from deltanet.cli.main import build_parser, main
from deltanet.report import build_report

TINY = ["--quick", "--epochs", "1", "--train-size", "100", "--sizes", "784,10,10", "--quiet",
        "--workers", "0"]


def _sheet_set(root, *runs):
    """A sheet's results folder ``root/out`` whose task 25 was stored by ``deltanet run``
    (each of ``runs`` is the extra arguments of one call), as the sheet stores it."""
    for argv in runs:
        assert main(["run", *argv, "--out", str(root), "--name", "s", *TINY]) == 0
    out = root / "out"
    out.mkdir()
    shutil.move(root / "runs" / "s" / "task25", out / "task25")
    return out


def test_reproduce_everything_names_the_stored_seeds_and_quick_mode(tmp_path):
    """'Reproduce everything: deltanet sheet --out DIR' was shown for results of
    'deltanet sheet --quick --seeds 1,2': that command trains other runs (full size, seed 1)."""
    out = _sheet_set(tmp_path, ["overfitting", "regularization", "--seeds", "1..2"])
    index = json.loads((out / "task25" / "results.json").read_text())["experiments"]
    whole = build_report(out).reproduce[0]
    args = build_parser().parse_args(shlex.split(whole)[1:])
    assert args.command == "sheet" and args.out == str(out)
    for entry in index.values():
        assert args.quick == entry["quick"] is True
        assert [int(s) for s in re.split(r"[,.]+", args.seeds)] == entry["seeds"] == [1, 2]
    # runs the sheet cannot repeat in one call (other seeds per experiment): part by part only
    out = _sheet_set(tmp_path / "mixed", ["overfitting", "--seeds", "1..2"],
                     ["regularization", "--seed", "3"])
    lines = build_report(out).reproduce
    assert not [line for line in lines if line.startswith("deltanet sheet")
                and "--skip" not in line]
    assert not [line for line in lines if line.startswith("#")], lines
    assert {line for line in lines if "--skip" in line} == {
        f"deltanet sheet --out {out} --skip gradients,complex,report --seeds 1,2 --quick",
        f"deltanet sheet --out {out} --skip gradients,complex,report --seeds 3 --quick"}


def _subcommands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and "sheet" in a.choices)
    return sub.choices


def test_help_shows_each_default_once_and_never_none():
    """'deltanet train --help' said '--train-size ... (default: all 50,000) (default: None)'
    and '(default: False)' after every flag; 'sheet', 'run' and 'sweep' showed no default
    of --lang or --checkpoint-seconds; their descriptions were one unwrapped line each."""
    for name, parser in _subcommands().items():
        formatter = parser._get_formatter()
        for action in parser._actions:
            if not action.option_strings or action.help is None:
                continue
            text = formatter._expand_help(action)
            assert "(default: None)" not in text and "(default: False)" not in text, (name, text)
            assert text.count("(default") <= 1, (name, text)
            if not (action.default is None or action.default is False
                    or action.default == "==SUPPRESS=="):
                assert "default" in text, (name, action.option_strings, text)
        width = max(len(line) for line in parser.format_help().splitlines())
        assert width <= formatter._width, (name, width)


def test_trained_networks_of_26b_say_what_they_were_trained_on(tmp_path):
    """Task 26 (b) listed '[784, 30, 10] 90.7 %' and '[784, 30, 10] 83.2 %' with nothing
    to tell the two networks apart (5,000 images for 3 epochs vs 1,000 for 10)."""
    from test_report import tiny_results_dir

    from deltanet.i18n import catalogue
    from deltanet.report.document import Num, Table, plain_text
    out = tmp_path / "out"
    shutil.copytree(tiny_results_dir(), out)
    nets = json.loads((out / "gradients" / "results.json").read_text())["b"]["trained"]["networks"]
    for lang in ("en", "de"):
        section = next(s for s in build_report(out, lang).sections if s.id == "task-26b")
        table = next(b for b in section.blocks if isinstance(b, Table)
                     and plain_text(b.header[0], lang) == catalogue(lang)["b_net"])
        cell = lambda c: plain_text(c.runs(lang) if isinstance(c, Num) else c, lang)
        rows = [[cell(c) for c in row[:2]] for row in table.rows[:len(nets)]]
        assert len({tuple(r) for r in rows}) == len(nets), rows
        for (sizes, trained_on), net in zip(rows, nets):
            n = f"{net['n_train']:,}".replace(",", "." if lang == "de" else ",")
            assert sizes == str(net["sizes"]) and trained_on.startswith(f"{n} "), trained_on
            assert re.search(rf"\b{net['epochs']} (epochs?|Epochen?)$", trained_on), trained_on


def test_report_of_a_part_folder_names_the_results_folder(tmp_path, capsys):
    """'deltanet report OUT/task25' (as 'deltanet plot OUT/task25' is allowed) wrote
    OUT/task25/report.html with every part 'incomplete' and suggested
    'deltanet sheet --out OUT/task25', which nests a second results folder inside;
    'deltanet gradients --replot --out OUT/gradients' suggested computing into
    OUT/gradients/gradients; 'deltanet sheet --out OUT/task25' trained all again inside."""
    out = tmp_path / "my out"
    for part in ("task25", "gradients", "complex"):
        (out / part).mkdir(parents=True)
        (out / part / "results.json").write_text("{}")
        calls = [["report", str(out / part), "--lang", "de"], ["sheet", "--out", str(out / part)]]
        if part != "task25":
            calls += [[part, "--replot", "--out", str(out / part)],
                      [part, "--quick", "--out", str(out / part)]]
        for argv in calls:
            assert main(argv) == 2
            err = capsys.readouterr().err
            words = argv[:-1] if argv[0] in (part, "sheet") else argv[:1]
            fix = ["deltanet", *[w for w in words if w != "--quick"], str(out)]
            assert err.count("\n") == 1 and f"'{shlex.join(fix)}'" in err, (err, fix)
            assert sorted(p.name for p in (out / part).iterdir()) == ["results.json"]


def test_26c_says_from_which_k_the_monte_carlo_check_says_little(tmp_path, capsys):
    """'Monte Carlo agrees within 3 standard errors for 30 of 30 values of k': from k = 8
    on (100,000 paths) the standard error exceeds a third of E[Q] (10^6 of it at k = 30),
    so most of those agreements say little; the answer did not say so."""
    from test_report import tiny_results_dir
    out = tmp_path / "out"
    shutil.copytree(tiny_results_dir(), out)
    table = json.loads((out / "gradients" / "results.json").read_text())["c"]["models"][
        "lognormal"]["table"]
    m1, m2, n = table["m1"], table["m2"], table["n_paths"]
    rel_se = [((m2 / m1 ** 2) ** k - 1) ** 0.5 / n ** 0.5 for k in table["k"]]  # i.i.d. factors
    first = next(k for k, se in zip(table["k"], rel_se) if se > 1 / 3)
    assert main(["gradients", "--replot", "--out", str(out), "--quiet"]) == 0
    said = re.findall(r"From k = (\d+) on the standard error of the Monte Carlo mean "
                      r"\(([\d,]+) paths\) exceeds a third of E\[Q\]", capsys.readouterr().out)
    assert said == [(str(first), f"{n:,}")]


def test_complex_instability_names_how_the_imaginary_parts_started(tmp_path, capsys):
    """The figure said 'Imaginary parts started at 1e-06' above a curve starting at
    4.0e-06: the imaginary parts start as 1e-06 · N(0, 1), whose largest is larger."""
    from test_report import tiny_results_dir
    out = tmp_path / "out"
    shutil.copytree(tiny_results_dir(), out)
    instability = json.loads((out / "complex" / "results.json").read_text())["mnist"][
        "instability"]
    eps, start = instability["perturbation"], instability["max_imag_weight"][0]
    assert start > 1.5 * eps            # (the largest of many draws of eps · N(0, 1))
    assert main(["complex", "--replot", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    svg = (out / "complex" / "complex-mnist.svg").read_text()
    title = re.search(r"Im w, started[^<]*", svg).group(0)
    assert title == f"Im w, started as {eps:g} · N(0, 1)", title
    assert re.search(r"from imaginary parts 1\s×\s10\^−6 · N\(0, 1\): the largest \|Im w\| "
                     r"goes from \S+\s×\s10\^−6", printed), printed
