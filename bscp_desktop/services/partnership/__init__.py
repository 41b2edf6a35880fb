"""The partnership's settings, reference lists and statutory clocks."""
