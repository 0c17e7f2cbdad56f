"""Reading stored results for the report: JSON files, figures, versions, gaps.

Nothing here trains or computes experiment results; the report only reads what
``deltanet sheet`` (and the single commands) stored. A file that is missing,
unreadable or from another deltanet version is not an error: the report marks
the gap or the mismatch and says which command produces the file.
"""

import datetime
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from deltanet.experiments.store import is_number, read_json
from deltanet.report.document import Figure, Missing, Note, Num, Section, Table, rich

__all__ = ["Context", "Loaded", "SchemaError", "load_json", "find_figure", "drawn", "get",
           "series", "fill_section", "part_sections", "figure"]


class SchemaError(ValueError):
    """A results file lacks something the report needs (names what and where)."""


@dataclass
class Loaded:
    """One results file: ``data`` if it could be read, else ``problem``."""
    path: Path
    data: object = None
    problem: str = ""          # "" | "missing" | "corrupt: ..."

    @property
    def ok(self):
        return not self.problem


def load_json(path):
    """The results file ``path``, read and checked as JSON by the store's reader."""
    path = Path(path)
    try:
        data = read_json(path)
    except FileNotFoundError:
        return Loaded(path, problem="missing")
    except (OSError, ValueError) as exc:        # (also JSON nested too deep to read)
        return Loaded(path, problem=f"corrupt: {exc}")
    if not isinstance(data, dict):
        return Loaded(path, problem=f"corrupt: expected a JSON object, got {type(data).__name__}")
    return Loaded(path, data=data)


def find_figure(directory, stem, lang="en"):
    """``{"svg": path, "png": path}`` for the stored figure ``stem`` in ``lang``
    (either may be absent; see :func:`deltanet.plots.figure_stem`)."""
    from deltanet.plots import figure_stem
    stem = figure_stem(directory, stem, lang)
    files = {ext: stem.with_name(f"{stem.name}.{ext}") for ext in ("svg", "png")}
    return {ext: path for ext, path in files.items() if path.is_file() and path.stat().st_size}


def drawn(directory, stem, lang="en"):
    """True if the figure ``stem`` is stored in ``lang`` as PNG and SVG, both drawn by this
    deltanet (else the report draws it again: a figure of another version may be outdated)."""
    from deltanet.plots import drawn_by_this_version
    files = find_figure(directory, stem, lang)
    return len(files) == 2 and all(drawn_by_this_version(path) for path in files.values())


def get(data, *keys, where=""):
    """``data[k1][k2]...`` or a :class:`SchemaError` naming the missing key."""
    for i, key in enumerate(keys):
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            trail = "/".join(map(str, keys[:i + 1]))
            raise SchemaError(f"{where or 'results'}: no entry {trail}") from None
    return data


def series(data, *keys, where=""):
    """A list of finite numbers stored at ``data[k1][k2]...``."""
    value = get(data, *keys, where=where)
    if not isinstance(value, list) or not all(map(is_number, value)):
        raise SchemaError(f"{where or 'results'}: {'/'.join(map(str, keys))} is not a list of numbers")
    return value


@dataclass
class Context:
    """What the section builders share: the results folder, language, findings."""
    out_dir: Path
    lang: str
    text: dict
    notes: list = field(default_factory=list)             # [Note]
    experiments: list = field(default_factory=list)       # rows of the header table
    commands: list = field(default_factory=list)          # reproduce commands
    versions: dict = field(default_factory=dict)          # part -> version found
    seeds: dict = field(default_factory=dict)             # part -> seeds
    machines: dict = field(default_factory=dict)          # part -> cpu count
    quick: list = field(default_factory=list)             # parts run in quick mode
    sheet: list = field(default_factory=list)   # per part: the sheet options it needs, or None
    damaged: dict = field(default_factory=dict)           # file -> what is wrong, how to redo
    runs: list = field(default_factory=list)              # task 25's readable run records
    draw: bool = True                                     # draw missing figures

    def rich(self, key, **values):
        """The text ``key`` as rich text, ``values`` filled in (:func:`~.document.rich`)."""
        return rich(self.text[key], self.lang, **values)

    def warning(self, key, **values):
        """A warning :class:`~.document.Note` with the text ``key``."""
        return Note(self.rich(key, **values), "warning")

    def table(self, header, rows, caption="", **values):
        """A :class:`~.document.Table` headed by ``header`` (text keys or runs), captioned
        by the text ``caption`` with ``values`` filled in."""
        return Table([self.rich(h) if isinstance(h, str) else h for h in header], rows,
                     caption=self.rich(caption, **values) if caption else [])

    def yes_no(self, flag):
        return self.text["yes"] if flag else self.text["no"]

    def rel(self, path):
        """``path`` relative to the results folder, for messages."""
        try:
            return Path(os.path.relpath(path, self.out_dir)).as_posix()
        except ValueError:  # pragma: no cover - other drive on Windows
            return str(path)

    @property
    def run_set(self):
        """True for a set of ``deltanet run`` or ``sweep`` (``OUT/runs/NAME``), which
        its own commands fill, not ``deltanet sheet``."""
        return self.out_dir.parent.name == "runs"

    @property
    def out_arg(self):
        """The results folder as a shell word, for the commands shown."""
        return shlex.quote(str(self.out_dir))

    def check_version(self, part, version):
        """Remember which deltanet version wrote ``part`` (notes flag mismatches)."""
        if version is not None:
            self.versions[part] = str(version)

    def schema_note(self, path, found, expected, command):
        """Note that a results file has another layout than this report reads."""
        self.notes.append(self.warning("note_schema", file=self.rel(path), found=str(found),
                                       expected=expected, command=command))

    def add_experiment(self, name, config, seeds, wall_seconds, path, written=None):
        """One row of the header's table of what was run."""
        if written is None:
            try:
                stamp = datetime.datetime.fromtimestamp(Path(path).stat().st_mtime)
                written = stamp.astimezone().strftime("%Y-%m-%d %H:%M")
            except OSError:
                written = "–"
        wall = (Num(float(wall_seconds), "seconds", 1) if isinstance(wall_seconds, (int, float))
                else [("text", "–")])
        self.experiments.append([name, config, [("text", seeds)], wall, [("text", written)]])


def figure(ctx, subdir, stem, caption_key, command=None, **values):
    """The stored figure ``subdir/stem`` in the report's language, captioned by the text
    ``caption_key``; ``command`` draws it (default: the part's ``--replot``)."""
    return Figure(files=find_figure(ctx.out_dir / subdir, stem, ctx.lang),
                  caption=ctx.rich(caption_key, **values), name=f"{subdir}/{stem}",
                  command=command or f"deltanet {subdir} --out {ctx.out_arg} --replot")


def fill_section(ctx, section, loaded, command, build):
    """Run ``build(ctx, section, data)``; a missing or damaged file or entry becomes a gap
    (:class:`~deltanet.report.document.Missing`) naming it and the ``command`` producing it."""
    name, problem = ctx.rel(loaded.path), loaded.problem.removeprefix("corrupt: ")
    if loaded.problem == "missing":
        what = ctx.rich("file_missing", file=name)
    elif loaded.problem:
        what = ctx.rich("file_corrupt", file=name, problem=problem)
    else:
        try:
            build(ctx, section, loaded.data)
            return
        except SchemaError as exc:
            problem = str(exc)
        except KeyError as exc:
            problem = f"no entry {exc.args[0]!r}" if exc.args else "an entry is missing"
        except (IndexError, TypeError, ValueError, ZeroDivisionError,
                AttributeError) as exc:     # e.g. a list where the report expects an object
            problem = f"{type(exc).__name__}: {exc}"
        what = ctx.rich("file_schema", file=name, problem=problem)
    if loaded.problem != "missing":     # named again by ``deltanet report`` (exit 2)
        ctx.damaged.setdefault(str(loaded.path), f"{loaded.path} is damaged or was edited "
                                                 f"({problem}); '{command}' computes it again")
    section.add(Missing(what, command))


def sheet_command(ctx):
    """``deltanet sheet --out DIR`` with the options that recompute every stored part
    as stored (``ctx.sheet``), or None if one sheet cannot (parts that disagree)."""
    wanted = {}
    for part in ctx.sheet:
        if part is None or any(wanted.setdefault(k, v) != v for k, v in part.items()):
            return None
    return (f"deltanet sheet --out {ctx.out_arg}{wanted.get('options', '')}"
            f"{' --quick' if wanted.get('quick') else ''}")


def part_sections(ctx, loaded, part, figures, draw, sheet_seeds=None):
    """The sections of task 26 or the tutorial task (the module ``part``) from one file.

    ``loaded`` (default: ``DIR/SUBDIR/results.json``) is checked against ``part.SCHEMA``;
    missing ``figures`` (stems) are drawn by ``draw(data, out_dir, lang)``. The header's
    row is ``part.describe(ctx, data)`` = ``(config runs, seeds text, wall seconds)``
    under the texts ``part.KEYS``; ``sheet_seeds``: the seeds of ``deltanet sheet``
    (other seeds need the part's own command with ``--seeds``). ``part.PARTS`` lists
    ``(id, label, title key, question key, build(ctx, section, data))``.
    """
    subdir = part.SUBDIR
    loaded = loaded or load_json(ctx.out_dir / subdir / "results.json")
    command = f"deltanet {subdir} --out {ctx.out_arg}"
    if loaded.ok:
        data = loaded.data
        versions = data.get("versions")         # (gradients; complex: deltanet_version)
        ctx.check_version(subdir, versions.get("deltanet") if isinstance(versions, dict)
                          else data.get("deltanet_version"))
        if data.get("schema") != part.SCHEMA:
            ctx.schema_note(loaded.path, data.get("schema"), part.SCHEMA, command)
        elif ctx.draw and not all(drawn(ctx.out_dir / subdir, stem, ctx.lang)
                                  for stem in figures):
            try:            # draw the figures missing in the report's language
                draw(data, ctx.out_dir, ctx.lang)
            except Exception as exc:        # the figures stay marked as missing
                ctx.notes.append(Note([("text", f"{subdir}: {type(exc).__name__}: {exc}")],
                                      "warning"))
        # the header's row of the experiment and the command that reproduces it
        part_name = ctx.text[part.KEYS[0]]
        quick = isinstance(data.get("config"), dict) and bool(data["config"].get("quick"))
        try:
            config, seeds, wall = part.describe(ctx, data)
        except (KeyError, TypeError, AttributeError, ValueError):
            config, seeds, wall = ctx.rich("cfg_unreadable"), "–", None
        else:
            if quick:
                config += ctx.rich("cfg_quick")
                ctx.quick.append(part_name)
        ctx.add_experiment(ctx.rich(part.KEYS[1]), config, seeds, wall, loaded.path)
        seed_option = " --seeds " + seeds.replace(",", "") if sheet_seeds else ""
        if seeds != "–":
            ctx.seeds[part_name] = seeds
        ctx.commands.append(command + (seed_option if seeds != "–" else "")
                            + (" --quick" if quick else ""))
        ctx.sheet.append(None if sheet_seeds and seeds != sheet_seeds else {"quick": quick})
    sections = []
    for sid, label, title, question, fn in part.PARTS:
        section = Section(id=sid, label=label, title=ctx.rich(title),
                          question=ctx.rich(question))
        fill_section(ctx, section, loaded, command, fn)
        sections.append(section)
    return sections
