"""Fire control: engagement envelope, threat evaluation, weapon assignment, doctrine."""
