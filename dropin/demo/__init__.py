"""Demo data: today's board for `make run` (today.py) and believable past years (history.py)."""
