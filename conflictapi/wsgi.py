import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictapi.settings")
application = get_wsgi_application()

from conflictapi.checks import require_settings  # noqa: E402 (needs the settings above)

require_settings()
