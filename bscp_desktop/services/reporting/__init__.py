"""The figures reports read: deadlines, status, annual and learning figures."""
