"""Reading sources, analysing them and writing the index (see docs/architecture.md).

Whoosh is imported here first, without two modules it imports and never calls here
(indexer/whoosh_loading.py): every entry point imports this package before Whoosh.
"""

from indexer.whoosh_loading import import_whoosh

import_whoosh()
