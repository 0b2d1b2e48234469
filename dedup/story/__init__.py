"""Story mode: independent reports of one event, found by their shared facts."""
