"""Providers: the only code that speaks HTTP to ConnecttoTeams, ContextSMS and Connectel."""
