import os

from django.core.wsgi import get_wsgi_application

from config import env

# Web requests get a statement timeout (config/settings.py); commands, migrations
# and workers never import this module, so they do not.
env.web_process = True
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
