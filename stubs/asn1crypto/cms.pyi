from typing import Any

from asn1crypto.core import Asn1Value

class CMSAttributes(Asn1Value): ...
class Time(Asn1Value): ...

def __getattr__(name: str) -> Any: ...  # incomplete: the other CMS structures
