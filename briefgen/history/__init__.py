"""Earlier versions of a briefing, read from git: what changed between them, how the pages
show it, and the Atom feeds."""
