"""Every state change of the trainings app, one module per part (events, participants, attendance, the
sign-in sheet import, …). Each service checks the permission, validates, writes and audits in one transaction.

One line per module: each module lists what it offers in its ``__all__``.
"""

from ctip.web.trainings.services.attendance import *  # noqa: F403
from ctip.web.trainings.services.event_plan import *  # noqa: F403
from ctip.web.trainings.services.events import *  # noqa: F403
from ctip.web.trainings.services.feeds import *  # noqa: F403
from ctip.web.trainings.services.item_bank import *  # noqa: F403
from ctip.web.trainings.services.participants import *  # noqa: F403
from ctip.web.trainings.services.programme import *  # noqa: F403
from ctip.web.trainings.services.results import *  # noqa: F403
from ctip.web.trainings.services.signin_import import *  # noqa: F403
from ctip.web.trainings.services.signin_sheet import *  # noqa: F403
from ctip.web.trainings.services.taking import *  # noqa: F403
from ctip.web.trainings.services.test_forms import *  # noqa: F403
