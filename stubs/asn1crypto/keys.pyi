from typing import Any

from asn1crypto.core import Asn1Value

class PrivateKeyInfo(Asn1Value): ...
class PublicKeyInfo(Asn1Value): ...

def __getattr__(name: str) -> Any: ...  # incomplete: the other key structures
