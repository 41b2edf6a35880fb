"""``BarChart``: a grouped vertical bar chart painted with QPainter, with a title, value labels, category labels
and a key. Enough for the statistics page's two charts without the QtCharts add-on."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    """Series of whole numbers over the same categories; a value not recorded (None) draws no bar and says "—"
    (never a bar of 0)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.categories: list[str] = []
        self.series: list[tuple[str, list[int | None], QColor]] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)

    def set_data(self, categories: list[str], series: Sequence[tuple[str, Sequence[int | None], str]]) -> None:
        """Replace the data: ``series`` is (name, values, colour) per series; None for a value not recorded."""
        self.categories = categories
        self.series = [(name, list(values), QColor(colour)) for name, values, colour in series]
        self.setAccessibleDescription("; ".join(f"{name}: " + ", ".join(
            f"{c} {'not recorded' if v is None else v}" for c, v in zip(categories, values, strict=False))
                                                for name, values, _ in self.series))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        fm = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(text)
        p.drawText(0, fm.ascent(), self.title)
        p.setFont(self.font())
        top = fm.height() + 4
        if len(self.series) > 1:  # the key, under the title
            x = 0
            for name, _, colour in self.series:
                p.fillRect(QRectF(x, top + 2, 10, 10), colour)
                p.setPen(text)
                p.drawText(x + 14, top + fm.ascent(), name)
                x += 14 + fm.horizontalAdvance(name) + 18
            top += fm.height() + 4
        if not self.categories or not self.series:
            p.drawText(QRectF(0, top, self.width(), self.height() - top), Qt.AlignmentFlag.AlignCenter, "No data")
            return
        left, bottom = fm.horizontalAdvance("0000") + 8, self.height() - fm.height() - 6
        plot = QRectF(left, top + fm.height(), self.width() - left - 4, bottom - top - fm.height())
        peak = max([v for _, values, _ in self.series for v in values if v is not None] + [1])
        step = max(1, round(peak / 4))
        scale = peak * 1.12  # head-room for the value labels above the tallest bar
        grid = pal.color(QPalette.ColorRole.Mid)
        for k in range(0, peak + 1, step):
            y = plot.bottom() - plot.height() * k / scale
            p.setPen(grid)
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(text)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()), Qt.AlignmentFlag.AlignRight, str(k))
        self._draw_bars(p, plot, scale, bottom)

    def _draw_bars(self, p: QPainter, plot: QRectF, scale: float, bottom: float) -> None:
        """Each category's bars with their values above them ("—" and no bar for one not recorded), and the
        category's name under them."""
        fm = self.fontMetrics()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        slot = plot.width() / len(self.categories)
        bar = slot * 0.7 / len(self.series)
        for i, cat in enumerate(self.categories):
            x0 = plot.left() + i * slot + slot * 0.15
            for j, (_, values, colour) in enumerate(self.series):
                v = values[i] if i < len(values) else None
                h = plot.height() * v / scale if v is not None else 0
                rect = QRectF(x0 + j * bar, plot.bottom() - h, bar - 1, h)
                if v is not None:
                    p.fillRect(rect, colour)
                p.setPen(text)
                p.drawText(QRectF(rect.left() - 10, rect.top() - fm.height(), rect.width() + 20, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, "—" if v is None else str(v))
            p.drawText(QRectF(plot.left() + i * slot, bottom + 2, slot, fm.height()), Qt.AlignmentFlag.AlignHCenter, cat)
