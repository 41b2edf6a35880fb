"""The PySide6 desktop application: start-up, main window, pages, forms, table models and background tasks.
The only package that imports Qt."""
