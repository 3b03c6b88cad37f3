"""Record editors: the AI-use editor and its tabs, the risk editor, record and incident dialogs."""
