"""Applying: execute a Plan through the providers with bounded concurrency and retries."""
