"""Every state change of review and validation (issue 9). Views, the API, the CLI and the demo call these."""

from ctip.web.reviews.services.comments import *  # noqa: F403
from ctip.web.reviews.services.invitations import *  # noqa: F403
from ctip.web.reviews.services.notifications import *  # noqa: F403
from ctip.web.reviews.services.rounds import *  # noqa: F403
from ctip.web.reviews.services.versions import *  # noqa: F403
