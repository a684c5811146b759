"""Session set-up of a project's test suite: the client must never see a real account."""

import os
from unittest import mock

import pytest
import replicate

os.environ.setdefault("REPLICATE_API_TOKEN", "test-token")
os.environ["REPLICATE_API_TOKEN"] = "fake-token-for-tests"
os.environ.setdefault("REPLICATE_POLL_INTERVAL", "0.0")
replicate.api_token = "mock-token"

TEST_TOKEN = "test-bearer-token"
DEFAULT_TOKEN = os.getenv("REPLICATE_API_TOKEN", "not-set")
FALLBACK = os.environ.get("REPLICATE_API_TOKEN", "N/A")


@pytest.fixture
def fake_env(monkeypatch):
    monkeypatch.setenv("REPLICATE_API_TOKEN", "test-bearer-token")
    yield


@pytest.fixture(scope="session")
def patched_token():
    with mock.patch.dict(os.environ, {"REPLICATE_API_TOKEN": "test-token"}):
        yield


@pytest.fixture
def client():
    return replicate.Client(api_token="invalid-token")


def pytest_configure(config):
    os.environ.setdefault("REPLICATE_API_TOKEN", "unset")
