"""What every use case is given besides its input: the actor, the clock and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from config.clock import Clock
from models.catalogue import Catalogue
from resolvers.access import Actor


@dataclass(frozen=True)
class UseCase:
    actor: Actor
    clock: Clock
    catalogue: Catalogue
