"""Printing: the GB/T 9704 PDF, the annex table, Word and Excel copies.  No Qt here."""
