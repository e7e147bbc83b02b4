"""ConnecttoTeams: OAuth client, the endpoint map, and the reader that builds live state."""
