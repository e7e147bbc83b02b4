"""Export: live state -> manifests in the design's format, so a team starts from today."""
