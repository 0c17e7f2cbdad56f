"""Session 25, the sheet's side chain: less CPU, the same answers."""

import sympy as sp

from deltanet import stability as st


def test_cancel_proves_the_sympy_identities_as_simplify_did(monkeypatch):
    """Task 26's SymPy steps prove two rational identities with ``sympy.cancel``
    (``simplify`` tried far more, ~0.25 s); every stored string and flag is what
    ``simplify`` gave, and ``cancel`` still refuses a false identity."""
    quick = {"a": st.sigmoid_prime_bound_derivation(), "b": st.interval_derivation()}
    assert quick["a"]["identity_holds"] and quick["b"]["identity_holds"]
    monkeypatch.setattr(sp, "cancel", sp.simplify)
    assert quick == {"a": st.sigmoid_prime_bound_derivation(), "b": st.interval_derivation()}

    z = sp.Symbol("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    monkeypatch.undo()
    assert sp.cancel(sp.diff(sigma, z) - sigma * (1 - sigma)) == 0
    assert sp.cancel(sp.diff(sigma, z) - sigma * (1 + sigma)) != 0
