"""nanzhou-desktop: write, check, print and send a street office's 部门整体支出绩效自评报告.

The package's domain core (everything outside :mod:`nanzhou_desktop.gui`) imports no Qt.
"""

__version__ = "0.1.0"
APP_NAME = "nanzhou-desktop"
APP_TITLE = "部门整体支出绩效自评"
