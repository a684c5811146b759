"""Tests in the style of the official Python client's own: a fake token and a mock transport."""

import os
from unittest import mock

import httpx
import pytest
import replicate
from replicate.client import Client


def router_handler(request):
    return httpx.Response(200, json={})


def test_authorization_when_setting_environ_after_import():
    token = "test-set-after-import"
    with mock.patch.dict(os.environ, {"REPLICATE_API_TOKEN": token}):
        client = replicate.Client(transport=httpx.MockTransport(router_handler))
        assert client


def test_account_get():
    client = Client(api_token="test-token", transport=httpx.MockTransport(router_handler))
    assert client


def test_custom_headers():
    client = Client(
        api_token="dummy_token",
        headers={"User-Agent": "my-app/1.0"},
        transport=httpx.MockTransport(router_handler),
    )
    assert client


@pytest.mark.parametrize("value", ["env-token", "cog-token", ""])
def test_token_from_environment(value):
    with mock.patch.dict(os.environ, {"REPLICATE_API_TOKEN": value}):
        assert os.environ.get("REPLICATE_API_TOKEN", "") == value


class TestClient:
    api_token = "test-token"

    def test_client(self):
        client = replicate.Client(api_token=self.api_token)
        assert client

    def test_default(self, token="invalid-token"):
        client = replicate.Client(token)
        assert client
