"""ContextSMS (Sabrhub): login/refresh client and the reader of enterprises and mappings."""
