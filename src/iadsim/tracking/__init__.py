"""Tracking: filters, data association, track management and track-quality metrics."""
