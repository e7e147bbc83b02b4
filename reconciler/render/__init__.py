"""Rendering: plans and drift reports as text, JSON, Markdown, JUnit and HTML; decides nothing."""
