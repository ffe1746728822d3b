import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.web.config.settings.development")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL tree, the translation catalogues) lives as long as the
# process: move it out of the garbage collector's reach, so that its full collections, triggered by the
# allocations of a large page, do not walk it again and again (they doubled the p95 of a 300-activity NAP
# outline; BENCHMARKS.md).
gc.collect()
gc.freeze()
