"""The report as data: sections, blocks and inline text, independent of the output format.

The section builders (``task25``, ``task26``, ``tutorial``) turn stored results
into a :class:`Report`; :mod:`~deltanet.report.html` and
:mod:`~deltanet.report.markdown` render the same object.

Inline text is a list of runs ``(kind, value)``, made by :func:`rich` from a
catalogue template (:mod:`deltanet.i18n`) with a markup that needs no math fonts::

    "δ^{ℓ} = σ′(z^{ℓ}) w^{ℓ+1} …"       ^{..} superscript, _{..} subscript
    "run `deltanet sheet`"              `..` code
    "**overfitting**"                   strong (may contain the other markup)
    "peaks at epoch {epoch}"            placeholder, filled from keyword values

Markup is only read in the template, never in the values filled in, so a
stored string cannot inject markup. A :class:`Num` stays a number until
rendering: the HTML carries its stored value (``data-value``) and source
(``data-key``), so tests can check the page against the results files.
"""

import math
import numbers
import re
from dataclasses import dataclass, field

from deltanet.i18n import localize

__all__ = ["Num", "rich", "TemplateError", "Report", "Section", "Para", "Answer", "Table", "Figure",
           "Missing", "Note", "Steps", "format_number", "plain_text", "render"]


# ------------------------------------------------------------------ numbers --

SUPERSCRIPT_MINUS = "\u2212"   # a real minus sign, not a hyphen


@dataclass(frozen=True)
class Num:
    """A number from the stored results, with how to show it.

    kind: ``"fixed"`` (``digits`` decimals), ``"int"``, ``"percent"`` (value is
    a fraction; shown x100 with ``digits`` decimals and " %"), ``"pct"`` (value
    already in percent), ``"sci"`` (``digits`` significant digits,
    ``m × 10^e``), ``"sig"`` (``digits`` significant digits, fixed notation
    unless very large or small), ``"g"`` (at most ``digits`` significant
    digits, no trailing zeros), ``"seconds"``. ``key`` names the source for
    tests (``data-key``). ``std``: a spread over seeds, shown as "± std" (not
    when 0); ``signed``: a "+" on positive values (for differences).
    """

    value: float
    kind: str = "fixed"
    digits: int = 2
    key: str = ""
    std: float = None
    signed: bool = False

    def __post_init__(self):
        # checked here, inside the section builders, so that a foreign results file
        # becomes a marked gap instead of failing later while rendering
        for name in ("value", "std"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
                raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")

    def runs(self, lang):
        pm = [("text", "\u00a0±\u00a0")]
        if self.std and self.value is not None and self.kind in ("pct", "percent"):
            scale = 100 if self.kind == "percent" else 1      # "95.12 ± 0.30 %"
            mean = format_number(scale * self.value, "fixed", self.digits, lang)
            std = format_number(scale * self.std, "fixed", self.digits, lang)
            return mean + pm + std + [("text", "\u00a0%")]
        runs = format_number(self.value, self.kind, self.digits, lang)
        if self.signed and self.value is not None and self.value > 0:
            runs = [("text", "+" + runs[0][1])] + runs[1:]
        if self.std and self.value is not None:
            kind = "fixed" if self.kind == "int" else self.kind
            runs = runs + pm + format_number(self.std, kind,
                                             max(self.digits, 1 if kind == "fixed" else 0), lang)
        return runs


def _localize(text, lang):
    """The language's separators (:func:`deltanet.i18n.localize`) and a real minus."""
    return localize(text, lang).replace("-", SUPERSCRIPT_MINUS)


def format_number(value, kind="fixed", digits=2, lang="en"):
    """Runs that show ``value``; see :class:`Num` for the kinds.

    >>> format_number(0.9512, "percent", 2, "de")
    [('text', '95,12\\xa0%')]
    >>> format_number(3.2e-10, "sci", 2)
    [('text', '3.2\\xa0×\\xa010'), ('sup', '−10')]
    """
    if value is None:
        return [("text", "–")]
    fixed = {"g": 1e-4, "sig": 1e-3, "sci": math.inf}.get(kind)  # least |value| not as m × 10^e
    if isinstance(value, float) and not math.isfinite(value):
        text = str(value)
    elif fixed and value != 0 and not fixed <= abs(value) < 1e6:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        if int(exponent) != 0:
            return [("text", _localize(mantissa, lang) + "\u00a0×\u00a010"),
                    ("sup", _localize(str(int(exponent)), lang))]
        text = mantissa
    elif kind in ("percent", "pct"):
        text = f"{(100 if kind == 'percent' else 1) * value:,.{digits}f}\u00a0%"
    elif kind == "int":
        text = f"{int(value):,d}"
    elif kind == "seconds":
        minutes, seconds = divmod(value, 60)
        text = (f"{int(minutes)}\u00a0min {seconds:.0f}\u00a0s" if value >= 120
                else f"{value:,.{digits}f}\u00a0s")
    elif kind in ("sig", "sci") and value == 0:
        text = "0"
    elif kind == "g":
        text = f"{value:.{digits}g}"
        if "e" in text:
            text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    elif kind == "sig":
        text = f"{value:,.{max(0, digits - 1 - math.floor(math.log10(abs(value))))}f}"
    else:
        text = f"{value:,.{digits}f}"
    return [("text", _localize(text, lang))]


# ---------------------------------------------------------------- rich text --

_MARKUP = re.compile(r"\^\{((?:[^{}]|\{[A-Za-z_]\w*\})*)\}"     # ^{sup}
                     r"|_\{((?:[^{}]|\{[A-Za-z_]\w*\})*)\}"     # _{sub}
                     r"|`([^`]*)`"                               # `code`
                     r"|\*\*(.+?)\*\*", re.ASCII)                # **strong** (nests)
_KINDS = ("sup", "sub", "code", "strong")                 # the groups of _MARKUP
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}", re.ASCII)


class TemplateError(Exception):
    """A text template names a placeholder that was not filled (a programming error).

    Deliberately not a ``KeyError``: the section builders turn missing
    *data* into marked gaps, but a broken template must fail loudly.
    """


def _fill(text, values, lang, kind):
    """Runs for ``text`` with ``{name}`` placeholders replaced by ``values``."""
    runs = []
    for i, part in enumerate(_PLACEHOLDER.split(text)):    # text, name, text, name, ...
        if i % 2 == 0:
            runs += [(kind, part)] if part else []
        elif part not in values:
            raise TemplateError(f"template placeholder {{{part}}} has no value")
        else:
            runs.extend(_value_runs(values[part], lang, kind))
    return runs


def _value_runs(value, lang, kind):
    if isinstance(value, list):            # already rich text
        return value
    if isinstance(value, Num) and kind == "text":
        return [("num", value)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = Num(value, "int", 0) if isinstance(value, int) else Num(value, "sig", 3)
    if isinstance(value, Num):
        return [(kind, "".join(v for _, v in value.runs(lang)))]
    return [(kind, str(value))]


def rich(template, lang="en", /, **values):
    """Parse the markup of ``template`` and fill its placeholders (see module doc)."""
    runs, pos = [], 0
    for match in _MARKUP.finditer(template):
        runs += _fill(template[pos:match.start()], values, lang, "text")
        kind, inner = _KINDS[match.lastindex - 1], match.group(match.lastindex)
        runs += ([("strong", rich(inner, lang, **values))] if kind == "strong"
                 else _fill(inner, values, lang, kind))
        pos = match.end()
    return _merge(runs + _fill(template[pos:], values, lang, "text"))


def _merge(runs):
    """Join neighbouring runs of the same plain kind ("code" + "code" -> one code)."""
    merged = []
    for kind, value in runs:
        if merged and kind == merged[-1][0] and kind in ("text", "code", "sup", "sub"):
            merged[-1] = (kind, merged[-1][1] + value)
        else:
            merged.append((kind, value))
    return merged


def render(runs, lang, marks):
    """The runs as one string in an output format: ``marks["text"](value)`` for plain
    text, ``marks[kind](value)`` for the other kinds, where "strong" gets its runs
    rendered and "num" gets ``(number, its rendered runs)``."""
    out = []
    for kind, value in runs:
        if kind == "num":
            out.append(marks["num"](value, render(value.runs(lang), lang, marks)))
        elif kind == "strong":
            out.append(marks["strong"](render(value, lang, marks)))
        else:
            out.append(marks[kind](value))
    return "".join(out)


_ATOM = re.compile(r"[−-]?[\d.,]+|\w")       # an exponent that needs no parentheses
# e^(kμ + ks²/2) and w^(ℓ+1), not e^kμ + ks²/2: a plain reader must not take the
# exponent to end early
PLAIN = {"text": str, "code": str, "strong": str, "num": lambda num, shown: shown,
         "sup": lambda v: "^" + (v if _ATOM.fullmatch(v) else f"({v})"),
         "sub": lambda v: "_" + (v if _ATOM.fullmatch(v) else f"({v})")}


def plain_text(runs, lang="en"):
    """The runs as plain text (superscripts as ^x), e.g. for alt texts."""
    return render(runs, lang, PLAIN)


# ------------------------------------------------------------------- blocks --

@dataclass
class Para:
    runs: list


@dataclass
class Answer:
    """The answer to the section's question, computed from the data."""
    sentences: list          # list of runs


@dataclass
class Table:
    header: list             # list of runs (one per column)
    rows: list               # list of rows; a cell is runs or a Num
    caption: list = field(default_factory=list)
    css_class: str = ""      # HTML only, e.g. "experiments"


@dataclass
class Figure:
    """A stored figure: ``files`` maps "svg"/"png" to paths; empty if missing."""
    files: dict
    caption: list
    name: str                # file stem, for messages
    command: str = ""        # how to (re)draw it when missing


@dataclass
class Missing:
    """A gap: what is missing and the command that produces it."""
    what: list               # runs
    command: str


@dataclass
class Note:
    """A remark about the data (version mismatch, partial results, ...)."""
    runs: list
    level: str = "info"      # "info" or "warning"


@dataclass
class Steps:
    """A numbered list of steps (e.g. a derivation), each a list of runs."""
    items: list


@dataclass
class Section:
    id: str                  # anchor, e.g. "task-25a"
    label: str               # e.g. "25 (a)"
    title: list              # runs
    question: list           # runs
    blocks: list = field(default_factory=list)
    complete: bool = True    # False when something is missing

    def add(self, block):
        self.blocks.append(block)
        if isinstance(block, Missing) or (isinstance(block, Figure) and not block.files):
            self.complete = False


@dataclass
class Report:
    lang: str
    title: str
    generated: str                             # date and time, ISO-like
    header: list = field(default_factory=list)      # [(label, runs)]
    experiments: Table = None                  # config, seeds, wall time per experiment
    reproduce: list = field(default_factory=list)   # commands
    notes: list = field(default_factory=list)       # [Note]
    sections: list = field(default_factory=list)    # [Section]
    groups: list = field(default_factory=list)      # [(title, [section ids])]
    explorer: tuple = None                     # (after section id, HTML section); HTML only
    damaged: list = field(default_factory=list)     # one line per damaged file (exit 2)
