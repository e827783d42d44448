import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probation.settings")

application = get_wsgi_application()

from probation.startup import freeze_loaded  # noqa: E402 - after Django is set up

freeze_loaded()
