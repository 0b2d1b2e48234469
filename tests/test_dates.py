from dedup.text.dates import parse_date_line


def test_german_and_austrian_month_names():
    assert parse_date_line("31. Dezember 2021") == "2021-12-31"
    assert parse_date_line("10. Jänner 2022") == "2022-01-10"
    assert parse_date_line("Donnerstag, 30. Dezember 2021") == "2021-12-30"


def test_english_and_numeric_dates():
    assert parse_date_line("January 10, 2022") == "2022-01-10"
    assert parse_date_line("30.12.2021") == "2021-12-30"
    assert parse_date_line("2021-12-30") == "2021-12-30"


def test_lines_that_are_not_a_full_date():
    assert parse_date_line("Politik") is None
    assert parse_date_line("Biden warnt Putin, Putin warnt Biden") is None
    assert parse_date_line("Im Jahr 2021 wurde viel über die Lage in der Ukraine gesprochen") is None
    assert parse_date_line("31.02.2021") is None
