# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'outline_editor.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QCheckBox, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QTreeWidget, QVBoxLayout)

class Ui_OutlineEditor(object):
    def setupUi(self, OutlineEditor):
        if not OutlineEditor.objectName():
            OutlineEditor.setObjectName(u"OutlineEditor")
        OutlineEditor.resize(760, 520)
        self.layout = QVBoxLayout(OutlineEditor)
        self.layout.setObjectName(u"layout")
        self.hint = QLabel(OutlineEditor)
        self.hint.setObjectName(u"hint")
        self.hint.setWordWrap(True)

        self.layout.addWidget(self.hint)

        self.body = QHBoxLayout()
        self.body.setObjectName(u"body")
        self.tree = QTreeWidget(OutlineEditor)
        self.tree.setObjectName(u"tree")
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnCount(3)

        self.body.addWidget(self.tree)

        self.buttons_column = QVBoxLayout()
        self.buttons_column.setObjectName(u"buttons_column")
        self.addSibling = QPushButton(OutlineEditor)
        self.addSibling.setObjectName(u"addSibling")

        self.buttons_column.addWidget(self.addSibling)

        self.addChild = QPushButton(OutlineEditor)
        self.addChild.setObjectName(u"addChild")

        self.buttons_column.addWidget(self.addChild)

        self.rename = QPushButton(OutlineEditor)
        self.rename.setObjectName(u"rename")

        self.buttons_column.addWidget(self.rename)

        self.up = QPushButton(OutlineEditor)
        self.up.setObjectName(u"up")

        self.buttons_column.addWidget(self.up)

        self.down = QPushButton(OutlineEditor)
        self.down.setObjectName(u"down")

        self.buttons_column.addWidget(self.down)

        self.outdent = QPushButton(OutlineEditor)
        self.outdent.setObjectName(u"outdent")

        self.buttons_column.addWidget(self.outdent)

        self.indent = QPushButton(OutlineEditor)
        self.indent.setObjectName(u"indent")

        self.buttons_column.addWidget(self.indent)

        self.remove = QPushButton(OutlineEditor)
        self.remove.setObjectName(u"remove")

        self.buttons_column.addWidget(self.remove)

        self.required = QCheckBox(OutlineEditor)
        self.required.setObjectName(u"required")

        self.buttons_column.addWidget(self.required)

        self.stretch = QSpacerItem(10, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.buttons_column.addItem(self.stretch)


        self.body.addLayout(self.buttons_column)


        self.layout.addLayout(self.body)

        self.error = QLabel(OutlineEditor)
        self.error.setObjectName(u"error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(u"color: #c62828;")

        self.layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(OutlineEditor)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Close)

        self.layout.addWidget(self.buttons)


        self.retranslateUi(OutlineEditor)

        QMetaObject.connectSlotsByName(OutlineEditor)
    # setupUi

    def retranslateUi(self, OutlineEditor):
        OutlineEditor.setWindowTitle(QCoreApplication.translate("OutlineEditor", u"\u7f16\u8f91\u63d0\u7eb2", None))
        self.hint.setText(QCoreApplication.translate("OutlineEditor", u"\u672c\u62a5\u544a\u7684\u63d0\u7eb2\uff1a\u53ef\u4ee5\u6dfb\u52a0\u3001\u91cd\u547d\u540d\u3001\u79fb\u52a8\u3001\u5220\u9664\u7ae0\u8282\u548c\u4e0b\u7ea7\u7ae0\u8282\uff0c\u6216\u628a\u7ae0\u8282\u8bbe\u4e3a\u201c\u53ef\u9009\u201d\u3002\u6bcf\u5904\u4fee\u6539\u7acb\u5373\u4fdd\u5b58\uff0c\u53ef\u7528\u201c\u7f16\u8f91 \u2192 \u64a4\u9500\u201d\u6062\u590d\uff1b\u7f16\u53f7\u6309\u4f4d\u7f6e\u81ea\u52a8\u91cd\u6392\u3002\u4fee\u6539\u53ea\u6539\u53d8\u672c\u62a5\u544a\uff0c\u4e0d\u6539\u53d8\u6a21\u677f\u3002", None))
        ___qtreewidgetitem = self.tree.headerItem()
        ___qtreewidgetitem.setText(2, QCoreApplication.translate("OutlineEditor", u"\u5b57\u6570", None))
        ___qtreewidgetitem.setText(1, QCoreApplication.translate("OutlineEditor", u"\u5fc5\u586b", None))
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("OutlineEditor", u"\u7ae0\u8282", None))
        self.addSibling.setText(QCoreApplication.translate("OutlineEditor", u"\u6dfb\u52a0\u540c\u7ea7\u7ae0\u8282(&A)\u2026", None))
        self.addChild.setText(QCoreApplication.translate("OutlineEditor", u"\u6dfb\u52a0\u4e0b\u7ea7\u7ae0\u8282(&B)\u2026", None))
        self.rename.setText(QCoreApplication.translate("OutlineEditor", u"\u91cd\u547d\u540d(&R)\u2026", None))
        self.up.setText(QCoreApplication.translate("OutlineEditor", u"\u4e0a\u79fb(&U)", None))
        self.down.setText(QCoreApplication.translate("OutlineEditor", u"\u4e0b\u79fb(&D)", None))
        self.outdent.setText(QCoreApplication.translate("OutlineEditor", u"\u5347\u4e00\u7ea7(&L)", None))
        self.indent.setText(QCoreApplication.translate("OutlineEditor", u"\u964d\u4e00\u7ea7(&G)", None))
        self.remove.setText(QCoreApplication.translate("OutlineEditor", u"\u5220\u9664(&X)\u2026", None))
        self.required.setText(QCoreApplication.translate("OutlineEditor", u"\u5fc5\u586b(&Q)", None))
    # retranslateUi

