"""Drop-ins for the course's ``network2.py`` and ``mnist_loader.py`` on deltanet's
core: change a course script's import line to
``from deltanet.compat import network2, mnist_loader`` and nothing else."""

from deltanet.compat import mnist_loader, network2

__all__ = ["network2", "mnist_loader"]
