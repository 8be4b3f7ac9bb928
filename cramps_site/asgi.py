import os
import sys

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cramps_site.settings")
try:
    application = get_asgi_application()
except ImproperlyConfigured as error:  # one line for the operator, not a traceback
    sys.exit(f"Refusing to start: {error}")

# As in wsgi.py: the medical-safety detector's lexicon and models, ready
# before the first request.
from comments.safety import prepare  # noqa: E402

prepare()
