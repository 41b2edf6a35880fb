"""The main window's pages, each made the first time it is shown or asked for.

The window starts by painting one page (the dashboard, or the page left open last time); the other ten, and the
modules behind them, are made when the user first goes to them, which keeps them out of the start (a page is
under a tenth of a second to make, and they were half of the window's build). ``PageStack`` holds a light stand-in
for each page not yet made and swaps the page in when it is made; ``PageOf`` gives the window an attribute per
page (``window.incidents``) that makes its page when first read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast, overload

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

if TYPE_CHECKING:
    from bscp_desktop.ui.runtime.context import AppContext


def _dashboard(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.dashboard import DashboardPage
    return DashboardPage(ctx, window)


def _incidents(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.incidents import IncidentsPage
    return IncidentsPage(ctx, window)


def _reviews(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.reviews import ReviewsPage
    return ReviewsPage(ctx, window)


def _catalogue(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.catalogue import CataloguePage
    return CataloguePage(ctx, window)


def _requests(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.requests import RequestsPage
    return RequestsPage(ctx, window)


def _actions(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.actions import ActionsPage
    return ActionsPage(ctx, window)


def _themes(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.themes import ThemesPage
    return ThemesPage(ctx, window)


def _statistics(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.statistics import StatisticsPage
    return StatisticsPage(ctx, window)


def _reports(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.reports import ReportsPage
    return ReportsPage(ctx, window)


def _retention(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.retention import RetentionPage
    return RetentionPage(ctx, window)


def _settings(ctx: AppContext, window: QWidget) -> QWidget:
    from bscp_desktop.ui.pages.settings import SettingsPage
    return SettingsPage(ctx, window)


# Each page's name in the navigation, and how it is made (its module is imported then, not before).
PAGE_MAKERS: dict[str, Callable[[AppContext, QWidget], QWidget]] = {
    "Dashboard": _dashboard, "Incidents": _incidents, "Reviews": _reviews, "Catalogue": _catalogue,
    "Archive requests": _requests, "Actions": _actions, "Themes": _themes, "Statistics": _statistics,
    "Reports": _reports, "Retention": _retention, "Settings": _settings,
}


class PageStack(QStackedWidget):
    """One slot per page, in the navigation's order; a page is made the first time ``page`` asks for it.

    ``made`` is emitted with a page's name and the page as soon as it is made (before it is shown), for the
    window to connect what the page asks of it."""

    made = Signal(str, QWidget)

    def __init__(self, names: tuple[str, ...], ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.names = names
        self._ctx = ctx
        self._window = window
        self._pages: dict[str, QWidget] = {}
        for _ in names:
            self.addWidget(QWidget(self))  # a stand-in until the page is made

    def page(self, name: str) -> QWidget:
        """The page called ``name``, made now if it has not been."""
        if (made := self._pages.get(name)) is not None:
            return made
        index = self.names.index(name)
        page = PAGE_MAKERS[name](self._ctx, self._window)
        stand_in = self.widget(index)
        assert stand_in is not None  # every name has its slot
        showing = self.currentIndex() == index
        self.insertWidget(index, page)
        self.removeWidget(stand_in)
        stand_in.deleteLater()
        if showing:
            self.setCurrentIndex(index)
        self._pages[name] = page
        self.made.emit(name, page)
        return page

    def made_pages(self) -> dict[str, QWidget]:
        """The pages made so far, by name."""
        return dict(self._pages)

    def is_made(self, name: str) -> bool:
        """Whether the page called ``name`` has been made."""
        return name in self._pages


class WithPages(Protocol):
    """A window whose pages are in a ``PageStack``."""

    stack: PageStack


class PageOf[P: QWidget]:
    """A window attribute that is one of its pages (``incidents: PageOf[IncidentsPage] = PageOf("Incidents")``),
    made when first read: the window's ``stack`` is a ``PageStack``."""

    def __init__(self, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, window: None, owner: type) -> PageOf[P]: ...
    @overload
    def __get__(self, window: WithPages, owner: type | None = None) -> P: ...

    def __get__(self, window: WithPages | None, owner: type | None = None) -> P | PageOf[P]:
        if window is None:
            return self
        return cast(P, window.stack.page(self.name))
