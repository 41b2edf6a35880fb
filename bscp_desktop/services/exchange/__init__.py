"""Files in and out: spreadsheets, templates, imports, the calendar export."""
