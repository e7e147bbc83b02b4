"""Exit codes, the same for every command."""

OK = 0
ERROR = 1
CHANGES = 2  # only `plan --detailed-exitcode` and `drift`
INTERNAL = 3
USAGE = 64
INTERRUPTED = 130
