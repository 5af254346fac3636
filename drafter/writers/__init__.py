"""Output writers: one module per format. Only ``docx`` imports python-docx."""
