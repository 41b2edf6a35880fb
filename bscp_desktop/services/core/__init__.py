"""The facade and what every manager shares: the base class, errors, changes, permissions."""
