"""Who may do what, the audit log, and retention with legal holds."""
