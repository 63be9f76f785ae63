"""Reading the reference files kept in config/: the application-group catalogue and the holidays."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from models.catalogue import ApplicationGroup, Catalogue


def load_catalogue(path: Path) -> Catalogue:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Catalogue([ApplicationGroup.from_json(item) for item in data["groups"]])


def load_holidays(path: Path) -> frozenset[dt.date]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(dt.date.fromisoformat(day) for day in data["holidays"])
