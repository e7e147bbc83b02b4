"""The command line: thin click commands, each returning an exit code, and one error funnel."""
