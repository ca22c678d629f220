"""The query layer: from a query to its answer (see docs/architecture.md).

Imports the indexer package first, which imports Whoosh without two modules it never
calls here (indexer/whoosh_loading.py), whichever module of this package comes first.
"""

import indexer  # noqa: F401
