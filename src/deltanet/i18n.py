"""Languages and every user-facing word: one catalogue per language, one :func:`t`.

The texts live side by side (English, German) in :mod:`deltanet.catalogue`,
one module per area (report, task 25, task 26, complex task); this module
merges them into one catalogue per language. A text is either a template or
a ``(singular, plural)`` pair chosen by the value ``n``. Numbers filled in
by :func:`t` get the language's separators (German: decimal comma, thousands
point), so a template says ``{acc:.2f}`` once for both languages.

>>> t("never", "de")
'nie'
>>> t("n_epochs", "de", n=1), t("n_epochs", "de", n=2000)
('1 Epoche', '2.000 Epochen')
>>> t("n_epochs", "en", n=2000)
'2,000 epochs'
"""

import importlib
import numbers
import string

__all__ = ["LANGUAGES", "check_lang", "t", "template", "fill", "catalogue", "localize", "number",
           "Texts"]

LANGUAGES = ("en", "de")
AREAS = ("report", "task25", "gradients", "complex")     # modules of deltanet.catalogue
_CATALOGUES = {}


def check_lang(lang):
    """``lang`` if it is one of :data:`LANGUAGES`, else ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}; got {lang!r}")
    return lang


def catalogue(lang):
    """All texts of ``lang``: ``{key: template or (singular, plural)}``."""
    check_lang(lang)
    if not _CATALOGUES:
        merged = {}
        for area in AREAS:
            pairs = importlib.import_module(f"deltanet.catalogue.{area}").PAIRS
            clash = sorted(set(pairs) & set(merged))
            assert not clash, f"catalogue keys defined twice: {clash}"
            merged.update(pairs)
        for i, language in enumerate(LANGUAGES):
            _CATALOGUES[language] = {key: texts[i] for key, texts in merged.items()}
    return _CATALOGUES[lang]


def localize(text, lang):
    """English number text ``1,234.5`` -> German ``1.234,5``."""
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


class _Formatter(string.Formatter):
    def __init__(self, lang):
        self.lang = lang

    def format_field(self, value, spec):
        text = super().format_field(value, spec)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            text = localize(text, self.lang)
        return text


def t(key, lang="en", /, **values):
    """The text ``key`` in ``lang`` with ``values`` filled in (numbers localized).

    Without values the raw template comes back (the report fills it with
    :func:`deltanet.report.document.rich`). A ``(singular, plural)`` text is
    chosen by ``n``.
    """
    text = template(key, lang, values.get("n"))
    return fill(text, lang, **values) if values else text


def template(key, lang="en", n=None):
    """The raw text ``key`` in ``lang``; of a ``(singular, plural)`` pair the one for ``n``."""
    text = catalogue(lang)[key]
    return (text[0] if n == 1 else text[1]) if isinstance(text, tuple) else text


def fill(template, lang="en", /, **values):
    """``template.format(**values)`` with the numbers localized for ``lang``."""
    return _Formatter(lang).format(template, **values)


def number(value, spec=".2f", lang="en"):
    """``format(value, spec)`` with the language's separators; "–" for None."""
    return "–" if value is None else localize(format(value, spec), lang)


class _Template(str):
    def format(self, /, **values):
        return t(self.key, self.lang, **values)


class Texts:
    """``texts[key]``: the text ``<prefix><key>`` in ``lang`` as a ``str`` whose ``.format``
    is :func:`t` (numbers localized, a ``(singular, plural)`` text chosen by ``n``; as a
    ``str`` it is the plural), for modules that fill templates late."""

    def __init__(self, prefix, lang):
        self.prefix, self.lang = prefix, check_lang(lang)

    def __getitem__(self, key):
        text = _Template(template(self.prefix + key, self.lang))
        text.key, text.lang = self.prefix + key, self.lang
        return text
