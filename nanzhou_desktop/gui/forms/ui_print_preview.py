# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'print_preview.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout)

class Ui_PrintPreviewDialog(object):
    def setupUi(self, PrintPreviewDialog):
        if not PrintPreviewDialog.objectName():
            PrintPreviewDialog.setObjectName(u"PrintPreviewDialog")
        PrintPreviewDialog.resize(980, 900)
        self.layout = QVBoxLayout(PrintPreviewDialog)
        self.layout.setObjectName(u"layout")
        self.top = QHBoxLayout()
        self.top.setObjectName(u"top")
        self.status = QLabel(PrintPreviewDialog)
        self.status.setObjectName(u"status")

        self.top.addWidget(self.status)

        self.progress = QProgressBar(PrintPreviewDialog)
        self.progress.setObjectName(u"progress")
        self.progress.setMinimum(0)
        self.progress.setMaximum(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat(u"%p%")

        self.top.addWidget(self.progress)

        self.top.setStretch(0, 1)

        self.layout.addLayout(self.top)

        self.view = QPdfView(PrintPreviewDialog)
        self.view.setObjectName(u"view")

        self.layout.addWidget(self.view)

        self.fonts_label = QLabel(PrintPreviewDialog)
        self.fonts_label.setObjectName(u"fonts_label")
        self.fonts_label.setWordWrap(True)
        self.fonts_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.fonts_label)

        self.buttons = QHBoxLayout()
        self.buttons.setObjectName(u"buttons")
        self.page_label = QLabel(PrintPreviewDialog)
        self.page_label.setObjectName(u"page_label")

        self.buttons.addWidget(self.page_label)

        self.buttons_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttons.addItem(self.buttons_spacer)

        self.print_button = QPushButton(PrintPreviewDialog)
        self.print_button.setObjectName(u"print_button")

        self.buttons.addWidget(self.print_button)

        self.export_button = QPushButton(PrintPreviewDialog)
        self.export_button.setObjectName(u"export_button")

        self.buttons.addWidget(self.export_button)

        self.open_button = QPushButton(PrintPreviewDialog)
        self.open_button.setObjectName(u"open_button")

        self.buttons.addWidget(self.open_button)

        self.close_button = QPushButton(PrintPreviewDialog)
        self.close_button.setObjectName(u"close_button")

        self.buttons.addWidget(self.close_button)

        self.buttons.setStretch(1, 1)

        self.layout.addLayout(self.buttons)

        self.layout.setStretch(1, 1)

        self.retranslateUi(PrintPreviewDialog)

        QMetaObject.connectSlotsByName(PrintPreviewDialog)
    # setupUi

    def retranslateUi(self, PrintPreviewDialog):
        PrintPreviewDialog.setWindowTitle(QCoreApplication.translate("PrintPreviewDialog", u"\u6253\u5370\u9884\u89c8", None))
        self.status.setText(QCoreApplication.translate("PrintPreviewDialog", u"\u6b63\u5728\u751f\u6210 PDF\u2026\u2026", None))
        self.print_button.setText(QCoreApplication.translate("PrintPreviewDialog", u"\u6253\u5370\u2026", None))
        self.export_button.setText(QCoreApplication.translate("PrintPreviewDialog", u"\u5bfc\u51fa PDF\u2026", None))
        self.open_button.setText(QCoreApplication.translate("PrintPreviewDialog", u"\u7528\u7cfb\u7edf\u7a0b\u5e8f\u6253\u5f00", None))
        self.close_button.setText(QCoreApplication.translate("PrintPreviewDialog", u"\u5173\u95ed", None))
    # retranslateUi

