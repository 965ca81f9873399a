"""What the load stage reads with: YAML nodes that keep their line and column, typed fields,
the statements of briefing.yml, and the source files a briefing may claim."""
