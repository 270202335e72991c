# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialogButtonBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QSizePolicy, QSpinBox, QSplitter, QTabWidget, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_ImportDialog(object):
    def setupUi(self, ImportDialog):
        if not ImportDialog.objectName():
            ImportDialog.setObjectName(u"ImportDialog")
        ImportDialog.resize(1100, 720)
        self.layout = QVBoxLayout(ImportDialog)
        self.layout.setObjectName(u"layout")
        self.head = QGridLayout()
        self.head.setObjectName(u"head")
        self.unit_label = QLabel(ImportDialog)
        self.unit_label.setObjectName(u"unit_label")

        self.head.addWidget(self.unit_label, 0, 0, 1, 1)

        self.unit_edit = QLineEdit(ImportDialog)
        self.unit_edit.setObjectName(u"unit_edit")

        self.head.addWidget(self.unit_edit, 0, 1, 1, 1)

        self.year_label = QLabel(ImportDialog)
        self.year_label.setObjectName(u"year_label")

        self.head.addWidget(self.year_label, 0, 2, 1, 1)

        self.year_spin = QSpinBox(ImportDialog)
        self.year_spin.setObjectName(u"year_spin")
        self.year_spin.setMinimum(1999)
        self.year_spin.setMaximum(2100)

        self.head.addWidget(self.year_spin, 0, 3, 1, 1)

        self.identity_hint = QLabel(ImportDialog)
        self.identity_hint.setObjectName(u"identity_hint")
        self.identity_hint.setWordWrap(True)

        self.head.addWidget(self.identity_hint, 0, 4, 1, 1)

        self.template_label = QLabel(ImportDialog)
        self.template_label.setObjectName(u"template_label")

        self.head.addWidget(self.template_label, 1, 0, 1, 1)

        self.template_combo = QComboBox(ImportDialog)
        self.template_combo.setObjectName(u"template_combo")

        self.head.addWidget(self.template_combo, 1, 1, 1, 1)

        self.template_row = QHBoxLayout()
        self.template_row.setObjectName(u"template_row")
        self.outline_hint = QLabel(ImportDialog)
        self.outline_hint.setObjectName(u"outline_hint")
        self.outline_hint.setWordWrap(True)

        self.template_row.addWidget(self.outline_hint)

        self.add_sections_box = QCheckBox(ImportDialog)
        self.add_sections_box.setObjectName(u"add_sections_box")

        self.template_row.addWidget(self.add_sections_box)

        self.template_row.setStretch(0, 1)

        self.head.addLayout(self.template_row, 1, 2, 1, 3)

        self.head.setColumnStretch(1, 1)
        self.head.setColumnStretch(4, 1)

        self.layout.addLayout(self.head)

        self.notes_label = QLabel(ImportDialog)
        self.notes_label.setObjectName(u"notes_label")

        self.layout.addWidget(self.notes_label)

        self.splitter = QSplitter(ImportDialog)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Horizontal)
        self.left = QWidget(self.splitter)
        self.left.setObjectName(u"left")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(3)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.left.sizePolicy().hasHeightForWidth())
        self.left.setSizePolicy(sizePolicy)
        self.left_layout = QVBoxLayout(self.left)
        self.left_layout.setObjectName(u"left_layout")
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        self.table_label = QLabel(self.left)
        self.table_label.setObjectName(u"table_label")

        self.left_layout.addWidget(self.table_label)

        self.table = QTableView(self.left)
        self.table.setObjectName(u"table")
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)

        self.left_layout.addWidget(self.table)

        self.move_row = QHBoxLayout()
        self.move_row.setObjectName(u"move_row")
        self.move_label = QLabel(self.left)
        self.move_label.setObjectName(u"move_label")

        self.move_row.addWidget(self.move_label)

        self.target_combo = QComboBox(self.left)
        self.target_combo.setObjectName(u"target_combo")

        self.move_row.addWidget(self.target_combo)

        self.move_button = QPushButton(self.left)
        self.move_button.setObjectName(u"move_button")

        self.move_row.addWidget(self.move_button)

        self.move_row.setStretch(1, 1)

        self.left_layout.addLayout(self.move_row)

        self.move_hint = QLabel(self.left)
        self.move_hint.setObjectName(u"move_hint")

        self.left_layout.addWidget(self.move_hint)

        self.splitter.addWidget(self.left)
        self.right = QWidget(self.splitter)
        self.right.setObjectName(u"right")
        sizePolicy1 = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sizePolicy1.setHorizontalStretch(2)
        sizePolicy1.setVerticalStretch(0)
        sizePolicy1.setHeightForWidth(self.right.sizePolicy().hasHeightForWidth())
        self.right.setSizePolicy(sizePolicy1)
        self.right_layout = QVBoxLayout(self.right)
        self.right_layout.setObjectName(u"right_layout")
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.preview_label = QLabel(self.right)
        self.preview_label.setObjectName(u"preview_label")

        self.right_layout.addWidget(self.preview_label)

        self.preview = QPlainTextEdit(self.right)
        self.preview.setObjectName(u"preview")
        self.preview.setReadOnly(True)

        self.right_layout.addWidget(self.preview)

        self.splitter.addWidget(self.right)

        self.layout.addWidget(self.splitter)

        self.tabs = QTabWidget(ImportDialog)
        self.tabs.setObjectName(u"tabs")
        self.figures_page = QWidget()
        self.figures_page.setObjectName(u"figures_page")
        self.figures_layout = QVBoxLayout(self.figures_page)
        self.figures_layout.setObjectName(u"figures_layout")
        self.figures_layout.setContentsMargins(0, 0, 0, 0)
        self.figures_table = QTableWidget(self.figures_page)
        if (self.figures_table.columnCount() < 4):
            self.figures_table.setColumnCount(4)
        __qtablewidgetitem = QTableWidgetItem()
        self.figures_table.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.figures_table.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.figures_table.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.figures_table.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        self.figures_table.setObjectName(u"figures_table")
        self.figures_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.figures_table.verticalHeader().setVisible(False)

        self.figures_layout.addWidget(self.figures_table)

        self.tabs.addTab(self.figures_page, "")
        self.not_placed_page = QWidget()
        self.not_placed_page.setObjectName(u"not_placed_page")
        self.not_placed_layout = QVBoxLayout(self.not_placed_page)
        self.not_placed_layout.setObjectName(u"not_placed_layout")
        self.not_placed_layout.setContentsMargins(0, 0, 0, 0)
        self.not_placed_list = QListWidget(self.not_placed_page)
        self.not_placed_list.setObjectName(u"not_placed_list")

        self.not_placed_layout.addWidget(self.not_placed_list)

        self.tabs.addTab(self.not_placed_page, "")
        self.dropped_page = QWidget()
        self.dropped_page.setObjectName(u"dropped_page")
        self.dropped_layout = QVBoxLayout(self.dropped_page)
        self.dropped_layout.setObjectName(u"dropped_layout")
        self.dropped_layout.setContentsMargins(0, 0, 0, 0)
        self.dropped_list = QListWidget(self.dropped_page)
        self.dropped_list.setObjectName(u"dropped_list")

        self.dropped_layout.addWidget(self.dropped_list)

        self.tabs.addTab(self.dropped_page, "")

        self.layout.addWidget(self.tabs)

        self.buttons = QDialogButtonBox(ImportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttons)

        self.layout.setStretch(2, 3)
        self.layout.setStretch(3, 2)
#if QT_CONFIG(shortcut)
        self.unit_label.setBuddy(self.unit_edit)
        self.year_label.setBuddy(self.year_spin)
        self.template_label.setBuddy(self.template_combo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportDialog)

        self.tabs.setCurrentIndex(0)


        QMetaObject.connectSlotsByName(ImportDialog)
    # setupUi

    def retranslateUi(self, ImportDialog):
        ImportDialog.setWindowTitle(QCoreApplication.translate("ImportDialog", u"\u5bfc\u5165\u62a5\u544a\u6587\u6863", None))
        self.unit_label.setText(QCoreApplication.translate("ImportDialog", u"\u5355\u4f4d\u5168\u79f0\uff1a", None))
        self.unit_edit.setPlaceholderText(QCoreApplication.translate("ImportDialog", u"\u6587\u6863\u4e2d\u6ca1\u6709\u5199\u660e\u5355\u4f4d\u5168\u79f0\uff1a\u53ef\u5728\u6b64\u586b\u5199\uff0c\u4e5f\u53ef\u5bfc\u5165\u540e\u518d\u586b", None))
        self.year_label.setText(QCoreApplication.translate("ImportDialog", u"\u5e74\u5ea6\uff1a", None))
        self.year_spin.setSpecialValueText(QCoreApplication.translate("ImportDialog", u"\u672a\u8bc6\u522b", None))
        self.template_label.setText(QCoreApplication.translate("ImportDialog", u"\u6a21\u677f\uff1a", None))
#if QT_CONFIG(tooltip)
        self.template_combo.setToolTip(QCoreApplication.translate("ImportDialog", u"\u68c0\u67e5\u3001\u8bc4\u5206\u548c\u81ea\u8bc4\u8868\u6309\u8fd9\u4e2a\u6a21\u677f\uff1b\u63d0\u7eb2\u59cb\u7ec8\u6309\u6587\u6863\u81ea\u5df1\u7684\u7ae0\u8282", None))
#endif // QT_CONFIG(tooltip)
        self.add_sections_box.setText(QCoreApplication.translate("ImportDialog", u"\u8865\u4e0a\u6a21\u677f\u4e2d\u7f3a\u5c11\u7684\u7ae0\u8282\uff08\u7a7a\uff09", None))
        self.table_label.setText(QCoreApplication.translate("ImportDialog", u"\u6587\u6863\u4e2d\u7684\u6bcf\u4e00\u6bb5\u53ca\u5176\u53bb\u5904\uff08\u7ea2\u8272\u4e3a\u672a\u653e\u7f6e\uff09\uff1a", None))
        self.move_label.setText(QCoreApplication.translate("ImportDialog", u"\u628a\u6240\u9009\u6bb5\u843d\u79fb\u5230\uff1a", None))
        self.move_button.setText(QCoreApplication.translate("ImportDialog", u"\u79fb\u52a8", None))
        self.preview_label.setText(QCoreApplication.translate("ImportDialog", u"\u6240\u9009\u6bb5\u843d\u653e\u5165\u540e\u7684\u7ae0\u8282\u5168\u6587\uff1a", None))
        ___qtablewidgetitem = self.figures_table.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("ImportDialog", u"\u6570\u5b57", None))
        ___qtablewidgetitem1 = self.figures_table.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("ImportDialog", u"\u6570\u503c", None))
        ___qtablewidgetitem2 = self.figures_table.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("ImportDialog", u"\u5904\u7406", None))
        ___qtablewidgetitem3 = self.figures_table.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("ImportDialog", u"\u6838\u5bf9", None))
        self.tabs.setTabText(self.tabs.indexOf(self.figures_page), QCoreApplication.translate("ImportDialog", u"\u8bc6\u522b\u7684\u6570\u5b57", None))
        self.tabs.setTabText(self.tabs.indexOf(self.not_placed_page), QCoreApplication.translate("ImportDialog", u"\u672a\u653e\u7f6e", None))
        self.tabs.setTabText(self.tabs.indexOf(self.dropped_page), QCoreApplication.translate("ImportDialog", u"\u5df2\u53bb\u6389\u7684\u9875\u7801\u3001\u9875\u7709\u9875\u811a", None))
    # retranslateUi

