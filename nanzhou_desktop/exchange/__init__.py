"""Reports leaving the office: 导出上报 (the report file and its signed-copy PDF) and sending
them to the district.

This package sits above both the file store and printing: it uses each, and neither imports
it, so the store knows nothing of printing.
"""
