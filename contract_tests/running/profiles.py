"""The kit's Hypothesis profiles: ``contract-tests`` (random, the default) and ``contract-tests-ci`` (derandomized).

Registering never loads a profile, so importing the kit (the pytest plugin is imported by every pytest run
of a project that installs it) leaves the project's own Hypothesis settings alone.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

DEFAULT_PROFILE = "contract-tests"
CI_PROFILE = "contract-tests-ci"
PROFILES = {"default": DEFAULT_PROFILE, "ci": CI_PROFILE}

# On Hypothesis' own "default" profile, not on whatever profile is loaded when the kit is first imported: a
# project (or this suite) that loaded a derandomized profile before must not make the kit's runs derandomized.
settings.register_profile(
    DEFAULT_PROFILE,
    settings.get_profile("default"),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(CI_PROFILE, settings.get_profile(DEFAULT_PROFILE), derandomize=True)
