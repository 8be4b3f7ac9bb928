import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cramps_site.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:  # one line for the operator, not a traceback
    sys.exit(f"Refusing to start: {error}")

# The medical-safety detector compiles its lexicon and trains its models once
# per process (about 2 s): a server pays it while starting, not the first
# reader who posts.
from comments.safety import prepare  # noqa: E402

prepare()
