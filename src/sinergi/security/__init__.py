"""Who asks, and what they may touch: accounts and passwords, sessions and API tokens, roles,
area and programme scoping, opaque family ids, and the one door every import passes.

Every way in (CLI, web pages, REST API, report downloads) asks this package; nothing below the
present layer imports it, and no route checks a role set of its own.
"""
