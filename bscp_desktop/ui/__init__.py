"""The PySide6 desktop application: start-up, main window, pages, forms, table models and background tasks.
The only package that imports Qt.

Importing it also turns off one thing Qt for Python does at every later import: it reads the source of each
newly imported module (``inspect.getsource``) to see whether it opts into a ``__feature__`` (``snake_case``,
``true_property``). This program opts into none, and the reading cost about 0.1 s of the window's start.
"""

from __future__ import annotations

from types import ModuleType


def _skip_feature_scan() -> None:
    """Tell Qt for Python's import hook that no module uses its ``__feature__`` switches (the hook then
    records each module as plain Python, as it does for modules without source). Where a later version of
    Qt for Python moves the hook, nothing changes but the speed."""
    try:
        import PySide6  # noqa: F401 - the hook is installed by importing Qt for Python
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:
        return
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        def uses_no_feature(_module: ModuleType) -> bool:
            return False

        feature._mod_uses_pyside = uses_no_feature


_skip_feature_scan()
