"""Report: plots, HTML report and exports."""
