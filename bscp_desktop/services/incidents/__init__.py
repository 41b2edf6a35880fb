"""Incidents, their children, the Rapid Review and its report, parallel proceedings."""
