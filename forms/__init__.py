"""Designer forms (.ui), compiled to riskdesk.ui.forms by pyside6-uic."""
