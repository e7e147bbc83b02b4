"""The sandbox: an emulator of the three vendor APIs. Shares no code with the client side."""
