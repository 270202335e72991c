"""Starting the window: the QApplication (CJK font, Qt's Chinese translations, high DPI),
an exception hook that shows one Chinese sentence instead of a traceback, per-user
settings (recent files) and the first report to show.

The windows build on this module and it imports none of them: the main window's
``run(path)`` is in :mod:`~nanzhou_desktop.gui.main_window`, the district window's
``run_district`` in :mod:`~nanzhou_desktop.gui.district_window`.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QSize, Qt, QTranslator, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from nanzhou_desktop.gui import gc_guard
from nanzhou_desktop.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtCore import QtMsgType

    from nanzhou_desktop.model import Unit

APP_NAME = "nanzhou-desktop"
ORG_NAME = "nanzhou"
APP_TITLE = "部门整体支出绩效自评"
MAX_RECENT = 8

# Tried in order: what government PCs have first, then the free fonts of the Debian image.
UI_FONT_FAMILIES = (
    "Microsoft YaHei", "微软雅黑", "WenQuanYi Micro Hei", "文泉驿微米黑", "Noto Sans CJK SC",
    "Source Han Sans SC", "LXGW WenKai", "AR PL UMing CN", "AR PL SungtiL GB", "AR PL UKai CN",
    "SimSun", "宋体", "PingFang SC",
)

log = logging.getLogger("nanzhou_desktop.gui")


# --------------------------------------------------------------------- per-user folders
def user_dirs() -> tuple[Path, Path]:
    """(config dir, data dir).  ``NANZHOU_HOME`` puts both under one folder (tests, portable use)."""
    home = os.environ.get("NANZHOU_HOME")
    if home:
        base = Path(home)
        return base / "config", base / "data"
    from platformdirs import user_config_dir, user_data_dir

    return Path(user_config_dir(APP_NAME, ORG_NAME)), Path(user_data_dir(APP_NAME, ORG_NAME))


class AppSettings:
    """Recent files and the last opened file, kept in an INI file in the user's config folder."""

    def __init__(self, config_dir: Path | None = None, data_dir: Path | None = None) -> None:
        cfg, data = user_dirs()
        self.config_dir = config_dir or cfg
        self.data_dir = data_dir or data
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(self.config_dir / "settings.ini"), QSettings.Format.IniFormat)

    def recent_files(self) -> list[str]:
        value = self.qsettings.value("recent_files", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: str | Path) -> None:
        p = str(Path(path).resolve())
        files = [f for f in self.recent_files() if f != p]
        files.insert(0, p)
        self.qsettings.setValue("recent_files", files[:MAX_RECENT])
        self.qsettings.setValue("last_file", p)
        self.qsettings.sync()

    def remove_recent(self, path: str | Path) -> None:
        p = str(Path(path).resolve())
        self.qsettings.setValue("recent_files", [f for f in self.recent_files() if f != p])
        self.qsettings.sync()

    def last_template(self) -> str:
        """The id of the report template the last new report was made from ('' at first)."""
        return str(self.qsettings.value("last_template", "") or "")

    def set_last_template(self, template_id: str) -> None:
        self.qsettings.setValue("last_template", template_id)

    def last_unit(self) -> Unit | None:
        """The unit (全称, 简称, 所属区) the last new report was made for (None at first)."""
        from nanzhou_desktop.model import Unit

        full = str(self.qsettings.value("last_unit/full_name", "") or "")
        if not full:
            return None
        return Unit(full_name=full, short_name=str(self.qsettings.value("last_unit/short_name", "") or ""),
                    district=str(self.qsettings.value("last_unit/district", "") or ""))

    def set_last_unit(self, unit: Unit) -> None:
        self.qsettings.setValue("last_unit/full_name", unit.full_name)
        self.qsettings.setValue("last_unit/short_name", unit.short_name)
        self.qsettings.setValue("last_unit/district", unit.district)

    def last_file(self) -> str:
        return str(self.qsettings.value("last_file", "") or "")

    def new_example_path(self) -> Path:
        """A fresh, unused name for a copy of the example in the user's data folder."""
        base = self.data_dir / "南洲街道2022年度（示例）.sqlite"
        if not base.exists():
            return base
        n = 2
        while (p := base.with_name(f"南洲街道2022年度（示例{n}）.sqlite")).exists():
            n += 1
        return p

    def log_path(self) -> Path:
        return self.data_dir / "nanzhou-desktop.log"


# --------------------------------------------------------------------- fonts, translations
def _bundled_families() -> list[str]:
    """Fonts shipped in resources/fonts/, registered with Qt."""
    names: list[str] = []
    fonts_dir = resource_path("fonts")
    if fonts_dir.is_dir():
        for f in sorted(fonts_dir.iterdir()):
            if f.suffix.lower() in (".ttf", ".ttc", ".otf"):
                fid = QFontDatabase.addApplicationFont(str(f))
                if fid >= 0:
                    names.extend(QFontDatabase.applicationFontFamilies(fid))
    return names


def _draws_chinese(name: str) -> bool:
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(name)


def choose_ui_family() -> str:
    """The family for every label and field: an installed CJK sans face if there is one, else
    the 黑体 the print engineer's font finder located (registered from its file), else any
    family that draws simplified Chinese; '' when none does."""
    available = set(QFontDatabase.families())
    for name in _bundled_families() + list(UI_FONT_FAMILIES):
        if name in available and _draws_chinese(name):
            return name
    try:
        from nanzhou_desktop.render.fonts import find_fonts

        face = find_fonts().faces.get("heading1")
        if face is not None:
            fid = QFontDatabase.addApplicationFont(str(face.path))
            families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            if families:
                return families[0]
    except Exception:  # noqa: BLE001 - the finder raising FontError just means: keep looking
        log.debug("render.fonts.find_fonts found nothing", exc_info=True)
    for name in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return name
    return ""


def install_font(app: QApplication) -> str:
    family = choose_ui_family()
    if family:
        font = QFont(family)
        font.setPointSizeF(10.5)
        app.setFont(font)
    else:
        log.warning("no CJK font found: Chinese characters will show as boxes")
    return family


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own dialogs (file dialogs, message boxes, standard buttons) in Chinese.

    Qt's catalogue leaves a few words of its dialogs in English ("&Look in:", "Files of
    &type:", "Folder"); the app ships them in ``resources/i18n/nanzhou_qt_zh_CN.qm``, installed
    last so that it is asked first."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    dirs = [str(resource_path("i18n")), QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    loaded: list[QTranslator] = []
    for name in ("qtbase_zh_CN", "qt_zh_CN", "nanzhou_qt_zh_CN"):
        for d in dirs:
            tr = QTranslator()
            if tr.load(name, d):
                tr.setParent(app)  # only the loaded ones stay, owned by the application
                app.installTranslator(tr)
                loaded.append(tr)
                break
    return loaded


# --------------------------------------------------------------------- exception hook
def install_excepthook(settings: AppSettings) -> None:
    """An unexpected error becomes one Chinese sentence in a message box, and a log entry."""
    log_file = settings.log_path()
    logger = logging.getLogger("nanzhou_desktop")
    if not any(getattr(h, "baseFilename", None) == str(log_file.resolve()) for h in logger.handlers):
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        text = (f"程序出现了意外错误（{exc_type.__name__}：{exc}）。\n\n"
                f"已保存的内容不受影响：每处修改在输入后都已写入报告文件。\n"
                f"详细情况已记录在“{log_file}”，请把它发给技术支持。")
        if QApplication.instance() is not None and QGuiApplication.platformName() != "offscreen":
            from PySide6.QtWidgets import QMessageBox  # on error only: it costs start-up ~2 ms

            QMessageBox.critical(None, "意外错误", text)
        else:
            sys.stderr.write(text + "\n")

    sys.excepthook = hook


# --------------------------------------------------------------------- application
def install_icon(app: QApplication) -> None:
    """The window icon (title bar, task bar, Alt+Tab), drawn in resources/icons/app.svg.  Each
    size is read only when the window system asks for it."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(str(resource_path("icons", f"app-{size}.png")), QSize(size, size))
    app.setWindowIcon(icon)


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up once (tests get pytest-qt's instance and set it up too)."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    assert isinstance(app, QApplication)
    if not app.property("nanzhou_ready"):
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(ORG_NAME)
        app.setApplicationDisplayName(APP_TITLE)
        app.setDesktopFileName(APP_NAME)  # Wayland: the .desktop entry (and so the icon) of the .deb
        install_icon(app)
        install_font(app)
        install_translations(app)
        gc_guard.install(app)
        app.setProperty("nanzhou_ready", True)
    return app


def quiet_offscreen() -> None:
    """Without a display, drop Qt's offscreen noise (see below).  Called by the programs (run,
    tools/run.py, tools/screenshots.py), not by make_app: the tests capture Qt's messages."""
    if QGuiApplication.platformName() == "offscreen":
        qInstallMessageHandler(_quiet_offscreen_messages)


def _quiet_offscreen_messages(kind: QtMsgType, context: object, message: str) -> None:
    """Without a display (make run, tests) Qt's offscreen platform says "This plugin does not
    support propagateSizeHints()" for every window shown: noise, dropped.  Anything else is
    written as Qt itself would."""
    if "propagateSizeHints" in message:
        return
    sys.stderr.write(message + "\n")


def first_report_path(settings: AppSettings, path: str | None) -> tuple[Path, str]:
    """Which file to open at start and what to tell the user about that choice."""
    if path:
        return Path(path), ""
    last = settings.last_file()
    if last and Path(last).exists():
        return Path(last), ""
    from nanzhou_desktop.example import write_example

    target = write_example(settings.new_example_path())
    if last:
        return target, f"上次打开的文件“{last}”已不存在，已为您打开示例报告的新副本。"
    return target, "欢迎使用！这是广州市海珠区南洲街道办事处 2022 年度的示例报告（一份新副本），可以随意修改；新建报告请用“文件 → 新建报告”。"


def screenshot_dir() -> Path | None:
    d = os.environ.get("NANZHOU_SCREENSHOT_DIR")
    if d and QGuiApplication.platformName() == "offscreen":
        return Path(d)
    return None
