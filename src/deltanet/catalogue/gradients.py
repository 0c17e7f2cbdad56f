"""Texts of gradients (English, German); see :mod:`deltanet.i18n`."""

PAIRS = {
}
