"""The project's own number formats, over Django's (settings.FORMAT_MODULE_PATH).

Only what differs from Django's locale formats is set here; everything else falls back to them.
"""
