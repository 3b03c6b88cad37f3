"""File ▸ Import…: a wizard from a spreadsheet to AI uses in the register."""
