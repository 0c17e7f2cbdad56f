"""The texts of deltanet, (English, German) side by side; merged by :mod:`deltanet.i18n`."""
