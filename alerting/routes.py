"""The routing file (alert_routes.yml): which channels each alert goes to."""

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

ROUTES_VARIABLE = "LEAD_WAREHOUSE_ALERT_ROUTES"
DEFAULT_ROUTES = Path(__file__).resolve().parent / "alert_routes.yml"
Channel = Literal["email", "slack", "teams", "webhook"]


class RoutesError(ValueError):
    """The routing file cannot be used; the message names the file and what to fix."""


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    channel: Channel
    target_variable: str
    owners: list[str] | None = None
    teams: list[str] | None = None
    score_bands: list[str] | None = None

    def matches(self, owner_user_id: str | None, team: str | None, score_band: str | None) -> bool:
        return all(
            allowed is None or value in allowed
            for allowed, value in (
                (self.owners, owner_user_id),
                (self.teams, team),
                (self.score_bands, score_band),
            )
        )

    def target(self) -> str | None:
        """The address or webhook URL, from the environment only."""
        return os.environ.get(self.target_variable) or None


class Routes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    routes: list[Route]


def routes_file() -> Path:
    return Path(os.environ.get(ROUTES_VARIABLE) or DEFAULT_ROUTES)


def load_routes(path: Path | None = None) -> list[Route]:
    path = path or routes_file()
    try:
        routes = Routes.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).routes
    except (OSError, yaml.YAMLError, ValidationError) as problem:
        raise RoutesError(f"Cannot use the alert routes in {path}: {problem}") from problem
    duplicated = sorted({route.id for route in routes if [r.id for r in routes].count(route.id) > 1})
    if duplicated:
        raise RoutesError(f"Route ids must be unique in {path}; repeated: {', '.join(duplicated)}")
    return routes
