"""iadsim: engagement-level simulation of integrated air-defence systems, batched for Monte Carlo.

Public API (re-exports only): `simulate`, `monte_carlo`, `Outcome`, `load_scenario`, `load_world`, `ScenarioError`.
"""

from iadsim.errors import Problem, ScenarioError
from iadsim.scenario import load_scenario, load_world

__version__ = "0.1.0"

__all__ = ["Outcome", "Problem", "ScenarioError", "__version__", "load_scenario", "load_world", "monte_carlo", "simulate"]


def __getattr__(name: str):
    # the engine pulls in numba and the kernels: imported on first use, so `iadsim validate` starts fast
    if name == "simulate":
        from iadsim.engine.simulate import simulate

        return simulate
    if name == "monte_carlo":
        from iadsim.montecarlo.runner import monte_carlo

        return monte_carlo
    if name == "Outcome":
        from iadsim.engine.outcome import Outcome

        return Outcome
    raise AttributeError(f"module 'iadsim' has no attribute {name!r}")
