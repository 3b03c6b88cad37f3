# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'use_editor.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QCheckBox,
    QComboBox, QDateEdit, QDialog, QDialogButtonBox,
    QFormLayout, QFrame, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy,
    QSpacerItem, QSpinBox, QTabWidget, QTableView,
    QVBoxLayout, QWidget)

class Ui_UseEditor(object):
    def setupUi(self, UseEditor):
        if not UseEditor.objectName():
            UseEditor.setObjectName(u"UseEditor")
        UseEditor.resize(1000, 700)
        self.mainLayout = QVBoxLayout(UseEditor)
        self.mainLayout.setObjectName(u"mainLayout")
        self.errorBanner = QLabel(UseEditor)
        self.errorBanner.setObjectName(u"errorBanner")
        self.errorBanner.setWordWrap(True)
        self.errorBanner.setVisible(False)

        self.mainLayout.addWidget(self.errorBanner)

        self.tabs = QTabWidget(UseEditor)
        self.tabs.setObjectName(u"tabs")
        self.generalTab = QWidget()
        self.generalTab.setObjectName(u"generalTab")
        self.generalTabLayout = QVBoxLayout(self.generalTab)
        self.generalTabLayout.setObjectName(u"generalTabLayout")
        self.generalTabScroll = QScrollArea(self.generalTab)
        self.generalTabScroll.setObjectName(u"generalTabScroll")
        self.generalTabScroll.setWidgetResizable(True)
        self.generalTabScroll.setFrameShape(QFrame.NoFrame)
        self.generalTabInner = QWidget()
        self.generalTabInner.setObjectName(u"generalTabInner")
        self.generalForm = QFormLayout(self.generalTabInner)
        self.generalForm.setObjectName(u"generalForm")
        self.generalForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.label_generalForm_0 = QLabel(self.generalTabInner)
        self.label_generalForm_0.setObjectName(u"label_generalForm_0")

        self.generalForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.label_generalForm_0)

        self.name = QLineEdit(self.generalTabInner)
        self.name.setObjectName(u"name")

        self.generalForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.name)

        self.label_generalForm_1 = QLabel(self.generalTabInner)
        self.label_generalForm_1.setObjectName(u"label_generalForm_1")

        self.generalForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.label_generalForm_1)

        self.purpose = QPlainTextEdit(self.generalTabInner)
        self.purpose.setObjectName(u"purpose")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setMaximumSize(QSize(16777215, 70))

        self.generalForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.purpose)

        self.label_generalForm_2 = QLabel(self.generalTabInner)
        self.label_generalForm_2.setObjectName(u"label_generalForm_2")

        self.generalForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.label_generalForm_2)

        self.department = QLineEdit(self.generalTabInner)
        self.department.setObjectName(u"department")

        self.generalForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.department)

        self.label_generalForm_3 = QLabel(self.generalTabInner)
        self.label_generalForm_3.setObjectName(u"label_generalForm_3")

        self.generalForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.label_generalForm_3)

        self.stage = QComboBox(self.generalTabInner)
        self.stage.setObjectName(u"stage")

        self.generalForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.stage)

        self.label_generalForm_4 = QLabel(self.generalTabInner)
        self.label_generalForm_4.setObjectName(u"label_generalForm_4")

        self.generalForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.label_generalForm_4)

        self.sourcing = QComboBox(self.generalTabInner)
        self.sourcing.setObjectName(u"sourcing")

        self.generalForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.sourcing)

        self.label_generalForm_5 = QLabel(self.generalTabInner)
        self.label_generalForm_5.setObjectName(u"label_generalForm_5")

        self.generalForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.label_generalForm_5)

        self.vendor_id = QComboBox(self.generalTabInner)
        self.vendor_id.setObjectName(u"vendor_id")

        self.generalForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.vendor_id)

        self.label_generalForm_6 = QLabel(self.generalTabInner)
        self.label_generalForm_6.setObjectName(u"label_generalForm_6")

        self.generalForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.label_generalForm_6)

        self.model_name = QLineEdit(self.generalTabInner)
        self.model_name.setObjectName(u"model_name")

        self.generalForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.model_name)

        self.label_generalForm_7 = QLabel(self.generalTabInner)
        self.label_generalForm_7.setObjectName(u"label_generalForm_7")

        self.generalForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.label_generalForm_7)

        self.model_version = QLineEdit(self.generalTabInner)
        self.model_version.setObjectName(u"model_version")

        self.generalForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.model_version)

        self.label_generalForm_8 = QLabel(self.generalTabInner)
        self.label_generalForm_8.setObjectName(u"label_generalForm_8")

        self.generalForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.label_generalForm_8)

        self.users = QLineEdit(self.generalTabInner)
        self.users.setObjectName(u"users")

        self.generalForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.users)

        self.label_generalForm_9 = QLabel(self.generalTabInner)
        self.label_generalForm_9.setObjectName(u"label_generalForm_9")

        self.generalForm.setWidget(9, QFormLayout.ItemRole.LabelRole, self.label_generalForm_9)

        self.go_live = QDateEdit(self.generalTabInner)
        self.go_live.setObjectName(u"go_live")
        self.go_live.setCalendarPopup(True)

        self.generalForm.setWidget(9, QFormLayout.ItemRole.FieldRole, self.go_live)

        self.label_generalForm_10 = QLabel(self.generalTabInner)
        self.label_generalForm_10.setObjectName(u"label_generalForm_10")

        self.generalForm.setWidget(10, QFormLayout.ItemRole.LabelRole, self.label_generalForm_10)

        self.go_live_known = QCheckBox(self.generalTabInner)
        self.go_live_known.setObjectName(u"go_live_known")

        self.generalForm.setWidget(10, QFormLayout.ItemRole.FieldRole, self.go_live_known)

        self.label_generalForm_11 = QLabel(self.generalTabInner)
        self.label_generalForm_11.setObjectName(u"label_generalForm_11")

        self.generalForm.setWidget(11, QFormLayout.ItemRole.LabelRole, self.label_generalForm_11)

        self.notes = QPlainTextEdit(self.generalTabInner)
        self.notes.setObjectName(u"notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumSize(QSize(16777215, 70))

        self.generalForm.setWidget(11, QFormLayout.ItemRole.FieldRole, self.notes)

        self.generalTabScroll.setWidget(self.generalTabInner)

        self.generalTabLayout.addWidget(self.generalTabScroll)

        self.tabs.addTab(self.generalTab, "")
        self.exposureTab = QWidget()
        self.exposureTab.setObjectName(u"exposureTab")
        self.exposureTabLayout = QVBoxLayout(self.exposureTab)
        self.exposureTabLayout.setObjectName(u"exposureTabLayout")
        self.exposureTabScroll = QScrollArea(self.exposureTab)
        self.exposureTabScroll.setObjectName(u"exposureTabScroll")
        self.exposureTabScroll.setWidgetResizable(True)
        self.exposureTabScroll.setFrameShape(QFrame.NoFrame)
        self.exposureTabInner = QWidget()
        self.exposureTabInner.setObjectName(u"exposureTabInner")
        self.exposureForm = QFormLayout(self.exposureTabInner)
        self.exposureForm.setObjectName(u"exposureForm")
        self.exposureForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.tierBadge = QLabel(self.exposureTabInner)
        self.tierBadge.setObjectName(u"tierBadge")
        self.tierBadge.setTextFormat(Qt.RichText)

        self.exposureForm.setWidget(0, QFormLayout.ItemRole.SpanningRole, self.tierBadge)

        self.tierExplanation = QLabel(self.exposureTabInner)
        self.tierExplanation.setObjectName(u"tierExplanation")
        self.tierExplanation.setWordWrap(True)
        self.tierExplanation.setTextFormat(Qt.RichText)
        self.tierExplanation.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.exposureForm.setWidget(1, QFormLayout.ItemRole.SpanningRole, self.tierExplanation)

        self.classifyButton = QPushButton(self.exposureTabInner)
        self.classifyButton.setObjectName(u"classifyButton")

        self.exposureForm.setWidget(2, QFormLayout.ItemRole.SpanningRole, self.classifyButton)

        self.label_exposureForm_3 = QLabel(self.exposureTabInner)
        self.label_exposureForm_3.setObjectName(u"label_exposureForm_3")

        self.exposureForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_3)

        self.people_affected = QSpinBox(self.exposureTabInner)
        self.people_affected.setObjectName(u"people_affected")
        self.people_affected.setMaximum(2000000000)
        self.people_affected.setGroupSeparatorShown(True)

        self.exposureForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.people_affected)

        self.label_exposureForm_4 = QLabel(self.exposureTabInner)
        self.label_exposureForm_4.setObjectName(u"label_exposureForm_4")

        self.exposureForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_4)

        self.affected_groups = QLineEdit(self.exposureTabInner)
        self.affected_groups.setObjectName(u"affected_groups")

        self.exposureForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.affected_groups)

        self.label_exposureForm_5 = QLabel(self.exposureTabInner)
        self.label_exposureForm_5.setObjectName(u"label_exposureForm_5")

        self.exposureForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_5)

        self.decision_role = QComboBox(self.exposureTabInner)
        self.decision_role.setObjectName(u"decision_role")

        self.exposureForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.decision_role)

        self.label_exposureForm_6 = QLabel(self.exposureTabInner)
        self.label_exposureForm_6.setObjectName(u"label_exposureForm_6")

        self.exposureForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_6)

        self.autonomy = QComboBox(self.exposureTabInner)
        self.autonomy.setObjectName(u"autonomy")

        self.exposureForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.autonomy)

        self.label_exposureForm_7 = QLabel(self.exposureTabInner)
        self.label_exposureForm_7.setObjectName(u"label_exposureForm_7")

        self.exposureForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_7)

        self.human_oversight = QComboBox(self.exposureTabInner)
        self.human_oversight.setObjectName(u"human_oversight")

        self.exposureForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.human_oversight)

        self.label_exposureForm_8 = QLabel(self.exposureTabInner)
        self.label_exposureForm_8.setObjectName(u"label_exposureForm_8")

        self.exposureForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_8)

        self.data_sensitivity = QComboBox(self.exposureTabInner)
        self.data_sensitivity.setObjectName(u"data_sensitivity")

        self.exposureForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.data_sensitivity)

        self.label_exposureForm_9 = QLabel(self.exposureTabInner)
        self.label_exposureForm_9.setObjectName(u"label_exposureForm_9")

        self.exposureForm.setWidget(9, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_9)

        self.childrens_data = QCheckBox(self.exposureTabInner)
        self.childrens_data.setObjectName(u"childrens_data")

        self.exposureForm.setWidget(9, QFormLayout.ItemRole.FieldRole, self.childrens_data)

        self.label_exposureForm_10 = QLabel(self.exposureTabInner)
        self.label_exposureForm_10.setObjectName(u"label_exposureForm_10")

        self.exposureForm.setWidget(10, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_10)

        self.harm_severity = QComboBox(self.exposureTabInner)
        self.harm_severity.setObjectName(u"harm_severity")

        self.exposureForm.setWidget(10, QFormLayout.ItemRole.FieldRole, self.harm_severity)

        self.label_exposureForm_11 = QLabel(self.exposureTabInner)
        self.label_exposureForm_11.setObjectName(u"label_exposureForm_11")

        self.exposureForm.setWidget(11, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_11)

        self.reversibility = QComboBox(self.exposureTabInner)
        self.reversibility.setObjectName(u"reversibility")

        self.exposureForm.setWidget(11, QFormLayout.ItemRole.FieldRole, self.reversibility)

        self.label_exposureForm_12 = QLabel(self.exposureTabInner)
        self.label_exposureForm_12.setObjectName(u"label_exposureForm_12")

        self.exposureForm.setWidget(12, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_12)

        self.rights_impacting = QCheckBox(self.exposureTabInner)
        self.rights_impacting.setObjectName(u"rights_impacting")

        self.exposureForm.setWidget(12, QFormLayout.ItemRole.FieldRole, self.rights_impacting)

        self.label_exposureForm_13 = QLabel(self.exposureTabInner)
        self.label_exposureForm_13.setObjectName(u"label_exposureForm_13")

        self.exposureForm.setWidget(13, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_13)

        self.safety_impacting = QCheckBox(self.exposureTabInner)
        self.safety_impacting.setObjectName(u"safety_impacting")

        self.exposureForm.setWidget(13, QFormLayout.ItemRole.FieldRole, self.safety_impacting)

        self.label_exposureForm_14 = QLabel(self.exposureTabInner)
        self.label_exposureForm_14.setObjectName(u"label_exposureForm_14")

        self.exposureForm.setWidget(14, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_14)

        self.public_facing = QCheckBox(self.exposureTabInner)
        self.public_facing.setObjectName(u"public_facing")

        self.exposureForm.setWidget(14, QFormLayout.ItemRole.FieldRole, self.public_facing)

        self.label_exposureForm_15 = QLabel(self.exposureTabInner)
        self.label_exposureForm_15.setObjectName(u"label_exposureForm_15")

        self.exposureForm.setWidget(15, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_15)

        self.generative = QCheckBox(self.exposureTabInner)
        self.generative.setObjectName(u"generative")

        self.exposureForm.setWidget(15, QFormLayout.ItemRole.FieldRole, self.generative)

        self.label_exposureForm_16 = QLabel(self.exposureTabInner)
        self.label_exposureForm_16.setObjectName(u"label_exposureForm_16")

        self.exposureForm.setWidget(16, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_16)

        self.eu_ai_act_class = QComboBox(self.exposureTabInner)
        self.eu_ai_act_class.setObjectName(u"eu_ai_act_class")

        self.exposureForm.setWidget(16, QFormLayout.ItemRole.FieldRole, self.eu_ai_act_class)

        self.label_exposureForm_17 = QLabel(self.exposureTabInner)
        self.label_exposureForm_17.setObjectName(u"label_exposureForm_17")

        self.exposureForm.setWidget(17, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_17)

        self.eu_ai_act_basis = QLineEdit(self.exposureTabInner)
        self.eu_ai_act_basis.setObjectName(u"eu_ai_act_basis")

        self.exposureForm.setWidget(17, QFormLayout.ItemRole.FieldRole, self.eu_ai_act_basis)

        self.label_exposureForm_18 = QLabel(self.exposureTabInner)
        self.label_exposureForm_18.setObjectName(u"label_exposureForm_18")

        self.exposureForm.setWidget(18, QFormLayout.ItemRole.LabelRole, self.label_exposureForm_18)

        self.dev_prod_separated = QComboBox(self.exposureTabInner)
        self.dev_prod_separated.setObjectName(u"dev_prod_separated")

        self.exposureForm.setWidget(18, QFormLayout.ItemRole.FieldRole, self.dev_prod_separated)

        self.exposureTabScroll.setWidget(self.exposureTabInner)

        self.exposureTabLayout.addWidget(self.exposureTabScroll)

        self.tabs.addTab(self.exposureTab, "")
        self.oversightTab = QWidget()
        self.oversightTab.setObjectName(u"oversightTab")
        self.oversightTabLayout = QVBoxLayout(self.oversightTab)
        self.oversightTabLayout.setObjectName(u"oversightTabLayout")
        self.oversightTabScroll = QScrollArea(self.oversightTab)
        self.oversightTabScroll.setObjectName(u"oversightTabScroll")
        self.oversightTabScroll.setWidgetResizable(True)
        self.oversightTabScroll.setFrameShape(QFrame.NoFrame)
        self.oversightTabInner = QWidget()
        self.oversightTabInner.setObjectName(u"oversightTabInner")
        self.oversightForm = QFormLayout(self.oversightTabInner)
        self.oversightForm.setObjectName(u"oversightForm")
        self.oversightForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.label_oversightForm_0 = QLabel(self.oversightTabInner)
        self.label_oversightForm_0.setObjectName(u"label_oversightForm_0")

        self.oversightForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_0)

        self.owner_first_id = QComboBox(self.oversightTabInner)
        self.owner_first_id.setObjectName(u"owner_first_id")

        self.oversightForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.owner_first_id)

        self.label_oversightForm_1 = QLabel(self.oversightTabInner)
        self.label_oversightForm_1.setObjectName(u"label_oversightForm_1")

        self.oversightForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_1)

        self.owner_second_id = QComboBox(self.oversightTabInner)
        self.owner_second_id.setObjectName(u"owner_second_id")

        self.oversightForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.owner_second_id)

        self.label_oversightForm_2 = QLabel(self.oversightTabInner)
        self.label_oversightForm_2.setObjectName(u"label_oversightForm_2")

        self.oversightForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_2)

        self.owner_third_id = QComboBox(self.oversightTabInner)
        self.owner_third_id.setObjectName(u"owner_third_id")

        self.oversightForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.owner_third_id)

        self.label_oversightForm_3 = QLabel(self.oversightTabInner)
        self.label_oversightForm_3.setObjectName(u"label_oversightForm_3")

        self.oversightForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_3)

        self.last_review = QDateEdit(self.oversightTabInner)
        self.last_review.setObjectName(u"last_review")
        self.last_review.setCalendarPopup(True)

        self.oversightForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.last_review)

        self.label_oversightForm_4 = QLabel(self.oversightTabInner)
        self.label_oversightForm_4.setObjectName(u"label_oversightForm_4")

        self.oversightForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_4)

        self.last_review_known = QCheckBox(self.oversightTabInner)
        self.last_review_known.setObjectName(u"last_review_known")

        self.oversightForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.last_review_known)

        self.label_oversightForm_5 = QLabel(self.oversightTabInner)
        self.label_oversightForm_5.setObjectName(u"label_oversightForm_5")

        self.oversightForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_5)

        self.next_review = QDateEdit(self.oversightTabInner)
        self.next_review.setObjectName(u"next_review")
        self.next_review.setCalendarPopup(True)

        self.oversightForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.next_review)

        self.label_oversightForm_6 = QLabel(self.oversightTabInner)
        self.label_oversightForm_6.setObjectName(u"label_oversightForm_6")

        self.oversightForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_6)

        self.next_review_known = QCheckBox(self.oversightTabInner)
        self.next_review_known.setObjectName(u"next_review_known")

        self.oversightForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.next_review_known)

        self.label_oversightForm_7 = QLabel(self.oversightTabInner)
        self.label_oversightForm_7.setObjectName(u"label_oversightForm_7")

        self.oversightForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_7)

        self.rollback_plan = QPlainTextEdit(self.oversightTabInner)
        self.rollback_plan.setObjectName(u"rollback_plan")
        self.rollback_plan.setTabChangesFocus(True)
        self.rollback_plan.setMaximumSize(QSize(16777215, 70))

        self.oversightForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.rollback_plan)

        self.label_oversightForm_8 = QLabel(self.oversightTabInner)
        self.label_oversightForm_8.setObjectName(u"label_oversightForm_8")

        self.oversightForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_8)

        self.kill_switch = QPlainTextEdit(self.oversightTabInner)
        self.kill_switch.setObjectName(u"kill_switch")
        self.kill_switch.setTabChangesFocus(True)
        self.kill_switch.setMaximumSize(QSize(16777215, 70))

        self.oversightForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.kill_switch)

        self.label_oversightForm_9 = QLabel(self.oversightTabInner)
        self.label_oversightForm_9.setObjectName(u"label_oversightForm_9")

        self.oversightForm.setWidget(9, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_9)

        self.monitoring = QPlainTextEdit(self.oversightTabInner)
        self.monitoring.setObjectName(u"monitoring")
        self.monitoring.setTabChangesFocus(True)
        self.monitoring.setMaximumSize(QSize(16777215, 70))

        self.oversightForm.setWidget(9, QFormLayout.ItemRole.FieldRole, self.monitoring)

        self.label_oversightForm_10 = QLabel(self.oversightTabInner)
        self.label_oversightForm_10.setObjectName(u"label_oversightForm_10")

        self.oversightForm.setWidget(10, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_10)

        self.agent_permissions = QPlainTextEdit(self.oversightTabInner)
        self.agent_permissions.setObjectName(u"agent_permissions")
        self.agent_permissions.setTabChangesFocus(True)
        self.agent_permissions.setMaximumSize(QSize(16777215, 70))

        self.oversightForm.setWidget(10, QFormLayout.ItemRole.FieldRole, self.agent_permissions)

        self.label_oversightForm_11 = QLabel(self.oversightTabInner)
        self.label_oversightForm_11.setObjectName(u"label_oversightForm_11")

        self.oversightForm.setWidget(11, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_11)

        self.permissions_reviewed = QCheckBox(self.oversightTabInner)
        self.permissions_reviewed.setObjectName(u"permissions_reviewed")

        self.oversightForm.setWidget(11, QFormLayout.ItemRole.FieldRole, self.permissions_reviewed)

        self.label_oversightForm_12 = QLabel(self.oversightTabInner)
        self.label_oversightForm_12.setObjectName(u"label_oversightForm_12")

        self.oversightForm.setWidget(12, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_12)

        self.board_reporting = QCheckBox(self.oversightTabInner)
        self.board_reporting.setObjectName(u"board_reporting")

        self.oversightForm.setWidget(12, QFormLayout.ItemRole.FieldRole, self.board_reporting)

        self.label_oversightForm_13 = QLabel(self.oversightTabInner)
        self.label_oversightForm_13.setObjectName(u"label_oversightForm_13")

        self.oversightForm.setWidget(13, QFormLayout.ItemRole.LabelRole, self.label_oversightForm_13)

        self.needs_rereview = QCheckBox(self.oversightTabInner)
        self.needs_rereview.setObjectName(u"needs_rereview")

        self.oversightForm.setWidget(13, QFormLayout.ItemRole.FieldRole, self.needs_rereview)

        self.oversightTabScroll.setWidget(self.oversightTabInner)

        self.oversightTabLayout.addWidget(self.oversightTabScroll)

        self.tabs.addTab(self.oversightTab, "")
        self.risksTab = QWidget()
        self.risksTab.setObjectName(u"risksTab")
        self.risksLayout = QVBoxLayout(self.risksTab)
        self.risksLayout.setObjectName(u"risksLayout")
        self.risksView = QTableView(self.risksTab)
        self.risksView.setObjectName(u"risksView")
        self.risksView.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.risksView.setSelectionMode(QAbstractItemView.SingleSelection)
        self.risksView.setSortingEnabled(True)
        self.risksView.setAlternatingRowColors(True)

        self.risksLayout.addWidget(self.risksView)

        self.riskButtons = QHBoxLayout()
        self.riskButtons.setObjectName(u"riskButtons")
        self.addRiskButton = QPushButton(self.risksTab)
        self.addRiskButton.setObjectName(u"addRiskButton")

        self.riskButtons.addWidget(self.addRiskButton)

        self.catalogueRiskButton = QPushButton(self.risksTab)
        self.catalogueRiskButton.setObjectName(u"catalogueRiskButton")

        self.riskButtons.addWidget(self.catalogueRiskButton)

        self.editRiskButton = QPushButton(self.risksTab)
        self.editRiskButton.setObjectName(u"editRiskButton")

        self.riskButtons.addWidget(self.editRiskButton)

        self.removeRiskButton = QPushButton(self.risksTab)
        self.removeRiskButton.setObjectName(u"removeRiskButton")

        self.riskButtons.addWidget(self.removeRiskButton)

        self.riskSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.riskButtons.addItem(self.riskSpacer)


        self.risksLayout.addLayout(self.riskButtons)

        self.tabs.addTab(self.risksTab, "")
        self.gapsTab = QWidget()
        self.gapsTab.setObjectName(u"gapsTab")
        self.gapsLayout = QVBoxLayout(self.gapsTab)
        self.gapsLayout.setObjectName(u"gapsLayout")
        self.gapsIntro = QLabel(self.gapsTab)
        self.gapsIntro.setObjectName(u"gapsIntro")
        self.gapsIntro.setWordWrap(True)

        self.gapsLayout.addWidget(self.gapsIntro)

        self.gapsList = QListWidget(self.gapsTab)
        self.gapsList.setObjectName(u"gapsList")
        self.gapsList.setAlternatingRowColors(True)
        self.gapsList.setWordWrap(True)

        self.gapsLayout.addWidget(self.gapsList)

        self.tabs.addTab(self.gapsTab, "")
        self.challengesTab = QWidget()
        self.challengesTab.setObjectName(u"challengesTab")
        self.challengesLayout = QVBoxLayout(self.challengesTab)
        self.challengesLayout.setObjectName(u"challengesLayout")
        self.tabs.addTab(self.challengesTab, "")
        self.historyTab = QWidget()
        self.historyTab.setObjectName(u"historyTab")
        self.historyLayout = QVBoxLayout(self.historyTab)
        self.historyLayout.setObjectName(u"historyLayout")
        self.tabs.addTab(self.historyTab, "")
        self.suggestionsTab = QWidget()
        self.suggestionsTab.setObjectName(u"suggestionsTab")
        self.suggestionsLayout = QVBoxLayout(self.suggestionsTab)
        self.suggestionsLayout.setObjectName(u"suggestionsLayout")
        self.tabs.addTab(self.suggestionsTab, "")
        self.incidentsTab = QWidget()
        self.incidentsTab.setObjectName(u"incidentsTab")
        self.incidentsLayout = QVBoxLayout(self.incidentsTab)
        self.incidentsLayout.setObjectName(u"incidentsLayout")
        self.tabs.addTab(self.incidentsTab, "")

        self.mainLayout.addWidget(self.tabs)

        self.buttons = QDialogButtonBox(UseEditor)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.label_generalForm_0.setBuddy(self.name)
        self.label_generalForm_1.setBuddy(self.purpose)
        self.label_generalForm_2.setBuddy(self.department)
        self.label_generalForm_3.setBuddy(self.stage)
        self.label_generalForm_4.setBuddy(self.sourcing)
        self.label_generalForm_5.setBuddy(self.vendor_id)
        self.label_generalForm_6.setBuddy(self.model_name)
        self.label_generalForm_7.setBuddy(self.model_version)
        self.label_generalForm_8.setBuddy(self.users)
        self.label_generalForm_9.setBuddy(self.go_live)
        self.label_generalForm_10.setBuddy(self.go_live_known)
        self.label_generalForm_11.setBuddy(self.notes)
        self.label_exposureForm_3.setBuddy(self.people_affected)
        self.label_exposureForm_4.setBuddy(self.affected_groups)
        self.label_exposureForm_5.setBuddy(self.decision_role)
        self.label_exposureForm_6.setBuddy(self.autonomy)
        self.label_exposureForm_7.setBuddy(self.human_oversight)
        self.label_exposureForm_8.setBuddy(self.data_sensitivity)
        self.label_exposureForm_10.setBuddy(self.harm_severity)
        self.label_exposureForm_11.setBuddy(self.reversibility)
        self.label_exposureForm_16.setBuddy(self.eu_ai_act_class)
        self.label_exposureForm_17.setBuddy(self.eu_ai_act_basis)
        self.label_exposureForm_18.setBuddy(self.dev_prod_separated)
        self.label_oversightForm_0.setBuddy(self.owner_first_id)
        self.label_oversightForm_1.setBuddy(self.owner_second_id)
        self.label_oversightForm_2.setBuddy(self.owner_third_id)
        self.label_oversightForm_3.setBuddy(self.last_review)
        self.label_oversightForm_5.setBuddy(self.next_review)
        self.label_oversightForm_7.setBuddy(self.rollback_plan)
        self.label_oversightForm_8.setBuddy(self.kill_switch)
        self.label_oversightForm_9.setBuddy(self.monitoring)
        self.label_oversightForm_10.setBuddy(self.agent_permissions)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(UseEditor)

        QMetaObject.connectSlotsByName(UseEditor)
    # setupUi

    def retranslateUi(self, UseEditor):
        UseEditor.setWindowTitle(QCoreApplication.translate("UseEditor", u"AI use", None))
        self.errorBanner.setStyleSheet(QCoreApplication.translate("UseEditor", u"QLabel { background: #fde2e2; color: #8a1f11; padding: 6px; border-radius: 4px; }", None))
        self.label_generalForm_0.setText(QCoreApplication.translate("UseEditor", u"&Name", None))
#if QT_CONFIG(tooltip)
        self.name.setToolTip(QCoreApplication.translate("UseEditor", u"A short name people will recognise, e.g. \u201cEssay feedback assistant\u201d. Every list and report shows it.", None))
#endif // QT_CONFIG(tooltip)
        self.name.setPlaceholderText(QCoreApplication.translate("UseEditor", u"e.g. Student homework chatbot", None))
        self.label_generalForm_1.setText(QCoreApplication.translate("UseEditor", u"&Purpose", None))
#if QT_CONFIG(tooltip)
        self.purpose.setToolTip(QCoreApplication.translate("UseEditor", u"What the AI is used for and why, in a sentence or two. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.purpose.setPlaceholderText(QCoreApplication.translate("UseEditor", u"What is it for, in one or two sentences?", None))
        self.label_generalForm_2.setText(QCoreApplication.translate("UseEditor", u"&Department", None))
#if QT_CONFIG(tooltip)
        self.department.setToolTip(QCoreApplication.translate("UseEditor", u"The team or department that uses it.", None))
#endif // QT_CONFIG(tooltip)
        self.label_generalForm_3.setText(QCoreApplication.translate("UseEditor", u"&Stage", None))
#if QT_CONFIG(tooltip)
        self.stage.setToolTip(QCoreApplication.translate("UseEditor", u"Where it is in its life: idea, development, pilot, production or retired. Not stated until someone says; retired uses leave the oversight ladder.", None))
#endif // QT_CONFIG(tooltip)
        self.label_generalForm_4.setText(QCoreApplication.translate("UseEditor", u"How it is &built or bought", None))
#if QT_CONFIG(tooltip)
        self.sourcing.setToolTip(QCoreApplication.translate("UseEditor", u"How you get it: an AI feature inside software you already have, a vendor's API, an open model you run, a model fine-tuned for you, or built in-house.", None))
#endif // QT_CONFIG(tooltip)
        self.label_generalForm_5.setText(QCoreApplication.translate("UseEditor", u"&Vendor", None))
#if QT_CONFIG(tooltip)
        self.vendor_id.setToolTip(QCoreApplication.translate("UseEditor", u"The company you buy it through (add vendors on the Vendors page).", None))
#endif // QT_CONFIG(tooltip)
        self.label_generalForm_6.setText(QCoreApplication.translate("UseEditor", u"&Model", None))
#if QT_CONFIG(tooltip)
        self.model_name.setToolTip(QCoreApplication.translate("UseEditor", u"The AI model behind it, if known, e.g. GPT-4o.", None))
#endif // QT_CONFIG(tooltip)
        self.model_name.setPlaceholderText(QCoreApplication.translate("UseEditor", u"product or model name", None))
        self.label_generalForm_7.setText(QCoreApplication.translate("UseEditor", u"Model v&ersion", None))
#if QT_CONFIG(tooltip)
        self.model_version.setToolTip(QCoreApplication.translate("UseEditor", u"The model's version or release, if known.", None))
#endif // QT_CONFIG(tooltip)
        self.label_generalForm_8.setText(QCoreApplication.translate("UseEditor", u"Who &uses it", None))
#if QT_CONFIG(tooltip)
        self.users.setToolTip(QCoreApplication.translate("UseEditor", u"Who uses it day to day: staff roles, students, the public\u2026", None))
#endif // QT_CONFIG(tooltip)
        self.users.setPlaceholderText(QCoreApplication.translate("UseEditor", u"e.g. teachers, the HR team", None))
        self.label_generalForm_9.setText(QCoreApplication.translate("UseEditor", u"Go-live date", None))
#if QT_CONFIG(tooltip)
        self.go_live.setToolTip(QCoreApplication.translate("UseEditor", u"The date it went live (or will).", None))
#endif // QT_CONFIG(tooltip)
        self.go_live.setDisplayFormat(QCoreApplication.translate("UseEditor", u"yyyy-MM-dd", None))
        self.label_generalForm_10.setText(QCoreApplication.translate("UseEditor", u"Go-live &known", None))
#if QT_CONFIG(tooltip)
        self.go_live_known.setToolTip(QCoreApplication.translate("UseEditor", u"Tick when the use has gone live, then give the date.", None))
#endif // QT_CONFIG(tooltip)
        self.go_live_known.setText(QCoreApplication.translate("UseEditor", u"This use has gone live", None))
        self.label_generalForm_11.setText(QCoreApplication.translate("UseEditor", u"No&tes", None))
#if QT_CONFIG(tooltip)
        self.notes.setToolTip(QCoreApplication.translate("UseEditor", u"Anything else worth knowing: links, decisions, open questions. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.tabs.setTabText(self.tabs.indexOf(self.generalTab), QCoreApplication.translate("UseEditor", u"&What it is", None))
        self.tierBadge.setText(QCoreApplication.translate("UseEditor", u"Tier", None))
#if QT_CONFIG(tooltip)
        self.classifyButton.setToolTip(QCoreApplication.translate("UseEditor", u"Answer a few plain-language questions to fill in the exposure fields.", None))
#endif // QT_CONFIG(tooltip)
        self.classifyButton.setText(QCoreApplication.translate("UseEditor", u"Classify this use with plain questions\u2026", None))
        self.label_exposureForm_3.setText(QCoreApplication.translate("UseEditor", u"People &affected", None))
#if QT_CONFIG(tooltip)
        self.people_affected.setToolTip(QCoreApplication.translate("UseEditor", u"About how many people a year its outputs reach or affect; the score counts steps of ten (100+, 1k+, 10k+, 100k+). \u201cNot answered\u201d is not zero.", None))
#endif // QT_CONFIG(tooltip)
        self.people_affected.setSuffix(QCoreApplication.translate("UseEditor", u" people / year", None))
        self.label_exposureForm_4.setText(QCoreApplication.translate("UseEditor", u"A&ffected groups", None))
#if QT_CONFIG(tooltip)
        self.affected_groups.setToolTip(QCoreApplication.translate("UseEditor", u"Who is affected, e.g. students, job applicants, patients.", None))
#endif // QT_CONFIG(tooltip)
        self.affected_groups.setPlaceholderText(QCoreApplication.translate("UseEditor", u"students, patients, applicants, customers\u2026", None))
        self.label_exposureForm_5.setText(QCoreApplication.translate("UseEditor", u"&Decision role", None))
#if QT_CONFIG(tooltip)
        self.decision_role.setToolTip(QCoreApplication.translate("UseEditor", u"What it does in decisions about people: none, informs staff, recommends, decides with human review, or decides automatically. It weighs most in the score.", None))
#endif // QT_CONFIG(tooltip)
        self.label_exposureForm_6.setText(QCoreApplication.translate("UseEditor", u"A&utonomy", None))
#if QT_CONFIG(tooltip)
        self.autonomy.setToolTip(QCoreApplication.translate("UseEditor", u"How far it acts on its own: none, assistive, an agent with read-only tools, an agent that writes with approval, or an agent acting without approval.", None))
#endif // QT_CONFIG(tooltip)
        self.label_exposureForm_7.setText(QCoreApplication.translate("UseEditor", u"&Human oversight", None))
#if QT_CONFIG(tooltip)
        self.human_oversight.setToolTip(QCoreApplication.translate("UseEditor", u"How people oversee it: a person approves each output (in the loop), watches and can step in (on the loop), or nobody does.", None))
#endif // QT_CONFIG(tooltip)
        self.label_exposureForm_8.setText(QCoreApplication.translate("UseEditor", u"Data &sensitivity", None))
#if QT_CONFIG(tooltip)
        self.data_sensitivity.setToolTip(QCoreApplication.translate("UseEditor", u"The most sensitive data it sees: public, internal, personal, sensitive, or children's and special-category data.", None))
#endif // QT_CONFIG(tooltip)
        self.label_exposureForm_9.setText("")
#if QT_CONFIG(tooltip)
        self.childrens_data.setToolTip(QCoreApplication.translate("UseEditor", u"Tick if it handles data about children. Grey (partly ticked): not answered yet.", None))
#endif // QT_CONFIG(tooltip)
        self.childrens_data.setText(QCoreApplication.translate("UseEditor", u"Handles children's data", None))
        self.label_exposureForm_10.setText(QCoreApplication.translate("UseEditor", u"Harm se&verity", None))
#if QT_CONFIG(tooltip)
        self.harm_severity.setToolTip(QCoreApplication.translate("UseEditor", u"How bad the worst realistic harm to a person would be, from negligible to severe.", None))
#endif // QT_CONFIG(tooltip)
        self.label_exposureForm_11.setText(QCoreApplication.translate("UseEditor", u"&Reversibility", None))
#if QT_CONFIG(tooltip)
        self.reversibility.setToolTip(QCoreApplication.translate("UseEditor", u"Whether that harm can be put right: reversible, hard to reverse, or irreversible.", None))
#endif // QT_CONFIG(tooltip)
        self.label_exposureForm_12.setText("")
#if QT_CONFIG(tooltip)
        self.rights_impacting.setToolTip(QCoreApplication.translate("UseEditor", u"Its outputs are a principal basis for decisions about people's rights, opportunities or access to services (OMB M-24-10): the tier is at least High. Grey (partly ticked): not answered yet.", None))
#endif // QT_CONFIG(tooltip)
        self.rights_impacting.setText(QCoreApplication.translate("UseEditor", u"Rights-impacting (OMB M-24-10)", None))
        self.label_exposureForm_13.setText("")
#if QT_CONFIG(tooltip)
        self.safety_impacting.setToolTip(QCoreApplication.translate("UseEditor", u"Its outputs could affect people's life or safety, or critical infrastructure (OMB M-24-10): the tier is at least High. Grey (partly ticked): not answered yet.", None))
#endif // QT_CONFIG(tooltip)
        self.safety_impacting.setText(QCoreApplication.translate("UseEditor", u"Safety-impacting (OMB M-24-10)", None))
        self.label_exposureForm_14.setText("")
#if QT_CONFIG(tooltip)
        self.public_facing.setToolTip(QCoreApplication.translate("UseEditor", u"Members of the public use it or talk to it directly. Grey (partly ticked): not stated yet.", None))
#endif // QT_CONFIG(tooltip)
        self.public_facing.setText(QCoreApplication.translate("UseEditor", u"Used by the public directly", None))
        self.label_exposureForm_15.setText("")
#if QT_CONFIG(tooltip)
        self.generative.setToolTip(QCoreApplication.translate("UseEditor", u"It generates text, images, audio or code, so it can make things up. Grey (partly ticked): not stated yet.", None))
#endif // QT_CONFIG(tooltip)
        self.generative.setText(QCoreApplication.translate("UseEditor", u"Generates text, images or code", None))
        self.label_exposureForm_16.setText(QCoreApplication.translate("UseEditor", u"&EU AI Act class", None))
#if QT_CONFIG(tooltip)
        self.eu_ai_act_class.setToolTip(QCoreApplication.translate("UseEditor", u"Its class under the EU AI Act: minimal, transparency (limited), high-risk (Annex III) or prohibited (Art. 5). High-risk makes the tier at least High; prohibited makes it Critical.", None))
#endif // QT_CONFIG(tooltip)
        self.label_exposureForm_17.setText(QCoreApplication.translate("UseEditor", u"EU AI Act &basis", None))
#if QT_CONFIG(tooltip)
        self.eu_ai_act_basis.setToolTip(QCoreApplication.translate("UseEditor", u"Why that class: the Article or Annex point, e.g. \u201cAnnex III 3(b)\u201d.", None))
#endif // QT_CONFIG(tooltip)
        self.eu_ai_act_basis.setPlaceholderText(QCoreApplication.translate("UseEditor", u"e.g. Annex III 3(b) or Article 5.1.f", None))
        self.label_exposureForm_18.setText(QCoreApplication.translate("UseEditor", u"Dev/prod separated", None))
#if QT_CONFIG(tooltip)
        self.dev_prod_separated.setToolTip(QCoreApplication.translate("UseEditor", u"For agents: are development and production kept apart? Not recorded is not \u201cno\u201d.", None))
#endif // QT_CONFIG(tooltip)
        self.tabs.setTabText(self.tabs.indexOf(self.exposureTab), QCoreApplication.translate("UseEditor", u"E&xposure", None))
        self.label_oversightForm_0.setText(QCoreApplication.translate("UseEditor", u"&1st-line owner", None))
#if QT_CONFIG(tooltip)
        self.owner_first_id.setToolTip(QCoreApplication.translate("UseEditor", u"1st line: the person who runs the use day to day and answers for it. Every tier needs one. (New person\u2026 adds someone.)", None))
#endif // QT_CONFIG(tooltip)
        self.label_oversightForm_1.setText(QCoreApplication.translate("UseEditor", u"&2nd-line reviewer", None))
#if QT_CONFIG(tooltip)
        self.owner_second_id.setToolTip(QCoreApplication.translate("UseEditor", u"2nd line: the person who reviews and challenges it independently; needed from Moderate. Nobody may hold two lines for one use.", None))
#endif // QT_CONFIG(tooltip)
        self.label_oversightForm_2.setText(QCoreApplication.translate("UseEditor", u"&3rd-line assurance", None))
#if QT_CONFIG(tooltip)
        self.owner_third_id.setToolTip(QCoreApplication.translate("UseEditor", u"3rd line: independent assurance, e.g. internal audit; needed from High.", None))
#endif // QT_CONFIG(tooltip)
        self.label_oversightForm_3.setText(QCoreApplication.translate("UseEditor", u"Last review", None))
#if QT_CONFIG(tooltip)
        self.last_review.setToolTip(QCoreApplication.translate("UseEditor", u"When the use was last reviewed properly (History tab \u25b8 Record review\u2026 sets it).", None))
#endif // QT_CONFIG(tooltip)
        self.last_review.setDisplayFormat(QCoreApplication.translate("UseEditor", u"yyyy-MM-dd", None))
        self.label_oversightForm_4.setText("")
#if QT_CONFIG(tooltip)
        self.last_review_known.setToolTip(QCoreApplication.translate("UseEditor", u"Tick once the use has been reviewed, then give the date.", None))
#endif // QT_CONFIG(tooltip)
        self.last_review_known.setText(QCoreApplication.translate("UseEditor", u"Has been reviewed", None))
        self.label_oversightForm_5.setText(QCoreApplication.translate("UseEditor", u"Next review due", None))
#if QT_CONFIG(tooltip)
        self.next_review.setToolTip(QCoreApplication.translate("UseEditor", u"When the next review is due; the tier sets how often (every 12, 6, 3 or 1 months).", None))
#endif // QT_CONFIG(tooltip)
        self.next_review.setDisplayFormat(QCoreApplication.translate("UseEditor", u"yyyy-MM-dd", None))
        self.label_oversightForm_6.setText("")
#if QT_CONFIG(tooltip)
        self.next_review_known.setToolTip(QCoreApplication.translate("UseEditor", u"Tick when a next review is scheduled, then give the date.", None))
#endif // QT_CONFIG(tooltip)
        self.next_review_known.setText(QCoreApplication.translate("UseEditor", u"A next review is scheduled", None))
        self.label_oversightForm_7.setText(QCoreApplication.translate("UseEditor", u"Rollback &plan", None))
#if QT_CONFIG(tooltip)
        self.rollback_plan.setToolTip(QCoreApplication.translate("UseEditor", u"How you would go back to working without it, quickly and safely. Needed from High. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.label_oversightForm_8.setText(QCoreApplication.translate("UseEditor", u"&Kill switch", None))
#if QT_CONFIG(tooltip)
        self.kill_switch.setToolTip(QCoreApplication.translate("UseEditor", u"Who can switch it off at once, and how. Needed from High, and for any agent acting without approval. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.label_oversightForm_9.setText(QCoreApplication.translate("UseEditor", u"&Monitoring", None))
#if QT_CONFIG(tooltip)
        self.monitoring.setToolTip(QCoreApplication.translate("UseEditor", u"How you check it keeps working as intended: samples, metrics, complaints. Needed from High. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.label_oversightForm_10.setText(QCoreApplication.translate("UseEditor", u"Agent &tools and permissions", None))
#if QT_CONFIG(tooltip)
        self.agent_permissions.setToolTip(QCoreApplication.translate("UseEditor", u"For agents: the systems and tools it can use and what it may do in each. (Tab moves on; Ctrl+Tab types a tab.)", None))
#endif // QT_CONFIG(tooltip)
        self.agent_permissions.setPlaceholderText(QCoreApplication.translate("UseEditor", u"One per line: tool \u2014 access \u2014 needed?", None))
        self.label_oversightForm_11.setText("")
#if QT_CONFIG(tooltip)
        self.permissions_reviewed.setToolTip(QCoreApplication.translate("UseEditor", u"Tick when someone has checked the agent holds only the permissions it needs; needed from High.", None))
#endif // QT_CONFIG(tooltip)
        self.permissions_reviewed.setText(QCoreApplication.translate("UseEditor", u"Least-privilege review of agent permissions done", None))
        self.label_oversightForm_12.setText("")
#if QT_CONFIG(tooltip)
        self.board_reporting.setToolTip(QCoreApplication.translate("UseEditor", u"Tick when the use is reported to the board; needed at Critical.", None))
#endif // QT_CONFIG(tooltip)
        self.board_reporting.setText(QCoreApplication.translate("UseEditor", u"Reported to the board", None))
        self.label_oversightForm_13.setText("")
#if QT_CONFIG(tooltip)
        self.needs_rereview.setToolTip(QCoreApplication.translate("UseEditor", u"Flagged for re-review, e.g. by an incident; recording a review clears it.", None))
#endif // QT_CONFIG(tooltip)
        self.needs_rereview.setText(QCoreApplication.translate("UseEditor", u"Flagged for re-review", None))
        self.tabs.setTabText(self.tabs.indexOf(self.oversightTab), QCoreApplication.translate("UseEditor", u"Oversight", None))
#if QT_CONFIG(tooltip)
        self.risksView.setToolTip(QCoreApplication.translate("UseEditor", u"This use's risks; double-click or Enter opens one.", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.risksView.setAccessibleName(QCoreApplication.translate("UseEditor", u"Risks of this use", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.addRiskButton.setToolTip(QCoreApplication.translate("UseEditor", u"Add a risk to this use.", None))
#endif // QT_CONFIG(tooltip)
        self.addRiskButton.setText(QCoreApplication.translate("UseEditor", u"&Add risk\u2026", None))
        self.catalogueRiskButton.setText(QCoreApplication.translate("UseEditor", u"Add from &catalogue\u2026", None))
#if QT_CONFIG(tooltip)
        self.catalogueRiskButton.setToolTip(QCoreApplication.translate("UseEditor", u"Search the frameworks and the risk library for a risk to add", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.editRiskButton.setToolTip(QCoreApplication.translate("UseEditor", u"Open the selected risk.", None))
#endif // QT_CONFIG(tooltip)
        self.editRiskButton.setText(QCoreApplication.translate("UseEditor", u"&Edit\u2026", None))
#if QT_CONFIG(tooltip)
        self.removeRiskButton.setToolTip(QCoreApplication.translate("UseEditor", u"Delete the selected risk (Ctrl+Z undoes it).", None))
#endif // QT_CONFIG(tooltip)
        self.removeRiskButton.setText(QCoreApplication.translate("UseEditor", u"&Remove", None))
        self.tabs.setTabText(self.tabs.indexOf(self.risksTab), QCoreApplication.translate("UseEditor", u"Risks", None))
        self.gapsIntro.setText(QCoreApplication.translate("UseEditor", u"Oversight this use needs for its tier but does not have yet. Fix a gap and it disappears.", None))
#if QT_CONFIG(tooltip)
        self.gapsList.setToolTip(QCoreApplication.translate("UseEditor", u"What this use still lacks for its tier. Double-click a gap (or press Enter) to go to the field that closes it.", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.gapsList.setAccessibleName(QCoreApplication.translate("UseEditor", u"Gaps", None))
#endif // QT_CONFIG(accessibility)
        self.tabs.setTabText(self.tabs.indexOf(self.gapsTab), QCoreApplication.translate("UseEditor", u"Gaps", None))
        self.tabs.setTabText(self.tabs.indexOf(self.challengesTab), QCoreApplication.translate("UseEditor", u"Challenges", None))
        self.tabs.setTabText(self.tabs.indexOf(self.historyTab), QCoreApplication.translate("UseEditor", u"Histor&y", None))
        self.tabs.setTabText(self.tabs.indexOf(self.suggestionsTab), QCoreApplication.translate("UseEditor", u"Suggested risks", None))
        self.tabs.setTabText(self.tabs.indexOf(self.incidentsTab), QCoreApplication.translate("UseEditor", u"Incidents elsewhere", None))
    # retranslateUi

