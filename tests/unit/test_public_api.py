import reconciler


def test_public_surface_is_small_and_explicit() -> None:
    assert reconciler.__all__ == ["__version__"]
    assert reconciler.__version__.count(".") == 2
