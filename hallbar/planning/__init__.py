"""Annual follow-up planning: which suppliers to follow up, how, and which region leads."""
