"""Django's JSON fixture formats, keeping timestamps to the microsecond.

Django's encoder cuts datetimes to milliseconds (the ECMAScript format), so a dump is not a
backup: every timestamp loses up to 999 µs, the API shows the loaded record with another
``updated_at`` than the dumped one, and a value that had fewer than 1000 µs dumps as
``…:00.000Z`` and, loaded, dumps again as ``…:00Z``. Registered for ``json`` and ``jsonl`` in
``SERIALIZATION_MODULES``, so ``dumpdata``/``loaddata`` and the tests' serialized rollback keep
them exact.
"""

import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)
