"""Reusable widgets and helpers: the heatmap, form binding, the exposure trend chart."""
