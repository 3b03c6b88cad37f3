# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'first_run.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QRadioButton, QSizePolicy, QVBoxLayout, QWidget)

class Ui_FirstRun(object):
    def setupUi(self, FirstRun):
        if not FirstRun.objectName():
            FirstRun.setObjectName(u"FirstRun")
        FirstRun.resize(520, 360)
        self.mainLayout = QVBoxLayout(FirstRun)
        self.mainLayout.setObjectName(u"mainLayout")
        self.firstRunForm = QFormLayout()
        self.firstRunForm.setObjectName(u"firstRunForm")
        self.firstRunForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.intro = QLabel(FirstRun)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.firstRunForm.setWidget(0, QFormLayout.ItemRole.SpanningRole, self.intro)

        self.label_firstRunForm_1 = QLabel(FirstRun)
        self.label_firstRunForm_1.setObjectName(u"label_firstRunForm_1")

        self.firstRunForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.label_firstRunForm_1)

        self.org_name = QLineEdit(FirstRun)
        self.org_name.setObjectName(u"org_name")

        self.firstRunForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.org_name)

        self.label_firstRunForm_2 = QLabel(FirstRun)
        self.label_firstRunForm_2.setObjectName(u"label_firstRunForm_2")

        self.firstRunForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.label_firstRunForm_2)

        self.sector = QComboBox(FirstRun)
        self.sector.setObjectName(u"sector")
        self.sector.setEditable(True)

        self.firstRunForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.sector)

        self.label_firstRunForm_3 = QLabel(FirstRun)
        self.label_firstRunForm_3.setObjectName(u"label_firstRunForm_3")

        self.firstRunForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.label_firstRunForm_3)

        self.champion_name = QLineEdit(FirstRun)
        self.champion_name.setObjectName(u"champion_name")

        self.firstRunForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.champion_name)

        self.label_firstRunForm_4 = QLabel(FirstRun)
        self.label_firstRunForm_4.setObjectName(u"label_firstRunForm_4")

        self.firstRunForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.label_firstRunForm_4)

        self.startEmpty = QRadioButton(FirstRun)
        self.startEmpty.setObjectName(u"startEmpty")
        self.startEmpty.setChecked(True)

        self.firstRunForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.startEmpty)

        self.label_firstRunForm_5 = QLabel(FirstRun)
        self.label_firstRunForm_5.setObjectName(u"label_firstRunForm_5")

        self.firstRunForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.label_firstRunForm_5)

        self.startDemo = QRadioButton(FirstRun)
        self.startDemo.setObjectName(u"startDemo")

        self.firstRunForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.startDemo)


        self.mainLayout.addLayout(self.firstRunForm)

        self.errorBanner = QLabel(FirstRun)
        self.errorBanner.setObjectName(u"errorBanner")
        self.errorBanner.setWordWrap(True)
        self.errorBanner.setVisible(False)

        self.mainLayout.addWidget(self.errorBanner)

        self.buttons = QDialogButtonBox(FirstRun)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.label_firstRunForm_1.setBuddy(self.org_name)
        self.label_firstRunForm_2.setBuddy(self.sector)
        self.label_firstRunForm_3.setBuddy(self.champion_name)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(FirstRun)

        QMetaObject.connectSlotsByName(FirstRun)
    # setupUi

    def retranslateUi(self, FirstRun):
        FirstRun.setWindowTitle(QCoreApplication.translate("FirstRun", u"Welcome to riskdesk", None))
        self.intro.setText(QCoreApplication.translate("FirstRun", u"Welcome to riskdesk. It keeps your organisation's register of AI uses: what each one does, how exposed you are through it, who is accountable, and what oversight is still missing. Everything stays in one file on this computer.", None))
        self.label_firstRunForm_1.setText(QCoreApplication.translate("FirstRun", u"&Organisation name", None))
        self.org_name.setPlaceholderText(QCoreApplication.translate("FirstRun", u"e.g. Riverside Unified School District", None))
        self.label_firstRunForm_2.setText(QCoreApplication.translate("FirstRun", u"&Sector", None))
        self.label_firstRunForm_3.setText(QCoreApplication.translate("FirstRun", u"&Your name", None))
        self.champion_name.setPlaceholderText(QCoreApplication.translate("FirstRun", u"the AI champion", None))
        self.label_firstRunForm_4.setText("")
        self.startEmpty.setText(QCoreApplication.translate("FirstRun", u"Start with an empty register", None))
        self.label_firstRunForm_5.setText("")
        self.startDemo.setText(QCoreApplication.translate("FirstRun", u"Start from the demo register (a school district and a small company) to learn", None))
        self.errorBanner.setStyleSheet(QCoreApplication.translate("FirstRun", u"QLabel { color: #8a1f11; }", None))
    # retranslateUi

