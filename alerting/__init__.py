"""Acting on scores: new handoff alerts delivered once to each owner's channel (``python -m alerting``)."""
