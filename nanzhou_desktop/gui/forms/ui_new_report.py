# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'new_report.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QTreeWidget, QVBoxLayout, QWidget)

class Ui_NewReportDialog(object):
    def setupUi(self, NewReportDialog):
        if not NewReportDialog.objectName():
            NewReportDialog.setObjectName(u"NewReportDialog")
        NewReportDialog.resize(760, 540)
        self.layout = QVBoxLayout(NewReportDialog)
        self.layout.setObjectName(u"layout")
        self.intro = QLabel(NewReportDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.layout.addWidget(self.intro)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.unitLabel = QLabel(NewReportDialog)
        self.unitLabel.setObjectName(u"unitLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.unitLabel)

        self.unit = QComboBox(NewReportDialog)
        self.unit.setObjectName(u"unit")
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.NoInsert)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.unit)

        self.shortLabel = QLabel(NewReportDialog)
        self.shortLabel.setObjectName(u"shortLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.shortLabel)

        self.shortName = QLineEdit(NewReportDialog)
        self.shortName.setObjectName(u"shortName")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.shortName)

        self.districtLabel = QLabel(NewReportDialog)
        self.districtLabel.setObjectName(u"districtLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.districtLabel)

        self.district = QLineEdit(NewReportDialog)
        self.district.setObjectName(u"district")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.district)

        self.yearLabel = QLabel(NewReportDialog)
        self.yearLabel.setObjectName(u"yearLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.yearLabel)

        self.year = QSpinBox(NewReportDialog)
        self.year.setObjectName(u"year")
        self.year.setMinimum(2000)
        self.year.setMaximum(2100)

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.year)

        self.templateLabel = QLabel(NewReportDialog)
        self.templateLabel.setObjectName(u"templateLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.templateLabel)

        self.template = QComboBox(NewReportDialog)
        self.template.setObjectName(u"template")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.template)


        self.layout.addLayout(self.formLayout)

        self.previewRow = QHBoxLayout()
        self.previewRow.setObjectName(u"previewRow")
        self.preview = QTreeWidget(NewReportDialog)
        self.preview.setObjectName(u"preview")
        self.preview.setHeaderHidden(True)
        self.preview.setUniformRowHeights(True)
        self.preview.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.NoSelection)
        self.preview.setFocusPolicy(Qt.NoFocus)

        self.previewRow.addWidget(self.preview)

        self.templateInfo = QLabel(NewReportDialog)
        self.templateInfo.setObjectName(u"templateInfo")
        self.templateInfo.setWordWrap(True)
        self.templateInfo.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)
        self.templateInfo.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.previewRow.addWidget(self.templateInfo)


        self.layout.addLayout(self.previewRow)

        self.error = QLabel(NewReportDialog)
        self.error.setObjectName(u"error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(u"color: #c62828;")

        self.layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(NewReportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.unitLabel.setBuddy(self.unit)
        self.shortLabel.setBuddy(self.shortName)
        self.districtLabel.setBuddy(self.district)
        self.yearLabel.setBuddy(self.year)
        self.templateLabel.setBuddy(self.template)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.unit, self.shortName)
        QWidget.setTabOrder(self.shortName, self.district)
        QWidget.setTabOrder(self.district, self.year)
        QWidget.setTabOrder(self.year, self.template)

        self.retranslateUi(NewReportDialog)

        QMetaObject.connectSlotsByName(NewReportDialog)
    # setupUi

    def retranslateUi(self, NewReportDialog):
        NewReportDialog.setWindowTitle(QCoreApplication.translate("NewReportDialog", u"\u65b0\u5efa\u62a5\u544a", None))
        self.intro.setText(QCoreApplication.translate("NewReportDialog", u"\u9009\u62e9\u6216\u586b\u5199\u5355\u4f4d\uff0c\u586b\u5199\u5e74\u5ea6\uff0c\u5e76\u9009\u62e9\u62a5\u544a\u6a21\u677f\uff08\u63d0\u7eb2\u3001\u5c01\u9762\u3001\u81ea\u8bc4\u8868\u548c\u8bc4\u5206\u529e\u6cd5\u6309\u6a21\u677f\u65b0\u5efa\uff0c\u5efa\u597d\u540e\u63d0\u7eb2\u4ecd\u53ef\u4fee\u6539\uff09\u3002", None))
        self.unitLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u5355\u4f4d\u5168\u79f0(&U)", None))
        self.shortLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u5355\u4f4d\u7b80\u79f0(&S)", None))
        self.districtLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u6240\u5c5e\u533a(&D)", None))
        self.district.setPlaceholderText(QCoreApplication.translate("NewReportDialog", u"\u5982 \u6d77\u73e0\u533a\u3001\u67d0\u67d0\u53bf", None))
        self.yearLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u5e74\u5ea6(&Y)", None))
        self.year.setSuffix(QCoreApplication.translate("NewReportDialog", u" \u5e74\u5ea6", None))
        self.templateLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u62a5\u544a\u6a21\u677f(&T)", None))
        ___qtreewidgetitem = self.preview.headerItem()
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("NewReportDialog", u"\u63d0\u7eb2", None))
    # retranslateUi

