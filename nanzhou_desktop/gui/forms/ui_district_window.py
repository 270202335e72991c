# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'district_window.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtGui import (QAction)
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QMenu, QMenuBar, QProgressBar, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QTableView, QVBoxLayout, QWidget)

from nanzhou_desktop.gui.district_chart import DistrictChart

class Ui_DistrictWindow(object):
    def setupUi(self, DistrictWindow):
        if not DistrictWindow.objectName():
            DistrictWindow.setObjectName(u"DistrictWindow")
        DistrictWindow.resize(1280, 820)
        DistrictWindow.setAcceptDrops(True)
        self.action_add_files = QAction(DistrictWindow)
        self.action_add_files.setObjectName(u"action_add_files")
#if QT_CONFIG(shortcut)
        self.action_add_files.setShortcut(u"Ctrl+O")
#endif // QT_CONFIG(shortcut)
        self.action_add_folder = QAction(DistrictWindow)
        self.action_add_folder.setObjectName(u"action_add_folder")
        self.action_merge = QAction(DistrictWindow)
        self.action_merge.setObjectName(u"action_merge")
        self.action_export_compare = QAction(DistrictWindow)
        self.action_export_compare.setObjectName(u"action_export_compare")
        self.action_export_xlsx = QAction(DistrictWindow)
        self.action_export_xlsx.setObjectName(u"action_export_xlsx")
        self.action_export_csv = QAction(DistrictWindow)
        self.action_export_csv.setObjectName(u"action_export_csv")
        self.action_close = QAction(DistrictWindow)
        self.action_close.setObjectName(u"action_close")
#if QT_CONFIG(shortcut)
        self.action_close.setShortcut(u"Ctrl+W")
#endif // QT_CONFIG(shortcut)
        self.central = QWidget(DistrictWindow)
        self.central.setObjectName(u"central")
        self.central_layout = QVBoxLayout(self.central)
        self.central_layout.setObjectName(u"central_layout")
        self.top = QHBoxLayout()
        self.top.setObjectName(u"top")
        self.add_files_button = QPushButton(self.central)
        self.add_files_button.setObjectName(u"add_files_button")

        self.top.addWidget(self.add_files_button)

        self.add_folder_button = QPushButton(self.central)
        self.add_folder_button.setObjectName(u"add_folder_button")

        self.top.addWidget(self.add_folder_button)

        self.open_button = QPushButton(self.central)
        self.open_button.setObjectName(u"open_button")

        self.top.addWidget(self.open_button)

        self.approve_button = QPushButton(self.central)
        self.approve_button.setObjectName(u"approve_button")

        self.top.addWidget(self.approve_button)

        self.return_button = QPushButton(self.central)
        self.return_button.setObjectName(u"return_button")

        self.top.addWidget(self.return_button)

        self.remove_button = QPushButton(self.central)
        self.remove_button.setObjectName(u"remove_button")

        self.top.addWidget(self.remove_button)

        self.paper_button = QPushButton(self.central)
        self.paper_button.setObjectName(u"paper_button")

        self.top.addWidget(self.paper_button)

        self.top_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.top.addItem(self.top_spacer)

        self.export_xlsx_button = QPushButton(self.central)
        self.export_xlsx_button.setObjectName(u"export_xlsx_button")

        self.top.addWidget(self.export_xlsx_button)

        self.export_csv_button = QPushButton(self.central)
        self.export_csv_button.setObjectName(u"export_csv_button")

        self.top.addWidget(self.export_csv_button)

        self.top.setStretch(7, 1)

        self.central_layout.addLayout(self.top)

        self.prog = QHBoxLayout()
        self.prog.setObjectName(u"prog")
        self.summary_label = QLabel(self.central)
        self.summary_label.setObjectName(u"summary_label")

        self.prog.addWidget(self.summary_label)

        self.progress = QProgressBar(self.central)
        self.progress.setObjectName(u"progress")
        self.progress.setFormat(u"%v / %m")

        self.prog.addWidget(self.progress)

        self.cancel_button = QPushButton(self.central)
        self.cancel_button.setObjectName(u"cancel_button")

        self.prog.addWidget(self.cancel_button)

        self.prog.setStretch(0, 1)
        self.prog.setStretch(1, 2)

        self.central_layout.addLayout(self.prog)

        self.filters = QHBoxLayout()
        self.filters.setObjectName(u"filters")
        self.filter_label = QLabel(self.central)
        self.filter_label.setObjectName(u"filter_label")

        self.filters.addWidget(self.filter_label)

        self.filter_text = QLineEdit(self.central)
        self.filter_text.setObjectName(u"filter_text")
        self.filter_text.setClearButtonEnabled(True)

        self.filters.addWidget(self.filter_text)

        self.filter_year = QComboBox(self.central)
        self.filter_year.setObjectName(u"filter_year")

        self.filters.addWidget(self.filter_year)

        self.filter_district = QComboBox(self.central)
        self.filter_district.setObjectName(u"filter_district")

        self.filters.addWidget(self.filter_district)

        self.filter_kind = QComboBox(self.central)
        self.filter_kind.setObjectName(u"filter_kind")

        self.filters.addWidget(self.filter_kind)

        self.filter_grade = QComboBox(self.central)
        self.filter_grade.setObjectName(u"filter_grade")

        self.filters.addWidget(self.filter_grade)

        self.filter_status = QComboBox(self.central)
        self.filter_status.setObjectName(u"filter_status")

        self.filters.addWidget(self.filter_status)

        self.filter_errors = QCheckBox(self.central)
        self.filter_errors.setObjectName(u"filter_errors")

        self.filters.addWidget(self.filter_errors)

        self.filter_clear = QPushButton(self.central)
        self.filter_clear.setObjectName(u"filter_clear")

        self.filters.addWidget(self.filter_clear)

        self.filters.setStretch(1, 1)

        self.central_layout.addLayout(self.filters)

        self.split = QSplitter(self.central)
        self.split.setObjectName(u"split")
        self.split.setOrientation(Qt.Vertical)
        self.table = QTableView(self.split)
        self.table.setObjectName(u"table")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSortingEnabled(True)
        self.split.addWidget(self.table)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.lower = QSplitter(self.split)
        self.lower.setObjectName(u"lower")
        self.lower.setOrientation(Qt.Horizontal)
        self.left = QWidget(self.lower)
        self.left.setObjectName(u"left")
        self.left_layout = QVBoxLayout(self.left)
        self.left_layout.setObjectName(u"left_layout")
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        self.results_label = QLabel(self.left)
        self.results_label.setObjectName(u"results_label")

        self.left_layout.addWidget(self.results_label)

        self.results = QListWidget(self.left)
        self.results.setObjectName(u"results")
        self.results.setWordWrap(True)

        self.left_layout.addWidget(self.results)

        self.lower.addWidget(self.left)
        self.chart = DistrictChart(self.lower)
        self.chart.setObjectName(u"chart")
        self.lower.addWidget(self.chart)
        self.split.addWidget(self.lower)

        self.central_layout.addWidget(self.split)

        self.central_layout.setStretch(3, 1)
        DistrictWindow.setCentralWidget(self.central)
        self.menubar = QMenuBar(DistrictWindow)
        self.menubar.setObjectName(u"menubar")
        self.menu_file = QMenu(self.menubar)
        self.menu_file.setObjectName(u"menu_file")
        DistrictWindow.setMenuBar(self.menubar)
#if QT_CONFIG(shortcut)
        self.filter_label.setBuddy(self.filter_text)
#endif // QT_CONFIG(shortcut)

        self.menubar.addAction(self.menu_file.menuAction())
        self.menu_file.addAction(self.action_add_files)
        self.menu_file.addAction(self.action_add_folder)
        self.menu_file.addAction(self.action_merge)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.action_export_xlsx)
        self.menu_file.addAction(self.action_export_csv)
        self.menu_file.addAction(self.action_export_compare)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.action_close)

        self.retranslateUi(DistrictWindow)

        QMetaObject.connectSlotsByName(DistrictWindow)
    # setupUi

    def retranslateUi(self, DistrictWindow):
        DistrictWindow.setWindowTitle(QCoreApplication.translate("DistrictWindow", u"\u533a\u7ea7\u6c47\u603b", None))
        self.action_add_files.setText(QCoreApplication.translate("DistrictWindow", u"\u6dfb\u52a0\u62a5\u544a\u6587\u4ef6\u2026", None))
        self.action_add_folder.setText(QCoreApplication.translate("DistrictWindow", u"\u6dfb\u52a0\u6587\u4ef6\u5939\u2026", None))
        self.action_merge.setText(QCoreApplication.translate("DistrictWindow", u"\u5408\u5e76\u5176\u4ed6\u6c47\u603b\u5e93\u2026", None))
#if QT_CONFIG(tooltip)
        self.action_merge.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u628a\u5404\u533a\u62a5\u6765\u7684\u6c47\u603b\u5e93\u5408\u5e76\u5230\u672c\u6c47\u603b\u5e93\uff08\u5e02\u7ea7\u6c47\u603b\uff09\uff1b\u6bcf\u4efd\u62a5\u544a\u90fd\u6309\u88c5\u5165\u6587\u4ef6\u7684\u89c4\u5219\u91cd\u65b0\u68c0\u67e5", None))
#endif // QT_CONFIG(tooltip)
        self.action_export_compare.setText(QCoreApplication.translate("DistrictWindow", u"\u5bfc\u51fa\u4e24\u4e2a\u5e74\u5ea6\u5bf9\u6bd4\uff08Excel\uff09\u2026", None))
        self.action_export_xlsx.setText(QCoreApplication.translate("DistrictWindow", u"\u5bfc\u51fa\u6c47\u603b\u8868\uff08Excel\uff09\u2026", None))
        self.action_export_csv.setText(QCoreApplication.translate("DistrictWindow", u"\u5bfc\u51fa\u6c47\u603b\u8868\uff08CSV\uff09\u2026", None))
        self.action_close.setText(QCoreApplication.translate("DistrictWindow", u"\u5173\u95ed", None))
        self.add_files_button.setText(QCoreApplication.translate("DistrictWindow", u"\u6dfb\u52a0\u6587\u4ef6\u2026", None))
        self.add_folder_button.setText(QCoreApplication.translate("DistrictWindow", u"\u6dfb\u52a0\u6587\u4ef6\u5939\u2026", None))
        self.open_button.setText(QCoreApplication.translate("DistrictWindow", u"\u67e5\u770b\u62a5\u544a", None))
        self.approve_button.setText(QCoreApplication.translate("DistrictWindow", u"\u5df2\u5ba1\u6838", None))
        self.return_button.setText(QCoreApplication.translate("DistrictWindow", u"\u9000\u56de\u4fee\u6539\u2026", None))
        self.remove_button.setText(QCoreApplication.translate("DistrictWindow", u"\u79fb\u9664\u2026", None))
#if QT_CONFIG(tooltip)
        self.remove_button.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u628a\u9009\u4e2d\u5355\u4f4d\u7684\u8fd9\u4efd\u62a5\u544a\uff08\u8fde\u540c\u5386\u53f2\u4fee\u8ba2\uff09\u4ece\u6c47\u603b\u5e93\u4e2d\u79fb\u9664", None))
#endif // QT_CONFIG(tooltip)
        self.paper_button.setText(QCoreApplication.translate("DistrictWindow", u"\u7eb8\u9762\u6838\u5bf9\u2026", None))
#if QT_CONFIG(tooltip)
        self.paper_button.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u8f93\u5165\u6216\u626b\u63cf\u7b7e\u5b57\u76d6\u7ae0\u7684\u7eb8\u9762\u62a5\u544a\u4e0a\u4e8c\u7ef4\u7801\u7684\u5185\u5bb9\uff0c\u6838\u5bf9\u6c47\u603b\u5e93\u4e2d\u7684\u62a5\u544a\u4e0e\u7eb8\u9762\u662f\u5426\u4e00\u81f4", None))
#endif // QT_CONFIG(tooltip)
        self.export_xlsx_button.setText(QCoreApplication.translate("DistrictWindow", u"\u5bfc\u51fa Excel\u2026", None))
        self.export_csv_button.setText(QCoreApplication.translate("DistrictWindow", u"\u5bfc\u51fa CSV\u2026", None))
        self.cancel_button.setText(QCoreApplication.translate("DistrictWindow", u"\u53d6\u6d88", None))
        self.filter_label.setText(QCoreApplication.translate("DistrictWindow", u"\u7b5b\u9009\uff1a", None))
        self.filter_text.setPlaceholderText(QCoreApplication.translate("DistrictWindow", u"\u5355\u4f4d\u540d\u79f0\u6216\u7f16\u7801", None))
#if QT_CONFIG(tooltip)
        self.filter_text.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u53ea\u663e\u793a\u540d\u79f0\uff08\u5168\u79f0\u6216\u7b80\u79f0\uff09\u6216\u7f16\u7801\u4e2d\u542b\u6709\u8fd9\u4e9b\u6587\u5b57\u7684\u5355\u4f4d", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.filter_year.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u5e74\u5ea6", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.filter_district.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u6240\u5c5e\u533a", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.filter_kind.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u5355\u4f4d\u7c7b\u578b\uff08\u8857\u9053\u3001\u9547\u3001\u90e8\u95e8\uff09", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.filter_grade.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u7b49\u7ea7", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.filter_status.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u72b6\u6001\uff08\u8349\u7a3f\u3001\u5df2\u5b9a\u7a3f\u3001\u5df2\u5bfc\u51fa\uff09\u4e0e\u5ba1\u6838\u60c5\u51b5", None))
#endif // QT_CONFIG(tooltip)
        self.filter_errors.setText(QCoreApplication.translate("DistrictWindow", u"\u6709\u9519\u8bef", None))
#if QT_CONFIG(tooltip)
        self.filter_errors.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u53ea\u663e\u793a\u68c0\u67e5\u51fa\u9519\u8bef\u7684\u62a5\u544a", None))
#endif // QT_CONFIG(tooltip)
        self.filter_clear.setText(QCoreApplication.translate("DistrictWindow", u"\u6e05\u9664\u7b5b\u9009", None))
        self.results_label.setText(QCoreApplication.translate("DistrictWindow", u"\u88c5\u5165\u7ed3\u679c\uff08\u53ef\u628a\u62a5\u544a\u6587\u4ef6\u6216\u6587\u4ef6\u5939\u62d6\u5230\u7a97\u53e3\u4e2d\uff09", None))
#if QT_CONFIG(tooltip)
        self.results.setToolTip(QCoreApplication.translate("DistrictWindow", u"\u6bcf\u4e2a\u6587\u4ef6\u7684\u88c5\u5165\u7ed3\u679c", None))
#endif // QT_CONFIG(tooltip)
        self.menu_file.setTitle(QCoreApplication.translate("DistrictWindow", u"\u6587\u4ef6", None))
    # retranslateUi

