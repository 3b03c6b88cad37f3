"""The main window's pages: dashboard, register tables, frameworks, controls, drift."""
