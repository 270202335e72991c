"""Validation and self-scoring: pure functions from a report to findings and a score."""
