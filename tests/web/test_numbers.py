"""Numbers and amounts typed in a form: Danish formats read exactly, the ambiguous refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.danish import format_kr
from app.numbers import read_number, write_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12.500", "12500"),
        ("12.500,50", "12500.50"),
        ("12500", "12500"),
        ("12 500 kr.", "12500"),
        ("12\u00a0500,25 kr", "12500.25"),
        ("461.474", "461474"),
        ("1.000.000,5", "1000000.5"),
        ("-3,5", "-3.5"),
        ("0,05", "0.05"),
        ("37,5 timer", "37.5"),
    ],
)
def test_danish_formats_are_read_exactly(typed: str, value: str) -> None:
    assert read_number(typed) == Decimal(value)


@pytest.mark.parametrize(
    "typed", ["12,500.00", "12.5", "1.2.3", "1,5,3", "12.50", "1.00,5", "12 50", "kr.", "", "1e3"]
)
def test_ambiguous_input_is_refused_with_how_to_write_it(typed: str) -> None:
    with pytest.raises(ValueError, match="Skriv f.eks. 12500, 12.500 eller 12.500,50"):
        read_number(typed)


ore = st.integers(min_value=-(10**13), max_value=10**13)


@given(ore)
def test_an_amount_shown_in_kroner_reads_back_to_the_same_ore(amount: int) -> None:
    shown = format_kr(amount)  # "461.474,50 kr." as every page shows it
    assert read_number(shown) * 100 == amount


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1e9, max_value=1e9))
def test_what_the_form_shows_reads_back_to_the_same_number(value: Decimal) -> None:
    assert read_number(write_number(value)) == value


@given(st.text(alphabet="0123456789.,- kr", max_size=14))
def test_whatever_is_accepted_keeps_its_digits_and_round_trips(typed: str) -> None:
    """Nothing is silently scaled: an accepted text means its digits with the comma as the
    decimal mark (dots and spaces only group thousands), and reads back from how it is shown."""
    try:
        value = read_number(typed)
    except ValueError:
        return
    plain = typed.strip().removesuffix("kr.").removesuffix("kr").strip()
    assert value == Decimal(plain.replace(" ", "").replace(".", "").replace(",", "."))
    assert read_number(write_number(value)) == value
