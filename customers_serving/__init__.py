"""Serving a WSGI app under gunicorn, as both the mock and the kit's proxy do: what neither owns alone.

``listening`` binds the address before anything forks (one clear line for a taken port) and spreads
connections over the workers; ``application`` runs an app created in the master, so each worker forks
from it with its data already loaded. Nothing here knows the spec, the mock or the kit.
"""
