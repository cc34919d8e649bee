"""Headless Chromium for the contract kit's browser tests (Debian's chromium and chromium-driver, nothing
downloaded); a missing browser fails the test with the command that installs it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from selftest.tools import system_tool
from tests.mockserver.http.test_docs_browser import CHROMIUM_FLAGS


@contextlib.contextmanager
def chromium(profile: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = system_tool("chromium")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    service = Service(executable_path=system_tool("chromedriver", "chromium-driver"))
    session = webdriver.Chrome(service=service, options=options)
    try:
        yield session
    finally:
        session.quit()
