"""Monte Carlo: runner, backends and statistics."""
