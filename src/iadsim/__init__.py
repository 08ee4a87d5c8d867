"""iadsim: engagement-level simulation of integrated air-defence systems, batched for Monte Carlo.

Public API (re-exports only): `load_scenario`, `load_world`, `ScenarioError`.
"""

from iadsim.errors import Problem, ScenarioError
from iadsim.scenario import load_scenario, load_world

__version__ = "0.1.0"

__all__ = ["Problem", "ScenarioError", "__version__", "load_scenario", "load_world"]
