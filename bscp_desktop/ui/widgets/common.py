"""RAG colours (always with their text), empty-state panels, inline error labels, headings, and opening a file
with the system's viewer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QSplitter,
    QStyle,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.rules import Rag

_RAG_COLOURS = {
    Rag.OVERDUE: ("#f8d7da", "#7a1019"),
    Rag.DUE: ("#fff0c2", "#6b4a00"),
    Rag.ON_TRACK: ("#d8f0dc", "#17512a"),
    Rag.ON_HOLD: ("#dde8f6", "#1d3557"),
    Rag.MET: ("#e6e9ee", "#2f3b4a"),
    Rag.MET_LATE: ("#efe3f5", "#55206e"),
}
_RAG_COLOURS_DARK = {
    Rag.OVERDUE: ("#6b1d24", "#ffd9dc"),
    Rag.DUE: ("#5c4a12", "#fff0c2"),
    Rag.ON_TRACK: ("#1f4a2b", "#d8f0dc"),
    Rag.ON_HOLD: ("#23395b", "#dde8f6"),
    Rag.MET: ("#3a4250", "#e6e9ee"),
    Rag.MET_LATE: ("#4a2a5a", "#efe3f5"),
}


def is_dark() -> bool:
    """True when the application palette is dark (the system's dark mode)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def rag_colours(rag: Rag) -> tuple[QColor, QColor]:
    """Background and text colour for a RAG state, for light or dark palettes."""
    bg, fg = (_RAG_COLOURS_DARK if is_dark() else _RAG_COLOURS)[rag]
    return QColor(bg), QColor(fg)


class EmptyState(QFrame):
    """A calm panel saying why a list is empty and what to do about it."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        f = QFont(self.title.font())
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.text = QLabel(text, self)
        self.text.setWordWrap(True)
        self.text.setMaximumWidth(560)
        # A word-wrapped label keeps its height-for-width only when the layout does not align it, so the
        # column is centred by stretches instead.
        column = QVBoxLayout()
        column.addStretch(1)
        for lab in (self.title, self.text):
            lab.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            column.addWidget(lab)
        column.addStretch(2)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(column, 4)
        row.addStretch(1)


class WrappedLabel(QLabel):
    """A word-wrapped label that asks for the height its lines need at the width it is given, so a form that is
    short of room scrolls instead of squeezing the lines over their neighbours (a form layout does not pass the
    width down through a field's own little layout, and would otherwise size it for one long line)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_lines()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self._fit_lines()

    def _fit_lines(self) -> None:
        if self.width() < 120 and self.text():  # not laid out yet: its first width says nothing
            return
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(needed, 0))


class FieldError(WrappedLabel):
    """The inline message under a form field, every line of it shown; hidden when there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setStyleSheet("color: #b3261e;")
        self.hide()

    def show_message(self, text: str | None) -> None:
        """Show ``text``, or hide when None/empty."""
        self.setText(text or "")
        self.setVisible(bool(text))


def heading(text: str, parent: QWidget | None = None, scale: float = 1.3) -> QLabel:
    """A bold heading label."""
    lab = QLabel(text, parent)
    f = QFont(lab.font())
    f.setPointSizeF(f.pointSizeF() * scale)
    f.setBold(True)
    lab.setFont(f)
    return lab


def search_field(parent: QWidget, name: str, placeholder: str) -> QLineEdit:
    """A find box: what it searches said in it until the user types, cleared with one click, named for a
    screen reader."""
    field = QLineEdit(parent)
    field.setPlaceholderText(placeholder)
    field.setClearButtonEnabled(True)
    field.setAccessibleName(name)
    return field


class _LeadsTo(QObject):
    """Down, Enter or Return in a find box moves the focus to its results, the first row made current."""

    def __init__(self, field: QLineEdit, results: QAbstractItemView) -> None:
        super().__init__(field)
        self.results = results
        field.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            model = self.results.model()
            if model is None or model.rowCount() == 0:
                return False
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(model.index(0, 0))
            self.results.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False


def leads_to(field: QLineEdit, results: QAbstractItemView) -> None:
    """Let the keyboard go from the find box ``field`` to the list of ``results`` with Down, Enter or Return."""
    _LeadsTo(field, results)


def fit_on_screen(window: QWidget, width: int, height: int) -> None:
    """Size a window to ``width`` × ``height``, or to what its screen has room for beside the taskbar (the
    screen's available geometry, less the title bar), whichever is smaller, and keep it wholly on that screen:
    Save and Close never sit under a taskbar on a 1366 × 768 laptop."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    room = screen.availableGeometry()
    title_bar = max(window.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight), 30)
    w, h = min(width, room.width() - 16), min(height, room.height() - title_bar - 8)
    window.resize(max(w, window.minimumSizeHint().width() if w < width else w), h)
    frame = window.frameGeometry()
    x = min(max(frame.x(), room.x()), room.right() - window.width() - 8)
    y = min(max(frame.y(), room.y()), room.bottom() - window.height() - title_bar)
    window.move(max(room.x(), x), max(room.y(), y))


def heading_row(title: str, parent: QWidget, *right: QWidget) -> QHBoxLayout:
    """A page's heading on the left and ``right`` (a count, its buttons) on the right."""
    row = QHBoxLayout()
    row.addWidget(heading(title, parent))
    row.addStretch(1)
    for w in right:
        row.addWidget(w)
    return row


def list_over_detail(parent: QWidget, listing: QWidget, detail: QWidget, detail_share: int = 2) -> QSplitter:
    """A list above the selected item's detail, which the user may resize: the list takes 3 shares of the
    height, the detail ``detail_share``."""
    split = QSplitter(Qt.Orientation.Vertical, parent)
    split.addWidget(listing)
    split.addWidget(detail)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, detail_share)
    return split


class SteadyLabel(QLabel):
    """A word-wrapped label that takes the height of the longest of the ``texts`` it will show, so what sits
    below it stays put as its text changes (the Reports page's description of each report)."""

    def __init__(self, texts: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.texts = list(texts)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.width() < 120:
            return
        flags = int(Qt.TextFlag.TextWordWrap)
        tallest = max((self.fontMetrics().boundingRect(0, 0, self.width(), 10_000, flags, t).height()
                       for t in self.texts), default=0)
        if tallest != self.minimumHeight():
            self.setMinimumHeight(tallest)


def forewarning(parent: QWidget, name: str) -> QLabel:
    """The line beside a button whose action will be refused as things stand, saying why before it is pressed:
    a label Tab reaches (its text selectable by keyboard) and a screen reader names; ``warn`` fills it."""
    lab = WrappedLabel("", parent)
    lab.setAccessibleName(name)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    lab.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    lab.setStyleSheet("color: #7a4b00;")
    lab.hide()
    return lab


def warn(note: QLabel, button: QWidget | None, text: str) -> None:
    """Say ``text`` in ``note`` (hidden when empty) and give it to ``button`` as the description a screen reader
    reads with its name."""
    note.setText(text)
    note.setVisible(bool(text))
    if button is not None:
        button.setAccessibleDescription(text)


def hint(text: str, parent: QWidget | None = None) -> QLabel:
    """Secondary text (computed due dates, explanations)."""
    return secondary(WrappedLabel(text, parent))


def secondary[L: QLabel](lab: L) -> L:
    """``lab`` in the muted colour of secondary text."""
    pal = lab.palette()
    pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.PlaceholderText))
    lab.setPalette(pal)
    return lab


def make_combo(parent: QWidget, name: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    """A combo box of (label, value) items, named for accessibility and its tooltip."""
    box = QComboBox(parent)
    box.setAccessibleName(name)
    box.setToolTip(name)
    for label, value in items:
        box.addItem(label, value)
    return box


def refill(combo: QComboBox, items: Sequence[tuple[str, object]], all_label: str) -> None:
    """Replace a filter combo's items (after an "all" item), keeping the current choice when it is still there,
    without firing its change signal."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, None)
    for label, value in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def clear_layout(layout: QLayout) -> None:
    """Remove every item of ``layout``, deleting its widgets (rows of buttons rebuilt for each record)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def row_table(parent: QWidget, model: QAbstractItemModel, name: str, several: bool = False) -> QTableView:
    """A table of whole-row records as every page shows them: rows selected whole (one, or ``several``), no row
    numbers, alternating shading, rows a line high with room to breathe; ``name`` for screen readers."""
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setHighlightSections(False)  # a selected row would make every heading bold, and cut
    table.setWordWrap(False)  # a row is a line: a cut text is elided, not wrapped out of sight
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "Agency … (Police)": both ends of a cut text; the tip has it all
    return table


def record_table(parent: QWidget, name: str, headers: tuple[str, ...], stretch: int,
                 widths: tuple[int, ...] = ()) -> QTableWidget:
    """A short read-only list of records (users, holds, a disposal log): rows selected whole, one at a time, no
    row numbers; column ``stretch`` takes the spare width, the others start at ``widths``."""
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in enumerate(widths):
        if column != stretch:
            table.setColumnWidth(column, width)
    return table


def open_file(path: Path) -> bool:
    """Open a file or folder with the system's viewer (importing modules hold it by name, so tests can watch
    it there)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
