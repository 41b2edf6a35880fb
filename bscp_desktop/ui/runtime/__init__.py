"""How screens reach the services: the ops layer, the task runner, errors, the write guard."""
