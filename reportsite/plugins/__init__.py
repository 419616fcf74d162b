"""markdown-it plugins for the report's own conventions; each only registers rules."""
