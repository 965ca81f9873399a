"""Speed only, never results: the parse cache on disk and what serve reuses between rebuilds.
The edge (CLI, serve) chooses them and hands them in through briefgen/strategy.py."""
