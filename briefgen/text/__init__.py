"""Source text and its marks: markdown parsing, the blocks of a source, quote matching, the
highlight marks resolve inserts, and what a reader sees of a citation."""
