import csv
import io

from ctip.formats.tabular import csv_text


def test_csv_has_bom_crlf_and_keeps_accents():
    text = csv_text(["organisation"], [["Ministère de la Justice"]])
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["organisation"], ["Ministère de la Justice"]]


def test_formula_like_cells_are_neutralised_but_numbers_are_not():
    text = csv_text(["value"], [['=HYPERLINK("http://x")'], ["+1+2"], ["@SUM(A1)"], ["-5"], ["-3.5"]])
    values = [row[0] for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")))][1:]
    assert values == ['\'=HYPERLINK("http://x")', "'+1+2", "'@SUM(A1)", "-5", "-3.5"]


def test_none_becomes_empty():
    assert csv_text(["a", "b"], [[None, 0]]).endswith("\r\n,0\r\n")
