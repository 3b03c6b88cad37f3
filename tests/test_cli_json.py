"""``print_json`` writes exactly what ``json.dump(indent=2, ensure_ascii=False)`` wrote
before it had its own encoder (issue 19: a third of ``gaps --json``'s time)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from riskdesk.cli.cmd_gaps import _Streamed
from riskdesk.cli.common import _json_default, print_json

ODD: list[Any] = [
    {},
    [],
    "",
    0,
    -7,
    2**70,
    1.5,
    -0.0,
    1e300,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    False,
    None,
    'tab\there, quote " backslash \\ newline \n nul \x00 é ☃ \u2028 😀',
    {"nested": {"deeper": [[], {}, [1, [2, [3]]], {"k": None}]}},
    {7: "int key", 2.5: "float key", True: "bool key", False: "no", None: "none key", "s": "str"},
    (1, "tuple", ()),
    {"day": dt.date(2026, 11, 1), "at": dt.datetime(2026, 11, 1, 9, 30)},
    {"set": frozenset({3}), "enumish": True},
]


def expected(data: Any) -> str:
    encoder = json.JSONEncoder(indent=2, default=_json_default, ensure_ascii=False)
    return "".join(encoder.iterencode(data)) + "\n"


@pytest.mark.parametrize("data", [*ODD, ODD, {"all": ODD}, [ODD, [ODD]]])
def test_output_is_the_standard_encoders(data: Any, capsys: pytest.CaptureFixture[str]) -> None:
    print_json(data)
    assert capsys.readouterr().out == expected(data)


def test_a_streamed_list_is_written_like_the_whole_list(capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        {"use_id": i, "reason": "x" * 5000, "gaps": [{"rung": "r", "due": None}]} for i in range(40)
    ]

    def made() -> Iterator[dict[str, Any]]:
        yield from records

    print_json(_Streamed(made()))  # over 64 KiB: written in pieces
    assert capsys.readouterr().out == expected(records)
    print_json(_Streamed(iter([])))
    assert capsys.readouterr().out == "[]\n"


def test_what_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        print_json({"x": object()})
