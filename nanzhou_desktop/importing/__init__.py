"""Reading existing report documents (.txt, .docx, .pdf) into a report."""
