"""Python modules generated from ui/*.ui by tools/compile_ui.py (do not edit)."""
