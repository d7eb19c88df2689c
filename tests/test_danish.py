from datetime import UTC, date, datetime

from app.danish import (
    format_date,
    format_datetime,
    format_kr,
    format_long_date,
    format_number,
    format_week,
)


def test_dates_and_weeks_the_danish_way():
    assert format_date(date(2012, 11, 22)) == "22.11.2012"
    assert format_week(date(2012, 11, 22)) == "uge 47"
    assert format_week(date(2013, 1, 1)) == "uge 1"
    assert format_long_date(date(2013, 7, 1)) == "1. juli 2013"
    assert format_date(None) == ""


def test_amounts_in_kroner_with_danish_separators():
    assert format_kr(46147400) == "461.474 kr."
    assert format_kr(100050) == "1.000,50 kr."
    assert format_kr(-2500, always_ore=True) == "-25,00 kr."
    assert format_kr(3500000000) == "35.000.000 kr."
    assert format_number(1234.5, 1) == "1.234,5"


def test_times_are_shown_in_copenhagen_time():
    assert format_datetime(datetime(2013, 5, 15, 14, 49, tzinfo=UTC)) == "15.05.2013 kl. 16.49"
    assert format_datetime(datetime(2013, 1, 15, 14, 49, tzinfo=UTC)) == "15.01.2013 kl. 15.49"
    # SQLite gives naive datetimes back: they hold UTC.
    assert format_datetime(datetime(2013, 5, 15, 22, 30)) == "16.05.2013 kl. 00.30"
    assert format_datetime(None) == ""
