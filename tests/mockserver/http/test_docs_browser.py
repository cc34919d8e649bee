"""A person's path through ``/docs`` in headless Chromium: authorize with a key, try the operation, see customers.

Debian's chromium and chromium-driver drive it (selenium is told the driver's path, so nothing is downloaded);
a missing browser fails the test with the command that installs it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from selftest import servers
from selftest.tools import system_tool

API_KEY = "docs-browser-key"
SCREENSHOT = Path(tempfile.gettempdir()) / "mockserver-docs-try-it-out.png"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1600",
)
WAIT_S = 30
PAGE_SIZE = 5


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with servers.running_mock("--api-key", API_KEY, "--workers", "1", "--quiet", ready_path="/docs") as server:
        yield server.base_url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    chromium, driver = system_tool("chromium"), system_tool("chromedriver", "chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    try:
        yield session
    finally:
        session.quit()


def click(wait: WebDriverWait, css: str) -> None:
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, css))).click()


@pytest.mark.slow
def test_try_it_out_with_an_api_key_shows_customers(mock_url: str, browser: WebDriver) -> None:
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(f"{mock_url}/docs")

    click(wait, ".auth-wrapper button.authorize")
    key_input = wait.until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".auth-container input")))
    key_input.send_keys(API_KEY)
    click(wait, ".auth-container .auth-btn-wrapper button.authorize")
    click(wait, ".auth-container .auth-btn-wrapper button.btn-done")

    click(wait, "#operations-Customers-listCustomers .opblock-summary")
    operation = "#operations-Customers-listCustomers"
    try_it_out = browser.find_elements(By.CSS_SELECTOR, f"{operation} button.try-out__btn")
    if try_it_out and try_it_out[0].text.strip().lower() == "try it out":  # the page may open in try-out mode
        try_it_out[0].click()
    limit = wait.until(
        ready.visibility_of_element_located((By.CSS_SELECTOR, f'{operation} tr[data-param-name="limit"] input'))
    )
    limit.send_keys(Keys.CONTROL, "a")  # clear() bypasses React's change events; typing does not
    limit.send_keys(Keys.BACK_SPACE, str(PAGE_SIZE))
    click(wait, f"{operation} button.execute")

    live = f"{operation} .live-responses-table"
    status = wait.until(
        ready.visibility_of_element_located((By.CSS_SELECTOR, f"{live} .response .response-col_status"))
    )
    body = browser.find_element(By.CSS_SELECTOR, f"{live} .response .response-col_description pre")
    sent = browser.find_element(By.CSS_SELECTOR, f"{operation} .request-url pre").text
    browser.execute_script("arguments[0].scrollIntoView()", status)
    browser.save_screenshot(str(SCREENSHOT))

    assert status.text.strip() == "200", f"Swagger UI got {status.text!r} for {sent}: {body.text[:500]}"
    customers = json.loads(body.text)
    assert isinstance(customers, list)
    assert len(customers) == PAGE_SIZE, f"Try it out sent {sent} and got {len(customers)} customers"
    assert all("_id" in customer and "name" in customer for customer in customers)
