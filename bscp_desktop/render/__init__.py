"""The reportlab and Word building blocks reports are laid out with; they read no services."""
