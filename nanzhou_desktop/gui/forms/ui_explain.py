# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'explain.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QDialogButtonBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout)

class Ui_ExplainDialog(object):
    def setupUi(self, ExplainDialog):
        if not ExplainDialog.objectName():
            ExplainDialog.setObjectName(u"ExplainDialog")
        ExplainDialog.resize(560, 340)
        self.layout = QVBoxLayout(ExplainDialog)
        self.layout.setObjectName(u"layout")
        self.finding = QLabel(ExplainDialog)
        self.finding.setObjectName(u"finding")
        self.finding.setWordWrap(True)
        self.finding.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.finding)

        self.prompt = QLabel(ExplainDialog)
        self.prompt.setObjectName(u"prompt")
        self.prompt.setWordWrap(True)

        self.layout.addWidget(self.prompt)

        self.text = QPlainTextEdit(ExplainDialog)
        self.text.setObjectName(u"text")
        self.text.setTabChangesFocus(True)

        self.layout.addWidget(self.text)

        self.footer = QHBoxLayout()
        self.footer.setObjectName(u"footer")
        self.error = QLabel(ExplainDialog)
        self.error.setObjectName(u"error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(u"color: #c62828;")

        self.footer.addWidget(self.error)

        self.count = QLabel(ExplainDialog)
        self.count.setObjectName(u"count")
        self.count.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.footer.addWidget(self.count)


        self.layout.addLayout(self.footer)

        self.buttons = QDialogButtonBox(ExplainDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.prompt.setBuddy(self.text)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ExplainDialog)

        QMetaObject.connectSlotsByName(ExplainDialog)
    # setupUi

    def retranslateUi(self, ExplainDialog):
        ExplainDialog.setWindowTitle(QCoreApplication.translate("ExplainDialog", u"\u51fa\u9519\u8bf4\u660e", None))
        self.prompt.setText(QCoreApplication.translate("ExplainDialog", u"\u8bf7\u5199\u660e\u8fd9\u6761\u8b66\u544a\u4e3a\u4ec0\u4e48\u53ef\u4ee5\u63a5\u53d7\uff08\u5c06\u968f\u62a5\u544a\u4e00\u8d77\u4fdd\u5b58\u548c\u62a5\u9001\uff09\uff1a", None))
    # retranslateUi

