"""Connectel SMS gateway: bulk send and delivery reports (test messages for `verify`)."""
