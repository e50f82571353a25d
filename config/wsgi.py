import os

from django.core.wsgi import get_wsgi_application

from config.checks import refuse_placeholder_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
refuse_placeholder_secret_key()
