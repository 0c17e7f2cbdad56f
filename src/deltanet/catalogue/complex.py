"""Texts of complex (English, German); see :mod:`deltanet.i18n`."""

PAIRS = {
}
