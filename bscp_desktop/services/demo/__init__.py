"""The fictional demo register."""
