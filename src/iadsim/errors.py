"""Errors a user can cause. Each carries where (file, line, field path) and why, so the CLI can print it plainly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: `FILE:LINE: field.path: reason`."""

    reason: str
    path: tuple[str | int, ...] = ()
    source: str = "<scenario>"
    line: int | None = None

    @property
    def field(self) -> str:
        return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in self.path).replace(".[", "[") or "(file)"

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.field}: {self.reason}"


class ScenarioError(ValueError):
    """A scenario (file or object) that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = Problem(problems)
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
