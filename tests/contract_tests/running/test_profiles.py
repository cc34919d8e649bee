"""The kit's Hypothesis profiles: registered on import, never loaded, the ``ci`` one derandomized."""

from __future__ import annotations

from hypothesis import settings

from contract_tests.running.profiles import CI_PROFILE, DEFAULT_PROFILE, PROFILES


def test_the_profiles_are_registered_and_ci_repeats_itself() -> None:
    assert PROFILES == {"default": DEFAULT_PROFILE, "ci": CI_PROFILE}
    assert settings.get_profile(CI_PROFILE).derandomize and not settings.get_profile(DEFAULT_PROFILE).derandomize
    assert settings.get_profile(DEFAULT_PROFILE).database is None
    assert settings._current_profile not in (DEFAULT_PROFILE, CI_PROFILE), "registering loads neither"
