# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'district_report.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout)

class Ui_ReportDialog(object):
    def setupUi(self, ReportDialog):
        if not ReportDialog.objectName():
            ReportDialog.setObjectName(u"ReportDialog")
        ReportDialog.resize(900, 700)
        self.layout = QVBoxLayout(ReportDialog)
        self.layout.setObjectName(u"layout")
        self.head = QLabel(ReportDialog)
        self.head.setObjectName(u"head")
        self.head.setWordWrap(True)

        self.layout.addWidget(self.head)

        self.tabs = QTabWidget(ReportDialog)
        self.tabs.setObjectName(u"tabs")

        self.layout.addWidget(self.tabs)

        self.buttons = QDialogButtonBox(ReportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Close)

        self.layout.addWidget(self.buttons)


        self.retranslateUi(ReportDialog)

        QMetaObject.connectSlotsByName(ReportDialog)
    # setupUi

    def retranslateUi(self, ReportDialog):
        ReportDialog.setWindowTitle(QCoreApplication.translate("ReportDialog", u"\u67e5\u770b\u62a5\u544a\uff08\u53ea\u8bfb\uff09", None))
    # retranslateUi

