"""The application, its main window, the context screens share and the screen lock."""
