"""Pure rules and vocabularies: no database, no Qt, no files."""
