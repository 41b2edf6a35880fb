"""Dialogs of their own: the audit log, keys, imports, restore, the deadline calculator."""
