"""End-to-end verification: which numbers to text, what a message costs, what to expect."""
