"""report.yaml's `published`: the date as printed, and the date it is when it is written in one of three forms."""

from __future__ import annotations

import datetime
import itertools
import random

import pytest

from reportsite.content import publication


@pytest.mark.parametrize(("printed", "date"), [
    ("30 November 2015", datetime.date(2015, 11, 30)),
    ("1 march 2020", datetime.date(2020, 3, 1)),
    ("01 MARCH 2020", datetime.date(2020, 3, 1)),
    ("  29 February 2020\n", datetime.date(2020, 2, 29)),
    ("November 2015", datetime.date(2015, 11, 1)),
    ("2015-11-30", datetime.date(2015, 11, 30)),
    ("2020-2-3", datetime.date(2020, 2, 3)),
])
def test_a_date_printed_in_words_or_as_digits_is_read(printed, date):
    read = publication(printed)
    assert (read.text, read.date) == (printed, date)


@pytest.mark.parametrize("printed", ["31 February 2020", "29 February 2019", "Nov 2015", "30 Nov 2015", "30th November 2015",
                                     "2015/11/30", "30 November, 2015", "2020-13-01", "0000-01-01", "March 0000", "Spring 2015", ""])
def test_a_date_that_does_not_exist_or_is_written_another_way_is_kept_as_printed_without_a_date(printed):
    read = publication(printed)
    assert (read.text, read.date) == (printed, None)


def strptime_date(printed: str) -> datetime.date | None:
    """What Python's strptime makes of the three forms, in the C locale: the behaviour the build keeps."""
    for form in ("%d %B %Y", "%B %Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(printed.strip(), form).date()
        except ValueError:
            continue
    return None


def test_every_date_is_read_as_strptime_reads_it():
    generated = random.Random(14)
    letters = "0123 1-2Mayjunemarch 0923 NOVEMBERſK\t٣"
    samples = ["".join(generated.choice(letters) for _ in range(generated.randint(0, 16))) for _ in range(5000)]
    for day, month, year in itertools.product(["1", "01", " 1", "9", "10", "29", "30", "31", "32", "0", "00"],
                                              ["January", "february", "MAY", "Septembre", "Auguſt", "June", "2", "02", "12", "13"],
                                              ["2020", "2019", "1900", "0001", "99999", "٢٠١٥"]):
        samples += [f"{day} {month} {year}", f"{month} {year}", f"{year}-{month}-{day}", f"{day}\t{month}  {year}"]
    assert [(printed, publication(printed).date) for printed in samples] == [(printed, strptime_date(printed)) for printed in samples]
