"""Dialogs opened from the menus: export, import wizard, settings, classify, catalogue, history…"""
