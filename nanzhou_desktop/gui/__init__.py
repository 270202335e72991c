"""The Qt layer: the only subpackage that imports PySide6."""
