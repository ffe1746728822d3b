"""Every state change of the NAP app, one module per part (plans, elements of the tree, cost lines,
indicators). Each service checks the permission, validates, writes, bumps the version and audits in one
transaction.

One line per module: each module lists what it offers in its ``__all__``.
"""

from ctip.web.nap.services.coordination import *  # noqa: F403
from ctip.web.nap.services.cost_lines import *  # noqa: F403
from ctip.web.nap.services.elements import *  # noqa: F403
from ctip.web.nap.services.indicators import *  # noqa: F403
from ctip.web.nap.services.plans import *  # noqa: F403
