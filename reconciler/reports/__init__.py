"""Reports: what to report about a run, pure over States and Plans: drift, the number
inventory, export documents and verify targets. render/ decides how they look."""
