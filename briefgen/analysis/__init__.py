"""Pure analysis beneath the check stage: corroboration and tallies of one briefing, and what
changed between its versions. No files, no git, no HTML."""
