"""Settings for the test suite: production settings with a throwaway key.

Production is the default so the tests exercise what runs for real; only
the HTTPS redirect is off, since the test client speaks plain HTTP.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from .settings import *  # noqa: E402,F403

# Fast hashes for test users; PBKDF2 still checks the demo users of fixtures/.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# One test database per test process, so two runs on one machine (a developer's
# and a helper's, or two passes) never drop each other's database. A worker
# started by a test is given the name explicitly and must not add its own.
_TEST_DB_SUFFIX = os.environ.get("STET_TEST_DB_SUFFIX", str(os.getpid()))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test_stet_{_TEST_DB_SUFFIX}.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_stet_{_TEST_DB_SUFFIX}"}  # noqa: F405

# The tests render pages without running collectstatic first: plain static URLs, no manifest to read.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Nor is there a var/static to scan at start: whitenoise looks files up as they are asked for.
WHITENOISE_AUTOREFRESH = True
