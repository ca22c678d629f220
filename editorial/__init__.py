"""What editors keep beside the index: accounts and tokens, the audit log, pinned results
and search analytics, in one SQLite database (`editorial.db`). A plain library: the web
layer and the CLI call it; nothing here imports Flask, and nothing here is ever written
inside an index generation (a re-index keeps all of it).
"""
