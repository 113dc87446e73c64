"""Term weights as records store them (bot/core/text/stored.py): the very same floats back."""

from __future__ import annotations

import math

import pytest

from bot.core.text.stored import decode_weights, encode_weights
from bot.core.text.weights import term_weights
from tests.core.text import text_samples


def test_weights_come_back_exactly_and_in_order() -> None:
    for name in dir(text_samples):
        if name.endswith("_TITLE"):
            weights = term_weights(getattr(text_samples, name.removesuffix("_TITLE")), name)
            back = decode_weights(encode_weights(weights))
            assert back == weights
            assert list(back or {}) == list(weights)


def test_a_weight_that_is_no_count_of_halves_is_kept_as_it_is() -> None:
    weights = {"污水": math.log1p(3.5), "管网": 0.123456789012345}
    assert decode_weights(encode_weights(weights)) == weights
    assert encode_weights(weights) == '{"污水":7,"管网":0.123456789012345}'


@pytest.mark.parametrize("junk", ["", "not json", "[1, 2]", '{"a": "b"}', '{"a": null}'])
def test_damaged_text_reads_as_missing(junk: str) -> None:
    assert decode_weights(junk) is None
