"""Windows that fit the screen they open on, and come back where the user left them.

Office PCs run 1366×768 and 1024×768 screens, and larger ones at 125–200 % scaling; the
smallest logical screen served is 1024×614 (1366×768 at 125 %).  Every window and dialog of
the app opens inside ``QScreen.availableGeometry()`` (the screen less the task bar), frame
included:

- :func:`fit_window` sizes a window to its preferred size, or to what the screen has room for,
  and centres it (on its parent for a dialog);
- :func:`restore_window` / :func:`save_window` keep a window's geometry and maximised state in
  the settings file (``QWidget.saveGeometry``), clamped to the current screen on the way back:
  a window saved on a 1920×1080 screen reopens inside a 1024×768 one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMargins, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QWidget

# The frame a window manager adds around a window (title bar and borders; Windows 10/11 at
# 100 % is about 8 px each side and a 31 px title bar).  Used while the real frame is not yet
# known, i.e. before the window is first shown.
TYPICAL_FRAME = QMargins(8, 31, 8, 8)


def screen_of(widget: QWidget) -> QScreen:
    """The screen ``widget`` is (or will be) on: its own, its parent's, else the primary."""
    for w in (widget, widget.parentWidget()):
        if w is not None:
            screen = w.screen()
            if screen is not None:
                return screen
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen


def _frame(widget: QWidget) -> QMargins:
    """The frame around ``widget``: the real one once it is shown, else :data:`TYPICAL_FRAME`."""
    if widget.isVisible():
        fg, g = widget.frameGeometry(), widget.geometry()
        real = QMargins(g.left() - fg.left(), g.top() - fg.top(), fg.right() - g.right(), fg.bottom() - g.bottom())
        if real.top() > 0 or real.left() > 0:
            return real
    return TYPICAL_FRAME


def room(widget: QWidget) -> QSize:
    """The largest client size that, frame included, fits the available screen."""
    avail = screen_of(widget).availableGeometry()
    f = _frame(widget)
    return QSize(avail.width() - f.left() - f.right(), avail.height() - f.top() - f.bottom())


def fit_size(widget: QWidget, preferred: QSize) -> QSize:
    """``preferred``, shrunk to the room the screen has (never below what fits)."""
    space = room(widget)
    return QSize(max(1, min(preferred.width(), space.width())), max(1, min(preferred.height(), space.height())))


def clamp(widget: QWidget) -> None:
    """Move and, if need be, shrink ``widget`` so that its frame is inside the available screen."""
    avail = screen_of(widget).availableGeometry()
    f = _frame(widget)
    size = widget.size().boundedTo(QSize(avail.width() - f.left() - f.right(),
                                         avail.height() - f.top() - f.bottom()))
    if size != widget.size():
        widget.resize(size)
    frame = QRect(widget.pos(), QSize(size.width() + f.left() + f.right(), size.height() + f.top() + f.bottom()))
    x = min(max(frame.left(), avail.left()), avail.right() + 1 - frame.width())
    y = min(max(frame.top(), avail.top()), avail.bottom() + 1 - frame.height())
    if (x, y) != (frame.left(), frame.top()):
        widget.move(x, y)


def fit_window(widget: QWidget, preferred: QSize | None = None) -> None:
    """Size ``widget`` to ``preferred`` (default: its current size) or the room on its screen,
    and centre it on its parent (a dialog) or on the screen."""
    size = fit_size(widget, preferred or widget.size())
    widget.resize(size)
    avail = screen_of(widget).availableGeometry()
    f = TYPICAL_FRAME if not widget.isVisible() else _frame(widget)
    outer = QSize(size.width() + f.left() + f.right(), size.height() + f.top() + f.bottom())
    parent = widget.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None and parent.isVisible() else avail.center()
    widget.move(QPoint(centre.x() - outer.width() // 2, centre.y() - outer.height() // 2))
    clamp(widget)


def save_window(widget: QWidget, settings: QSettings, key: str) -> None:
    """Remember ``widget``'s geometry and maximised state under ``key``."""
    settings.setValue(f"{key}/geometry", widget.saveGeometry())
    settings.setValue(f"{key}/maximized", bool(widget.isMaximized()))
    settings.sync()


def restore_window(widget: QWidget, settings: QSettings, key: str, preferred: QSize) -> bool:
    """Put ``widget`` back where it was left (clamped to the current screen), or fit it to
    ``preferred`` the first time.  Returns whether it should be shown maximised."""
    data = settings.value(f"{key}/geometry")
    restored = isinstance(data, QByteArray | bytes) and bool(widget.restoreGeometry(QByteArray(data)))
    if restored:
        clamp(widget)  # the screen may be smaller than the one it was saved on
    else:
        fit_window(widget, preferred)
    value = settings.value(f"{key}/maximized", False)
    return value is True or str(value).lower() == "true"


def show_restored(widget: QWidget, settings: QSettings, key: str, preferred: QSize) -> None:
    """:func:`restore_window`, then show (maximised if it was)."""
    if restore_window(widget, settings, key, preferred):
        widget.showMaximized()
    else:
        widget.show()
        clamp(widget)  # now with the real frame
