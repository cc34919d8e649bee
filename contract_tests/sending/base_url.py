"""Whether the base URL points at the API at all: a list that answers 404, or a success that is not JSON, is a
wrong address (a common slip: the operation's path repeated in ``--base-url``), never a broken API.

The first request of a run asks for the list with a valid key; an API that implements the spec cannot answer
it 404, nor with a page that is not JSON. Such a run cannot test anything, so it ends as "could not test" with
the likely fix, instead of as a list of contract violations.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import orjson

from contract_tests.sending.transport import Response


def wrong_base_url(base_url: str, path: str, response: Response) -> str | None:
    """Why ``response`` (to the list at ``base_url`` + ``path``) shows the base URL is not this API's; None if
    it may be."""
    if response.status == 404:
        return f"GET {response.url} answered 404: {_fix(base_url, path)}"
    if 200 <= response.status < 300 and not _is_json(response.body):
        shown = response.media_type or "no Content-Type"
        return (
            f"GET {response.url} answered {response.status} with {shown}, not JSON: --base-url {base_url} does not"
            " point at this API (a web page, a gateway's login page?)"
        )
    return None


def _fix(base_url: str, path: str) -> str:
    """The likely fix of a base URL whose list is not found: drop the repeated part of the operation's path."""
    base_path = urlsplit(base_url).path.rstrip("/")
    steps = [step for step in path.split("/") if step]
    for count in range(len(steps), 0, -1):
        repeated = "/" + "/".join(steps[:count])
        if base_path.endswith(repeated):
            fixed = base_url.rstrip("/")[: -len(repeated)]
            return f"the base URL should not include {repeated} (try --base-url {fixed})"
    return f"is {base_url} where the API is served? The kit adds {path} to it"


def _is_json(body: bytes) -> bool:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return True
