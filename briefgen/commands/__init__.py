"""The bodies of the CLI's commands other than build and check (briefgen/cli.py parses the
arguments): init and new, serve, diff."""
