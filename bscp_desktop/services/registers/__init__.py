"""The registers' rows, their columns and their export."""
