"""Settings modules: ``development`` (default), ``production`` and ``test``; all read the environment.

Every setting a deployment may change is listed in docs/settings.md.
"""
