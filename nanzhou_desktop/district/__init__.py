"""The district side: safe loading of received files, the district database, the summary."""
