"""Engine: batched state, the engagement cycle, events and the Outcome."""
