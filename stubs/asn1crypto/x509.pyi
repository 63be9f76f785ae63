from typing import Any

from asn1crypto.core import Asn1Value

class Name(Asn1Value): ...

class Certificate(Asn1Value):
    @property
    def subject(self) -> Name: ...
    @property
    def issuer(self) -> Name: ...

def __getattr__(name: str) -> Any: ...  # incomplete: the other X.509 structures
