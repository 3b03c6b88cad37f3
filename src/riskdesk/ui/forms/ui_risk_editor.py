# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'risk_editor.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QLabel, QLineEdit, QPlainTextEdit, QSizePolicy,
    QSpinBox, QVBoxLayout, QWidget)

class Ui_RiskEditor(object):
    def setupUi(self, RiskEditor):
        if not RiskEditor.objectName():
            RiskEditor.setObjectName(u"RiskEditor")
        RiskEditor.resize(520, 620)
        self.mainLayout = QVBoxLayout(RiskEditor)
        self.mainLayout.setObjectName(u"mainLayout")
        self.errorBanner = QLabel(RiskEditor)
        self.errorBanner.setObjectName(u"errorBanner")
        self.errorBanner.setWordWrap(True)
        self.errorBanner.setVisible(False)

        self.mainLayout.addWidget(self.errorBanner)

        self.riskForm = QFormLayout()
        self.riskForm.setObjectName(u"riskForm")
        self.riskForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.label_riskForm_0 = QLabel(RiskEditor)
        self.label_riskForm_0.setObjectName(u"label_riskForm_0")

        self.riskForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.label_riskForm_0)

        self.title = QLineEdit(RiskEditor)
        self.title.setObjectName(u"title")

        self.riskForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.title)

        self.label_riskForm_1 = QLabel(RiskEditor)
        self.label_riskForm_1.setObjectName(u"label_riskForm_1")

        self.riskForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.label_riskForm_1)

        self.description = QPlainTextEdit(RiskEditor)
        self.description.setObjectName(u"description")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumSize(QSize(16777215, 70))

        self.riskForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.description)

        self.label_riskForm_2 = QLabel(RiskEditor)
        self.label_riskForm_2.setObjectName(u"label_riskForm_2")

        self.riskForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.label_riskForm_2)

        self.taxonomy_refs = QLineEdit(RiskEditor)
        self.taxonomy_refs.setObjectName(u"taxonomy_refs")

        self.riskForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.taxonomy_refs)

        self.label_riskForm_3 = QLabel(RiskEditor)
        self.label_riskForm_3.setObjectName(u"label_riskForm_3")

        self.riskForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.label_riskForm_3)

        self.inherent_likelihood = QSpinBox(RiskEditor)
        self.inherent_likelihood.setObjectName(u"inherent_likelihood")
        self.inherent_likelihood.setMinimum(1)
        self.inherent_likelihood.setMaximum(5)

        self.riskForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.inherent_likelihood)

        self.label_riskForm_4 = QLabel(RiskEditor)
        self.label_riskForm_4.setObjectName(u"label_riskForm_4")

        self.riskForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.label_riskForm_4)

        self.inherent_impact = QSpinBox(RiskEditor)
        self.inherent_impact.setObjectName(u"inherent_impact")
        self.inherent_impact.setMinimum(1)
        self.inherent_impact.setMaximum(5)

        self.riskForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.inherent_impact)

        self.label_riskForm_5 = QLabel(RiskEditor)
        self.label_riskForm_5.setObjectName(u"label_riskForm_5")

        self.riskForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.label_riskForm_5)

        self.residual_likelihood = QSpinBox(RiskEditor)
        self.residual_likelihood.setObjectName(u"residual_likelihood")
        self.residual_likelihood.setMinimum(1)
        self.residual_likelihood.setMaximum(5)

        self.riskForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.residual_likelihood)

        self.label_riskForm_6 = QLabel(RiskEditor)
        self.label_riskForm_6.setObjectName(u"label_riskForm_6")

        self.riskForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.label_riskForm_6)

        self.residual_impact = QSpinBox(RiskEditor)
        self.residual_impact.setObjectName(u"residual_impact")
        self.residual_impact.setMinimum(1)
        self.residual_impact.setMaximum(5)

        self.riskForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.residual_impact)

        self.scoreSummary = QLabel(RiskEditor)
        self.scoreSummary.setObjectName(u"scoreSummary")
        self.scoreSummary.setTextFormat(Qt.RichText)

        self.riskForm.setWidget(7, QFormLayout.ItemRole.SpanningRole, self.scoreSummary)

        self.label_riskForm_8 = QLabel(RiskEditor)
        self.label_riskForm_8.setObjectName(u"label_riskForm_8")

        self.riskForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.label_riskForm_8)

        self.treatment = QComboBox(RiskEditor)
        self.treatment.setObjectName(u"treatment")

        self.riskForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.treatment)

        self.label_riskForm_9 = QLabel(RiskEditor)
        self.label_riskForm_9.setObjectName(u"label_riskForm_9")

        self.riskForm.setWidget(9, QFormLayout.ItemRole.LabelRole, self.label_riskForm_9)

        self.status = QComboBox(RiskEditor)
        self.status.setObjectName(u"status")

        self.riskForm.setWidget(9, QFormLayout.ItemRole.FieldRole, self.status)

        self.label_riskForm_10 = QLabel(RiskEditor)
        self.label_riskForm_10.setObjectName(u"label_riskForm_10")

        self.riskForm.setWidget(10, QFormLayout.ItemRole.LabelRole, self.label_riskForm_10)

        self.owner_id = QComboBox(RiskEditor)
        self.owner_id.setObjectName(u"owner_id")

        self.riskForm.setWidget(10, QFormLayout.ItemRole.FieldRole, self.owner_id)

        self.label_riskForm_11 = QLabel(RiskEditor)
        self.label_riskForm_11.setObjectName(u"label_riskForm_11")

        self.riskForm.setWidget(11, QFormLayout.ItemRole.LabelRole, self.label_riskForm_11)

        self.due_date = QDateEdit(RiskEditor)
        self.due_date.setObjectName(u"due_date")
        self.due_date.setCalendarPopup(True)

        self.riskForm.setWidget(11, QFormLayout.ItemRole.FieldRole, self.due_date)

        self.label_riskForm_12 = QLabel(RiskEditor)
        self.label_riskForm_12.setObjectName(u"label_riskForm_12")

        self.riskForm.setWidget(12, QFormLayout.ItemRole.LabelRole, self.label_riskForm_12)

        self.due_date_known = QCheckBox(RiskEditor)
        self.due_date_known.setObjectName(u"due_date_known")

        self.riskForm.setWidget(12, QFormLayout.ItemRole.FieldRole, self.due_date_known)

        self.label_riskForm_13 = QLabel(RiskEditor)
        self.label_riskForm_13.setObjectName(u"label_riskForm_13")

        self.riskForm.setWidget(13, QFormLayout.ItemRole.LabelRole, self.label_riskForm_13)

        self.accepted_by_id = QComboBox(RiskEditor)
        self.accepted_by_id.setObjectName(u"accepted_by_id")

        self.riskForm.setWidget(13, QFormLayout.ItemRole.FieldRole, self.accepted_by_id)

        self.label_riskForm_14 = QLabel(RiskEditor)
        self.label_riskForm_14.setObjectName(u"label_riskForm_14")

        self.riskForm.setWidget(14, QFormLayout.ItemRole.LabelRole, self.label_riskForm_14)

        self.acceptance_rationale = QPlainTextEdit(RiskEditor)
        self.acceptance_rationale.setObjectName(u"acceptance_rationale")
        self.acceptance_rationale.setTabChangesFocus(True)
        self.acceptance_rationale.setMaximumSize(QSize(16777215, 70))

        self.riskForm.setWidget(14, QFormLayout.ItemRole.FieldRole, self.acceptance_rationale)

        self.label_riskForm_15 = QLabel(RiskEditor)
        self.label_riskForm_15.setObjectName(u"label_riskForm_15")

        self.riskForm.setWidget(15, QFormLayout.ItemRole.LabelRole, self.label_riskForm_15)

        self.acceptance_expires = QDateEdit(RiskEditor)
        self.acceptance_expires.setObjectName(u"acceptance_expires")
        self.acceptance_expires.setCalendarPopup(True)

        self.riskForm.setWidget(15, QFormLayout.ItemRole.FieldRole, self.acceptance_expires)

        self.label_riskForm_16 = QLabel(RiskEditor)
        self.label_riskForm_16.setObjectName(u"label_riskForm_16")

        self.riskForm.setWidget(16, QFormLayout.ItemRole.LabelRole, self.label_riskForm_16)

        self.acceptance_expires_known = QCheckBox(RiskEditor)
        self.acceptance_expires_known.setObjectName(u"acceptance_expires_known")

        self.riskForm.setWidget(16, QFormLayout.ItemRole.FieldRole, self.acceptance_expires_known)


        self.mainLayout.addLayout(self.riskForm)

        self.buttons = QDialogButtonBox(RiskEditor)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.label_riskForm_0.setBuddy(self.title)
        self.label_riskForm_1.setBuddy(self.description)
        self.label_riskForm_2.setBuddy(self.taxonomy_refs)
        self.label_riskForm_3.setBuddy(self.inherent_likelihood)
        self.label_riskForm_4.setBuddy(self.inherent_impact)
        self.label_riskForm_5.setBuddy(self.residual_likelihood)
        self.label_riskForm_6.setBuddy(self.residual_impact)
        self.label_riskForm_8.setBuddy(self.treatment)
        self.label_riskForm_9.setBuddy(self.status)
        self.label_riskForm_10.setBuddy(self.owner_id)
        self.label_riskForm_11.setBuddy(self.due_date)
        self.label_riskForm_13.setBuddy(self.accepted_by_id)
        self.label_riskForm_14.setBuddy(self.acceptance_rationale)
        self.label_riskForm_15.setBuddy(self.acceptance_expires)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(RiskEditor)

        QMetaObject.connectSlotsByName(RiskEditor)
    # setupUi

    def retranslateUi(self, RiskEditor):
        RiskEditor.setWindowTitle(QCoreApplication.translate("RiskEditor", u"Risk", None))
        self.errorBanner.setStyleSheet(QCoreApplication.translate("RiskEditor", u"QLabel { background: #fde2e2; color: #8a1f11; padding: 6px; border-radius: 4px; }", None))
        self.label_riskForm_0.setText(QCoreApplication.translate("RiskEditor", u"&Title", None))
#if QT_CONFIG(tooltip)
        self.title.setToolTip(QCoreApplication.translate("RiskEditor", u"What could go wrong, in a few words, e.g. \u201cMade-up citations in feedback\u201d.", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_1.setText(QCoreApplication.translate("RiskEditor", u"&Description", None))
#if QT_CONFIG(tooltip)
        self.description.setToolTip(QCoreApplication.translate("RiskEditor", u"How it would happen and whom it would hurt. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_2.setText(QCoreApplication.translate("RiskEditor", u"&References", None))
#if QT_CONFIG(tooltip)
        self.taxonomy_refs.setToolTip(QCoreApplication.translate("RiskEditor", u"Entries of public risk lists this matches (OWASP LLM Top 10, NIST AI 600-1, MIT AI Risk Repository), separated by semicolons.", None))
#endif // QT_CONFIG(tooltip)
        self.taxonomy_refs.setPlaceholderText(QCoreApplication.translate("RiskEditor", u"e.g. LLM01; 600-1 Confabulation; MIT 3.1", None))
        self.label_riskForm_3.setText(QCoreApplication.translate("RiskEditor", u"Inherent &likelihood (1\u20135)", None))
#if QT_CONFIG(tooltip)
        self.inherent_likelihood.setToolTip(QCoreApplication.translate("RiskEditor", u"How likely it is before any controls.", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_4.setText(QCoreApplication.translate("RiskEditor", u"Inherent &impact (1\u20135)", None))
#if QT_CONFIG(tooltip)
        self.inherent_impact.setToolTip(QCoreApplication.translate("RiskEditor", u"How bad it would be before any controls.", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_5.setText(QCoreApplication.translate("RiskEditor", u"Residual li&kelihood (1\u20135)", None))
#if QT_CONFIG(tooltip)
        self.residual_likelihood.setToolTip(QCoreApplication.translate("RiskEditor", u"How likely it is with the controls in place; never above the inherent score.", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_6.setText(QCoreApplication.translate("RiskEditor", u"Residual i&mpact (1\u20135)", None))
#if QT_CONFIG(tooltip)
        self.residual_impact.setToolTip(QCoreApplication.translate("RiskEditor", u"How bad it would be with the controls in place; never above the inherent score.", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_8.setText(QCoreApplication.translate("RiskEditor", u"Tr&eatment", None))
#if QT_CONFIG(tooltip)
        self.treatment.setToolTip(QCoreApplication.translate("RiskEditor", u"What you do about it: mitigate (add controls), accept, transfer (e.g. insurance, contract) or avoid (stop the activity).", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_9.setText(QCoreApplication.translate("RiskEditor", u"&Status", None))
#if QT_CONFIG(tooltip)
        self.status.setToolTip(QCoreApplication.translate("RiskEditor", u"Open, being treated, accepted, or closed once it no longer applies.", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_10.setText(QCoreApplication.translate("RiskEditor", u"&Owner", None))
#if QT_CONFIG(tooltip)
        self.owner_id.setToolTip(QCoreApplication.translate("RiskEditor", u"The person who answers for this risk; owning it counts as the 1st line for its use. (New person\u2026 adds someone.)", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_11.setText(QCoreApplication.translate("RiskEditor", u"D&ue date", None))
#if QT_CONFIG(tooltip)
        self.due_date.setToolTip(QCoreApplication.translate("RiskEditor", u"When the treatment should be done.", None))
#endif // QT_CONFIG(tooltip)
        self.due_date.setDisplayFormat(QCoreApplication.translate("RiskEditor", u"yyyy-MM-dd", None))
        self.label_riskForm_12.setText("")
#if QT_CONFIG(tooltip)
        self.due_date_known.setToolTip(QCoreApplication.translate("RiskEditor", u"Tick to give the treatment a due date.", None))
#endif // QT_CONFIG(tooltip)
        self.due_date_known.setText(QCoreApplication.translate("RiskEditor", u"Has a due date", None))
        self.label_riskForm_13.setText(QCoreApplication.translate("RiskEditor", u"Accepted &by", None))
#if QT_CONFIG(tooltip)
        self.accepted_by_id.setToolTip(QCoreApplication.translate("RiskEditor", u"Someone senior (2nd or 3rd line) who accepts the residual risk, e.g. when it is above the organisation's appetite. Needs a rationale and an expiry.", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_14.setText(QCoreApplication.translate("RiskEditor", u"Acceptance ratio&nale", None))
#if QT_CONFIG(tooltip)
        self.acceptance_rationale.setToolTip(QCoreApplication.translate("RiskEditor", u"Why the residual risk is acceptable for now. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.label_riskForm_15.setText(QCoreApplication.translate("RiskEditor", u"Acceptance e&xpires", None))
#if QT_CONFIG(tooltip)
        self.acceptance_expires.setToolTip(QCoreApplication.translate("RiskEditor", u"When the acceptance lapses and must be looked at again.", None))
#endif // QT_CONFIG(tooltip)
        self.acceptance_expires.setDisplayFormat(QCoreApplication.translate("RiskEditor", u"yyyy-MM-dd", None))
        self.label_riskForm_16.setText("")
#if QT_CONFIG(tooltip)
        self.acceptance_expires_known.setToolTip(QCoreApplication.translate("RiskEditor", u"Tick to give the acceptance an expiry date.", None))
#endif // QT_CONFIG(tooltip)
        self.acceptance_expires_known.setText(QCoreApplication.translate("RiskEditor", u"Acceptance has an expiry date", None))
    # retranslateUi

