"""Record forms and the lifecycle action dialogs."""
