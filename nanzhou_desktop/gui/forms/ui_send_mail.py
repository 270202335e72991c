# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'send_mail.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget)

class Ui_SendMailDialog(object):
    def setupUi(self, SendMailDialog):
        if not SendMailDialog.objectName():
            SendMailDialog.setObjectName(u"SendMailDialog")
        SendMailDialog.resize(600, 440)
        self.layout = QVBoxLayout(SendMailDialog)
        self.layout.setObjectName(u"layout")
        self.intro = QLabel(SendMailDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.addressLabel = QLabel(SendMailDialog)
        self.addressLabel.setObjectName(u"addressLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.addressLabel)

        self.address = QLineEdit(SendMailDialog)
        self.address.setObjectName(u"address")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.address)

        self.error = QLabel(SendMailDialog)
        self.error.setObjectName(u"error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(u"color: #c62828;")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.error)

        self.subjectLabel = QLabel(SendMailDialog)
        self.subjectLabel.setObjectName(u"subjectLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.subjectLabel)

        self.subject = QLineEdit(SendMailDialog)
        self.subject.setObjectName(u"subject")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.subject)

        self.attachmentsLabel = QLabel(SendMailDialog)
        self.attachmentsLabel.setObjectName(u"attachmentsLabel")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.attachmentsLabel)

        self.attachments = QLabel(SendMailDialog)
        self.attachments.setObjectName(u"attachments")
        self.attachments.setWordWrap(True)
        self.attachments.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.attachments)

        self.bodyLabel = QLabel(SendMailDialog)
        self.bodyLabel.setObjectName(u"bodyLabel")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.bodyLabel)

        self.body = QPlainTextEdit(SendMailDialog)
        self.body.setObjectName(u"body")
        self.body.setTabChangesFocus(True)

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.body)


        self.layout.addLayout(self.form)

        self.buttons = QDialogButtonBox(SendMailDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.addressLabel.setBuddy(self.address)
        self.subjectLabel.setBuddy(self.subject)
        self.bodyLabel.setBuddy(self.body)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.address, self.subject)
        QWidget.setTabOrder(self.subject, self.body)

        self.retranslateUi(SendMailDialog)

        QMetaObject.connectSlotsByName(SendMailDialog)
    # setupUi

    def retranslateUi(self, SendMailDialog):
        SendMailDialog.setWindowTitle(QCoreApplication.translate("SendMailDialog", u"\u7528\u90ae\u4ef6\u53d1\u9001", None))
        self.intro.setText(QCoreApplication.translate("SendMailDialog", u"\u5c06\u6253\u5f00\u672c\u673a\u7684\u90ae\u4ef6\u7a0b\u5e8f\uff0c\u65b0\u90ae\u4ef6\u5df2\u586b\u597d\u6536\u4ef6\u4eba\u3001\u4e3b\u9898\u3001\u6b63\u6587\u5e76\u6dfb\u4e0a\u9644\u4ef6\uff1b\u8bf7\u6838\u5bf9\u540e\u5728\u90ae\u4ef6\u7a0b\u5e8f\u4e2d\u53d1\u9001\u3002", None))
        self.addressLabel.setText(QCoreApplication.translate("SendMailDialog", u"\u533a\u8d22\u653f\u5c40\u90ae\u7bb1\uff1a", None))
        self.address.setPlaceholderText(QCoreApplication.translate("SendMailDialog", u"\u4f8b\u5982 jxpj@czj.example.gov.cn\uff08\u4e0b\u6b21\u81ea\u52a8\u586b\u5165\uff09", None))
        self.subjectLabel.setText(QCoreApplication.translate("SendMailDialog", u"\u4e3b\u9898\uff1a", None))
        self.attachmentsLabel.setText(QCoreApplication.translate("SendMailDialog", u"\u9644\u4ef6\uff1a", None))
        self.bodyLabel.setText(QCoreApplication.translate("SendMailDialog", u"\u6b63\u6587\uff1a", None))
    # retranslateUi

