"""Electronic signature verification."""
