"""What the tests share, by what it holds; fixtures stay in the conftest.py files.

- environment: where the repository and the seed are, CI or not, which database
- factories: edits of the seed, proposals with their checks run, users in groups, clients, publishing
- html: the one HTML parser, assert_inert, messages, form errors and forms as a browser sends them
- payloads: hostile text that must stay text
- urls: addresses of the pages, and every URL pattern as a template
- commands: management commands run as in production
- tampering: changing the log behind the application's back
- processes: child processes (wait on a condition, stop a process group, a free port)
- celery_worker: a real Celery worker and Redis server
- rules: rules that exist only for tests (STET_EXTRA_RULES)
"""
