"""Data shipped with riskdesk: icons, fonts, framework data, demo data."""
