"""The WSGI entry point of the production server (`bin/serve`, ADR 0010): Django behind
WhiteNoise and the request-size limit (`core.serving`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")

from gandan.core.serving import production_application  # needs the settings

application = production_application(get_wsgi_application())
